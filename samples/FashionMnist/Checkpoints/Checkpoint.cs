using System.Globalization;
using System.Reflection;
using Sched.TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sched.Samples.FashionMnist;

/// <summary>
/// A run's state between processes, as sections of a <see cref="CheckpointFile"/>: "run" (its settings, the schedule position, which
/// is also the step counter, the epoch and the history so far), "model" and "optimizer" (TorchSharp's state formats); for a schedule
/// with plateau phases "schedule-state" (what its reports decided); for a run that averages weights "averaging" (SWA or EMA, where
/// it started, the averaged model's evaluations) and "averaged-model" (<see cref="ModelAverager.Save"/>: the averaged weights, the
/// update count and the position).
/// </summary>
/// <remarks>
/// A feature that keeps state of its own adds a section: its name to <see cref="OptionalSections"/> (or <see cref="RequiredSections"/>),
/// a <see cref="CheckpointWriter.Add"/> in <see cref="Save"/>, a <see cref="CheckpointReader.Read"/> in <see cref="Load"/> or
/// <see cref="Restore"/>. The file format and its checks stay as they are.
/// </remarks>
public sealed class Checkpoint
{
    public const string RunSection = "run", ModelSection = "model", OptimizerSection = "optimizer";
    public const string ScheduleStateSection = "schedule-state", AveragingSection = "averaging", AveragedModelSection = "averaged-model";
    private static readonly string[] RequiredSections = [RunSection, ModelSection, OptimizerSection];
    private static readonly string[] OptionalSections = [ScheduleStateSection, AveragingSection, AveragedModelSection];

    private CheckpointReader? _file;

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
    /// <summary>The weight averaging the run does, if any.</summary>
    public AveragingRule? Averaging { get; init; }
    /// <summary>The position after the averager's first update; -1 before it (or without averaging).</summary>
    public long AveragingStartedAt { get; init; } = -1;
    /// <summary>The averaged model's evaluation at each epoch's end so far.</summary>
    public IReadOnlyList<AveragedEpoch> AveragedEpochs { get; init; } = [];

    /// <summary>Writes the checkpoint atomically; refuses (and leaves the file as it was) when a weight or optimizer state is not finite.</summary>
    /// <param name="scheduleState">What the schedule's reports decided, for a schedule with plateau phases; null otherwise.</param>
    /// <param name="averager">The run's weight averager (its rule is <see cref="Averaging"/>); null when it averages nothing.</param>
    public static void Save(string path, Checkpoint run, Cnn model, OptimizerHelper optimizer, ScheduleState? scheduleState = null, ModelAverager? averager = null)
    {
        if ((averager is null) != (run.Averaging is null))
            throw new ArgumentException("a run that averages saves its averager, and only such a run", nameof(averager));
        if (FirstNonFinite(model, optimizer) is { } where)
        {
            throw new CheckpointException(path, CheckpointProblem.NotFinite,
                $"not saving checkpoint '{path}' at step {run.Position:N0}: {where} is not finite (NaN or infinite), so training has diverged; " +
                "the file keeps its previous contents. Lower --lr-max (--lr-find suggests one)");
        }
        var file = new CheckpointWriter()
            .Add(RunSection, run.Write)
            .Add(ModelSection, writer => model.save(writer))
            .Add(OptimizerSection, optimizer.save_state_dict);
        if (scheduleState is not null) file.Add(ScheduleStateSection, scheduleState.WriteTo);
        if (averager is not null) file.Add(AveragingSection, run.WriteAveraging).Add(AveragedModelSection, averager.Save);
        file.Save(path);
    }

    /// <summary>Reads and checks the file and its "run" section; <see cref="Restore"/> then loads the model and optimizer.</summary>
    public static Checkpoint Load(string path)
    {
        CheckpointReader file = CheckpointReader.Open(path);
        file.Expect(RequiredSections, OptionalSections);
        Checkpoint checkpoint = file.Read(RunSection, Read);
        if (file.Has(AveragingSection) != file.Has(AveragedModelSection))
        {
            throw new CheckpointException(path, CheckpointProblem.MissingSection,
                $"checkpoint '{path}' lacks its '{(file.Has(AveragingSection) ? AveragedModelSection : AveragingSection)}' section, which goes with its " +
                $"'{(file.Has(AveragingSection) ? AveragingSection : AveragedModelSection)}' section");
        }
        if (file.Has(AveragingSection))
        {
            var (rule, startedAt, epochs) = file.Read(AveragingSection, ReadAveraging);
            checkpoint = checkpoint.With(rule, startedAt, epochs);
        }
        checkpoint._file = file;
        return checkpoint;
    }

    /// <summary>Loads the model's and the optimizer's state; refuses weights or optimizer state that are not finite.</summary>
    public void Restore(Cnn model, OptimizerHelper optimizer)
    {
        CheckpointReader file = _file ?? throw new InvalidOperationException("Restore needs a checkpoint read by Load");
        file.Read(ModelSection, reader => model.load(reader));
        file.Read(OptimizerSection, reader =>
        {
            optimizer.load_state_dict(reader);
            return true;
        });
        if (FirstNonFinite(model, optimizer) is { } where)
        {
            throw new CheckpointException(file.Path, CheckpointProblem.NotFinite,
                $"checkpoint '{file.Path}' holds a {where} that is not finite (NaN or infinite): the run it saved had diverged. " +
                "Resume from an earlier checkpoint, or start again with a lower --lr-max");
        }
    }

