using TorchSharp.Modules;

namespace Sched.Samples.FashionMnist;

/// <summary>
/// A run's state between processes: its settings, the schedule position (<c>ScheduleDriver.Position</c>, which is also the global
/// step counter), the epoch, the history so far, then the model's and the optimizer's state (TorchSharp's format).
/// </summary>
public sealed class Checkpoint
{
    private const string Magic = "Sched.Samples.FashionMnist checkpoint";
    private const int Version = 1;

    public required string Schedule { get; init; }
    public int? Epochs { get; init; }
    public double? LearningRateMax { get; init; }
    /// <summary>The data the run trains on: a folder (null: the installed full set, else the embedded one), or the embedded set.</summary>
    public string? DataDirectory { get; init; }
    public bool Embedded { get; init; }
    public required int BatchSize { get; init; }
    public required int Seed { get; init; }
    public required int TrainLimit { get; init; }
    public required int TestLimit { get; init; }
    public required int StepsPerEpoch { get; init; }
    /// <summary>Optimizer steps taken: the schedule position to resume at.</summary>
    public required long Position { get; init; }
    /// <summary>The epoch the next step belongs to (0-based).</summary>
    public required int Epoch { get; init; }
    public required IReadOnlyList<StepRecord> Steps { get; init; }
    public required IReadOnlyList<EpochRecord> EpochHistory { get; init; }

    public static void Save(string path, Checkpoint checkpoint, Cnn model, SGD optimizer)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        string temporary = path + ".tmp";
        using (var writer = new BinaryWriter(File.Create(temporary)))
        {
            writer.Write(Magic);
            writer.Write(Version);
            writer.Write(checkpoint.Schedule);
            writer.Write(checkpoint.Epochs ?? -1);
            writer.Write(checkpoint.LearningRateMax ?? double.NaN);
            writer.Write(checkpoint.DataDirectory ?? "");
            writer.Write(checkpoint.Embedded);
            writer.Write(checkpoint.BatchSize);
            writer.Write(checkpoint.Seed);
            writer.Write(checkpoint.TrainLimit);
            writer.Write(checkpoint.TestLimit);
            writer.Write(checkpoint.StepsPerEpoch);
            writer.Write(checkpoint.Position);
            writer.Write(checkpoint.Epoch);
            writer.Write(checkpoint.Steps.Count);
            foreach (StepRecord s in checkpoint.Steps)
            {
                writer.Write(s.Step);
                writer.Write(s.LearningRate);
                writer.Write(s.Momentum);
                writer.Write(s.Loss);
            }
            writer.Write(checkpoint.EpochHistory.Count);
            foreach (EpochRecord e in checkpoint.EpochHistory)
            {
                writer.Write(e.Epoch);
                writer.Write(e.TrainLoss);
                writer.Write(e.TestLoss);
                writer.Write(e.Accuracy);
                writer.Write(e.Seconds);
            }
            model.save(writer);
            optimizer.save_state_dict(writer);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads the header; <see cref="LoadState"/> then reads the model and optimizer state from the same reader.</summary>
    public static Checkpoint ReadHeader(BinaryReader reader, string path)
    {
        try
        {
            if (reader.ReadString() != Magic) throw new TrainingException($"'{path}' is not a checkpoint of this sample");
            int version = reader.ReadInt32();
            if (version != Version) throw new TrainingException($"'{path}' is a version {version} checkpoint; this sample reads version {Version}");
            string schedule = reader.ReadString();
            int epochs = reader.ReadInt32();
            double peak = reader.ReadDouble();
            string dataDirectory = reader.ReadString();
            bool embedded = reader.ReadBoolean();
            int batchSize = reader.ReadInt32(), seed = reader.ReadInt32(), trainLimit = reader.ReadInt32(), testLimit = reader.ReadInt32();
            int stepsPerEpoch = reader.ReadInt32();
            long position = reader.ReadInt64();
            int epoch = reader.ReadInt32();
            var steps = new StepRecord[reader.ReadInt32()];
            for (int i = 0; i < steps.Length; i++) steps[i] = new StepRecord(reader.ReadInt64(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble());
            var epochRecords = new EpochRecord[reader.ReadInt32()];
            for (int i = 0; i < epochRecords.Length; i++)
                epochRecords[i] = new EpochRecord(reader.ReadInt32(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble());
            return new Checkpoint
            {
                Schedule = schedule,
                Epochs = epochs < 0 ? null : epochs,
                LearningRateMax = double.IsNaN(peak) ? null : peak,
                DataDirectory = dataDirectory.Length == 0 ? null : dataDirectory,
                Embedded = embedded,
                BatchSize = batchSize,
                Seed = seed,
                TrainLimit = trainLimit,
                TestLimit = testLimit,
                StepsPerEpoch = stepsPerEpoch,
                Position = position,
                Epoch = epoch,
                Steps = steps,
                EpochHistory = epochRecords,
            };
        }
        catch (EndOfStreamException)
        {
            throw new TrainingException($"'{path}' is truncated");
        }
    }

    public static void LoadState(BinaryReader reader, Cnn model, SGD optimizer)
    {
        model.load(reader);
        optimizer.load_state_dict(reader);
    }
}
