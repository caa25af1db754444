using System.Diagnostics;
using System.Globalization;
using Sched.TorchSharp;
using Spectre.Console;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sched.Samples.FashionMnist;

/// <summary>What a run did, for callers (and tests) that run it in-process.</summary>
public sealed record TrainingResult(
    string OutputDirectory, string CsvPath, string PlotPath, ISchedule Schedule, int StepsPerEpoch,
    long StartStep, long EndStep, IReadOnlyList<StepRecord> Steps, IReadOnlyList<EpochRecord> Epochs, string DataSource, string Device,
    bool Completed, bool Interrupted);

/// <summary>Trains the CNN: data, model, SGD + momentum, the schedule through <see cref="ScheduleDriver"/>, progress, outputs.</summary>
public static class Trainer
{
    private const double Mean = 0.2860, Std = 0.3530; // Fashion-MNIST training pixels, scaled to [0, 1]
    private const int EvaluationBatch = 1000;

    public static TrainingResult Run(TrainingOptions options, IAnsiConsole console, CancellationToken cancel = default)
    {
        var started = Stopwatch.StartNew();
        Checkpoint? resumed = null;
        BinaryReader? resumeReader = null;
        try
        {
            if (options.ResumePath is not null)
            {
                if (!File.Exists(options.ResumePath)) throw new TrainingException($"checkpoint '{options.ResumePath}' does not exist");
                resumeReader = new BinaryReader(File.OpenRead(options.ResumePath));
                resumed = Checkpoint.ReadHeader(resumeReader, options.ResumePath);
                // The run's settings are the checkpoint's: the schedule must be laid out as it was.
                options = options with
                {
                    Schedule = resumed.Schedule,
                    Epochs = resumed.Epochs,
                    LearningRateMax = resumed.LearningRateMax,
                    DataDirectory = resumed.DataDirectory,
                    Embedded = resumed.Embedded,
                    BatchSize = resumed.BatchSize,
                    Seed = resumed.Seed,
                    TrainLimit = resumed.TrainLimit,
                    TestLimit = resumed.TestLimit,
                };
            }
            return Train(options, console, resumed, resumeReader, started, cancel);
        }
        finally
        {
            resumeReader?.Dispose();
        }
    }