    /// <summary>
    /// Restores what the reports to <paramref name="schedule"/>'s plateau phases decided, before the driver applies the position's values.
    /// The section is there exactly when the schedule watches a metric.
    /// </summary>
    public void RestoreSchedule(ISchedule schedule)
    {
        CheckpointReader file = _file ?? throw new InvalidOperationException("RestoreSchedule needs a checkpoint read by Load");
        bool watches = schedule.Metrics.Count > 0;
        if (watches && !file.Has(ScheduleStateSection))
        {
            throw new CheckpointException(file.Path, CheckpointProblem.MissingSection,
                $"checkpoint '{file.Path}' lacks its '{ScheduleStateSection}' section, which schedule '{schedule.Name}' needs: it reduces on a plateau of " +
                $"{string.Join(", ", schedule.Metrics)}, and the section holds what the reports so far decided");
        }
        if (!watches && file.Has(ScheduleStateSection))
        {
            throw new CheckpointException(file.Path, CheckpointProblem.Corrupt,
                $"checkpoint '{file.Path}' has a '{ScheduleStateSection}' section, but its schedule '{schedule.Name}' watches no metric");
        }
        if (!watches) return;
        file.Read(ScheduleStateSection, reader =>
        {
            schedule.RestoreState(ScheduleState.ReadFrom(reader));
            return true;
        });
    }

    /// <summary>Loads the averaged weights, the update count and the position into <paramref name="averager"/>, built for this run.</summary>
    public void RestoreAveraging(ModelAverager averager)
    {
        CheckpointReader file = _file ?? throw new InvalidOperationException("RestoreAveraging needs a checkpoint read by Load");
        file.Read(AveragedModelSection, reader =>
        {
            averager.Load(reader);
            return true;
        });
        if (averager.Position != Position)
        {
            throw new CheckpointException(file.Path, CheckpointProblem.Corrupt,
                $"checkpoint '{file.Path}': its '{AveragedModelSection}' section is at step {averager.Position:N0}, the run at step {Position:N0}");
        }
    }

    /// <summary>The options given with --resume that differ from this checkpoint's settings, as "--option value (the checkpoint's: value)".</summary>
    public IReadOnlyList<string> Conflicts(TrainingOptions options)
    {
        var conflicts = new List<string>();
        void Check(string option, bool differs, string given, string saved)
        {
            if (options.Given.Contains(option) && differs) conflicts.Add($"{option}{(given.Length > 0 ? " " + given : "")} (the checkpoint's: {saved})");
        }
        static string Text(object? value) => value switch
        {
            null => "none",
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
        };
        Check("--schedule", !string.Equals(options.Schedule, Schedule, StringComparison.OrdinalIgnoreCase), options.Schedule, Schedule);
        Check("--epochs", options.Epochs != Epochs, Text(options.Epochs), Epochs is null ? "the schedule's own length" : Text(Epochs));
        Check("--lr-max", options.LearningRateMax != LearningRateMax, Text(options.LearningRateMax), LearningRateMax is null ? "the schedule's default" : Text(LearningRateMax));
        Check("--batch-size", options.BatchSize != BatchSize, Text(options.BatchSize), Text(BatchSize));
        Check("--seed", options.Seed != Seed, Text(options.Seed), Text(Seed));
        string? givenData = options.DataDirectory is null ? null : Path.GetFullPath(options.DataDirectory);
        Check("--data", givenData != DataDirectory, options.DataDirectory ?? "", DataDirectory ?? (Embedded ? "the embedded subset" : "the default data"));
        Check("--embedded", !Embedded, "", "not embedded");
        Check("--train-limit", options.TrainLimit != TrainLimit, Text(options.TrainLimit), TrainLimit == 0 ? "none" : Text(TrainLimit));
        Check("--test-limit", options.TestLimit != TestLimit, Text(options.TestLimit), TestLimit == 0 ? "none" : Text(TestLimit));
        string averaging = Averaging is { } rule ? AveragingHook.OptionOf(rule) : "no averaging";
        Check("--swa", Averaging != AveragingRule.Swa, "", averaging);
        Check("--ema", Averaging != AveragingRule.Ema, "", averaging);
        return conflicts;
    }

    private void Write(BinaryWriter writer)
    {
        writer.Write(Schedule);
        writer.Write(Epochs ?? -1);
        writer.Write(LearningRateMax ?? double.NaN);
        writer.Write(DataDirectory ?? "");
        writer.Write(Embedded);
        writer.Write(BatchSize);
        writer.Write(Seed);
        writer.Write(TrainLimit);
        writer.Write(TestLimit);
        writer.Write(StepsPerEpoch);
        writer.Write(Position);
        writer.Write(Epoch);
        writer.Write(Steps.Count);
        foreach (StepRecord s in Steps)
        {
            writer.Write(s.Step);
            writer.Write(s.LearningRate);
            writer.Write(s.Momentum);
            writer.Write(s.Loss);
        }
        writer.Write(EpochHistory.Count);
        foreach (EpochRecord e in EpochHistory)
        {
            writer.Write(e.Epoch);
            writer.Write(e.TrainLoss);
            writer.Write(e.TestLoss);
            writer.Write(e.Accuracy);
            writer.Write(e.Seconds);
        }
    }

    private Checkpoint With(AveragingRule rule, long startedAt, IReadOnlyList<AveragedEpoch> epochs) => new()
    {
        Schedule = Schedule,
        Epochs = Epochs,
        LearningRateMax = LearningRateMax,
        DataDirectory = DataDirectory,
        Embedded = Embedded,
        BatchSize = BatchSize,
        Seed = Seed,
        TrainLimit = TrainLimit,
        TestLimit = TestLimit,
        StepsPerEpoch = StepsPerEpoch,
        Position = Position,
        Epoch = Epoch,
        Steps = Steps,
        EpochHistory = EpochHistory,
        Averaging = rule,
        AveragingStartedAt = startedAt,
        AveragedEpochs = epochs,
    };

    private void WriteAveraging(BinaryWriter writer)
    {
        writer.Write(Averaging!.Value.ToString());
        writer.Write(AveragingStartedAt);
        writer.Write(AveragedEpochs.Count);
        foreach (AveragedEpoch e in AveragedEpochs)
        {
            writer.Write(e.Epoch);
            writer.Write(e.TestLoss);
            writer.Write(e.Accuracy);
            writer.Write(e.Models);
        }
    }

    private static (AveragingRule Rule, long StartedAt, IReadOnlyList<AveragedEpoch> Epochs) ReadAveraging(BinaryReader reader)
    {
        string name = reader.ReadString();
        if (!Enum.TryParse(name, out AveragingRule rule) || !Enum.IsDefined(rule)) throw new InvalidDataException($"'{name}' is not an averaging rule");
        long startedAt = reader.ReadInt64();
        var epochs = new AveragedEpoch[Count(reader, 28)];
        for (int i = 0; i < epochs.Length; i++) epochs[i] = new AveragedEpoch(reader.ReadInt32(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadInt64());
        if (startedAt < -1) throw new InvalidDataException($"averaging started at step {startedAt}");
        return (rule, startedAt, epochs);
    }

    private static Checkpoint Read(BinaryReader reader)
    {
        string schedule = reader.ReadString();
        int epochs = reader.ReadInt32();
        double peak = reader.ReadDouble();
        string dataDirectory = reader.ReadString();
        bool embedded = reader.ReadBoolean();
        int batchSize = reader.ReadInt32(), seed = reader.ReadInt32(), trainLimit = reader.ReadInt32(), testLimit = reader.ReadInt32();
        int stepsPerEpoch = reader.ReadInt32();
        long position = reader.ReadInt64();
        int epoch = reader.ReadInt32();
        var steps = new StepRecord[Count(reader, 32)];
        for (int i = 0; i < steps.Length; i++) steps[i] = new StepRecord(reader.ReadInt64(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble());
        var epochRecords = new EpochRecord[Count(reader, 36)];
        for (int i = 0; i < epochRecords.Length; i++)
            epochRecords[i] = new EpochRecord(reader.ReadInt32(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble());
        if (batchSize < 1 || stepsPerEpoch < 1 || position < 0 || epoch < 0 || trainLimit < 0 || testLimit < 0)
            throw new InvalidDataException("its counters are out of range");
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

    /// <summary>A record count, checked against the bytes left so that a bad count cannot allocate gigabytes.</summary>
    private static int Count(BinaryReader reader, int recordBytes)
    {
        int count = reader.ReadInt32();
        long left = reader.BaseStream.Length - reader.BaseStream.Position;
        if (count < 0 || (long)count * recordBytes > left) throw new InvalidDataException($"a count of {count} records does not fit in the {left} bytes left");
        return count;
    }

    /// <summary>The first parameter or optimizer state tensor with a NaN or an infinity, in words; null when all are finite.</summary>
    internal static string? FirstNonFinite(Cnn model, OptimizerHelper optimizer)
    {
        foreach (var (name, parameter) in model.named_parameters())
            if (!AllFinite(parameter)) return $"weight '{name}'";
        int index = 0;
        foreach (OptimizerState state in optimizer.state_dict().State)
        {
            // TorchSharp exposes each optimizer's state tensors only as public fields of its own State class (SGD: momentum_buffer).
            foreach (FieldInfo field in state.GetType().GetFields(BindingFlags.Public | BindingFlags.Instance))
                if (field.GetValue(state) is Tensor tensor && !AllFinite(tensor)) return $"optimizer state '{field.Name}' of parameter {index}";
            index++;
        }
        return null;
    }

    private static bool AllFinite(Tensor tensor)
    {
        using var _ = no_grad();
        using Tensor finite = isfinite(tensor);
        using Tensor all = finite.all();
        return all.item<bool>();
    }
}