    private static TrainingResult Train(TrainingOptions options, IAnsiConsole console, Checkpoint? resumed, BinaryReader? resumeReader, Stopwatch started, CancellationToken cancel)
    {
        if (options.Threads > 0) torch.set_num_threads(options.Threads);
        Device device = ChooseDevice(options);
        string deviceText = device.type == DeviceType.CUDA ? $"CUDA ({torch.cuda.device_count()} device(s))" : $"CPU ({torch.get_num_threads()} threads)";

        FashionMnistData data = FashionMnistData.Load(options.DataDirectory, options.Embedded, options.TrainLimit, options.TestLimit);
        int stepsPerEpoch = (data.TrainCount + options.BatchSize - 1) / options.BatchSize;
        if (resumed is not null && resumed.StepsPerEpoch != stepsPerEpoch)
            throw new TrainingException($"the checkpoint was taken with {resumed.StepsPerEpoch} steps per epoch; this data gives {stepsPerEpoch}: resume with the same --data");

        // Sample defaults: 1cycle length and peak tuned for this CNN with SGD + momentum (see README).
        Type scheduleType = ScheduleCatalog.Find(options.Schedule);
        int? epochs = options.Epochs ?? (ScheduleCatalog.HasEpochs(scheduleType) ? TrainingOptions.DefaultEpochs : null);
        double? peak = options.LearningRateMax ?? (scheduleType == typeof(FastaiOneCycle) ? TrainingOptions.DefaultLearningRateMax : null);
        ISchedule schedule = ScheduleCatalog.Create(scheduleType, stepsPerEpoch, epochs, peak, out string scheduleText);
        long totalSteps = schedule.StepCount();
        int totalEpochs = (int)((totalSteps + stepsPerEpoch - 1) / stepsPerEpoch);

        torch.random.manual_seed(options.Seed);
        using var model = new Cnn();
        model.to(device);
        // lr and momentum are the schedule's from the driver's first Apply; these are placeholders for tracks it lacks.
        using SGD optimizer = optim.SGD(model.parameters(), 0.01, momentum: 0.9);
        long position = 0;
        int startEpoch = 0;
        var steps = new List<StepRecord>();
        var epochRecords = new List<EpochRecord>();
        if (resumed is not null)
        {
            Checkpoint.LoadState(resumeReader!, model, optimizer);
            position = resumed.Position;
            startEpoch = resumed.Epoch;
            steps.AddRange(resumed.Steps);
            epochRecords.AddRange(resumed.EpochHistory);
        }
        var driver = new ScheduleDriver(schedule, optimizer, new ScheduleDriverOptions { StartPosition = position });
        var group = optimizer.ParamGroups.First();

        string outputDirectory = options.OutputDirectory ?? Path.Combine("runs", DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(outputDirectory);

        console.MarkupLineInterpolated($"[bold]Fashion-MNIST[/] · data: {data.Source} ({data.TrainCount:N0} train, {data.TestCount:N0} test images)");
        console.MarkupLineInterpolated($"device: [bold]{deviceText}[/]");
        console.MarkupLineInterpolated($"schedule: [bold]{scheduleText}[/]");
        console.MarkupLineInterpolated($"{totalSteps:N0} steps = {totalSteps / (double)stepsPerEpoch:0.##} epochs of {stepsPerEpoch} batches of {options.BatchSize}; SGD + momentum; seed {options.Seed}");
        if (resumed is not null) console.MarkupLineInterpolated($"resumed from {options.ResumePath} at step {position:N0} (epoch {startEpoch + 1})");

        using Tensor trainX = Images(data.TrainImages, data.TrainCount, device);
        using Tensor trainY = Labels(data.TrainLabels, device);
        using Tensor testX = Images(data.TestImages, data.TestCount, device);
        using Tensor testY = Labels(data.TestLabels, device);

        int stopEpoch = options.StopAfterEpochs > 0 ? Math.Min(totalEpochs, startEpoch + options.StopAfterEpochs) : totalEpochs;
        long stopStep = Math.Min(totalSteps, (long)stopEpoch * stepsPerEpoch);
        long startStep = position;
        var progress = new ProgressReporter(console, options.Plain, totalSteps, startStep, stopStep, stepsPerEpoch, totalEpochs);
        bool interrupted = false;

        void TrainEpochs(Action<long, StepRecord> onStep)
        {
            var epochClock = Stopwatch.StartNew();
            double epochLoss = 0;
            int epochBatches = 0;
            long[] order = [];
            int orderEpoch = -1;
            while (position < stopStep)
            {
                int epoch = (int)(position / stepsPerEpoch);
                int batch = (int)(position % stepsPerEpoch);
                if (batch == 0 || epochBatches == 0)
                {
                    epochClock.Restart();
                    epochLoss = 0;
                    epochBatches = 0;
                }
                if (orderEpoch != epoch)
                {
                    order = Permutation(data.TrainCount, options.Seed, epoch);
                    orderEpoch = epoch;
                }
                int from = batch * options.BatchSize, count = Math.Min(options.BatchSize, data.TrainCount - from);

                double lr = group.LearningRate;
                double momentum = group is optim.IMomentum m ? m.Momentum : double.NaN;
                double loss;
                using (var scope = NewDisposeScope())
                {
                    model.train();
                    Tensor index = tensor(order.AsSpan(from, count).ToArray(), device: device);
                    Tensor x = trainX.index_select(0, index), y = trainY.index_select(0, index);
                    optimizer.zero_grad();
                    Tensor output = model.forward(x);
                    Tensor batchLoss = nn.functional.cross_entropy(output, y);
                    batchLoss.backward();
                    optimizer.step();
                    loss = batchLoss.item<float>();
                }
                driver.Step();
                var record = new StepRecord(position, lr, momentum, loss);
                steps.Add(record);
                position++;
                epochLoss += loss;
                epochBatches++;
                onStep(position, record);

                bool epochEnd = position % stepsPerEpoch == 0 || position == totalSteps;
                if (epochEnd)
                {
                    var (testLoss, accuracy) = Evaluate(model, testX, testY);
                    // The epoch's mean batch loss from the history, so an epoch resumed midway still counts all its batches.
                    long epochStart = (long)epoch * stepsPerEpoch;
                    double trainLoss = steps.Where(s => s.Step >= epochStart).Select(s => s.Loss).DefaultIfEmpty(epochLoss / epochBatches).Average();
                    var row = new EpochRecord(epoch + 1, trainLoss, testLoss, accuracy, epochClock.Elapsed.TotalSeconds);
                    epochRecords.Add(row);
                    progress.EpochDone(row);
                    if (options.SavePath is not null) Save(options.SavePath, position, epoch + 1);
                }
                if (cancel.IsCancellationRequested && position < stopStep)
                {
                    interrupted = true;
                    if (options.SavePath is not null && !epochEnd) Save(options.SavePath, position, epoch);
                    return;
                }
            }
        }

        void Save(string path, long at, int epoch) => Checkpoint.Save(path, new Checkpoint
        {
            Schedule = scheduleType.Name,
            Epochs = epochs,
            LearningRateMax = peak,
            DataDirectory = options.DataDirectory is null ? null : Path.GetFullPath(options.DataDirectory),
            Embedded = options.Embedded,
            BatchSize = options.BatchSize,
            Seed = options.Seed,
            TrainLimit = options.TrainLimit,
            TestLimit = options.TestLimit,
            StepsPerEpoch = stepsPerEpoch,
            Position = at,
            Epoch = epoch,
            Steps = steps,
            EpochHistory = epochRecords,
        }, model, optimizer);

        progress.Run(TrainEpochs);

        string csv = Path.Combine(outputDirectory, "steps.csv"), png = Path.Combine(outputDirectory, "steps.png");
        RunRecord.WriteCsv(csv, steps);
        RunRecord.WritePlot(png, steps, stepsPerEpoch, $"{scheduleText} on Fashion-MNIST");

        if (epochRecords.Count > 0) progress.Summary(epochRecords);
        string state = interrupted ? "[yellow]interrupted[/]" : position >= totalSteps ? "[green]done[/]" : "[yellow]stopped[/]";
        console.MarkupLine($"{state} at step {position:N0} of {totalSteps:N0} in {started.Elapsed.TotalSeconds:0.0} s");
        if (epochRecords.Count > 0) console.MarkupLineInterpolated($"final test accuracy: {epochRecords[^1].Accuracy:P2}");
        console.MarkupLineInterpolated($"wrote {csv} and {png}");
        if (options.SavePath is not null && (position > startStep)) console.MarkupLineInterpolated($"checkpoint: {options.SavePath} (step {position:N0}); continue with --resume {options.SavePath}");
        return new TrainingResult(outputDirectory, csv, png, schedule, stepsPerEpoch, startStep, position, steps, epochRecords, data.Source, deviceText, position >= totalSteps, interrupted);
    }

    /// <summary>CUDA when there is one and --cpu was not given.</summary>
    internal static Device ChooseDevice(TrainingOptions options) => !options.Cpu && torch.cuda.is_available() ? CUDA : CPU;

    internal static Tensor Labels(byte[] labels, Device device) => tensor(labels.Select(b => (long)b).ToArray(), device: device);

    internal static Tensor Images(byte[] pixels, int count, Device device)
    {
        using var bytes = tensor(pixels, new long[] { count, 1, FashionMnistData.Side, FashionMnistData.Side });
        using var scaled = bytes.to_type(ScalarType.Float32).div_(255.0).sub_(Mean).div_(Std);
        return scaled.to(device);
    }

    /// <summary>The epoch's order of training images: a function of seed and epoch only, so a resumed run sees the same batches.</summary>
    internal static long[] Permutation(int count, int seed, int epoch)
    {
        var order = new long[count];
        for (int i = 0; i < count; i++) order[i] = i;
        new Random(unchecked(seed * 1_000_003 + epoch)).Shuffle(order); // not HashCode: it differs between processes
        return order;
    }

    internal static (double Loss, double Accuracy) Evaluate(Cnn model, Tensor x, Tensor y)
    {
        model.eval();
        using var _ = no_grad();
        long n = x.shape[0];
        double lossSum = 0;
        long correct = 0;
        for (long from = 0; from < n; from += EvaluationBatch)
        {
            using var scope = NewDisposeScope();
            long count = Math.Min(EvaluationBatch, n - from);
            Tensor xb = x.narrow(0, from, count), yb = y.narrow(0, from, count);
            Tensor output = model.forward(xb);
            lossSum += nn.functional.cross_entropy(output, yb, reduction: nn.Reduction.Sum).item<float>();
            correct += output.argmax(1).eq(yb).sum().item<long>();
        }
        model.train();
        return (lossSum / n, correct / (double)n);
    }
}
