using System.Diagnostics;
using System.Globalization;
using Sched.TorchSharp;
using Spectre.Console;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sched.Samples.FashionMnist;

/// <summary>What a run did, for callers (and tests) that run it in-process.</summary>
/// <param name="NonFiniteStep">The step whose loss was NaN or infinite, which ended the run; null when there was none.</param>
public sealed record TrainingResult(
    string OutputDirectory, string CsvPath, string PlotPath, ISchedule Schedule, int StepsPerEpoch,
    long StartStep, long EndStep, IReadOnlyList<StepRecord> Steps, IReadOnlyList<EpochRecord> Epochs, string DataSource, string Device,
    bool Completed, bool Interrupted, StepRecord? NonFiniteStep = null);

/// <summary>Trains the CNN: data, model, SGD + momentum, the schedule through <see cref="ScheduleDriver"/>, progress, checkpoints, outputs.</summary>
public static class Trainer
{
    public static TrainingResult Run(TrainingOptions options, IAnsiConsole console, CancellationToken cancel = default)
    {
        var started = Stopwatch.StartNew();
        Checkpoint? resumed = null;
        if (options.ResumePath is not null)
        {
            resumed = Checkpoint.Load(options.ResumePath);
            IReadOnlyList<string> conflicts = resumed.Conflicts(options);
            if (conflicts.Count > 0)
            {
                throw new CheckpointException(options.ResumePath, CheckpointProblem.ConflictingOptions,
                    $"--resume {options.ResumePath} continues the run with the settings it was saved with, and these options differ from them: " +
                    $"{string.Join("; ", conflicts)}. Leave them out to resume, or leave out --resume to start a new run");
            }
            options = options with
            {
                Schedule = resumed.Schedule,
                Epochs = resumed.Epochs,
                LearningRateMax = resumed.LearningRateMax,
                // The installed set is found where it is installed, as when the run began.
                DataDirectory = resumed.DataDirectory == FashionMnistData.InstalledDirectory ? null : resumed.DataDirectory,
                Embedded = resumed.Embedded,
                BatchSize = resumed.BatchSize,
                Seed = resumed.Seed,
                TrainLimit = resumed.TrainLimit,
                TestLimit = resumed.TestLimit,
            };
        }
        foreach (string? path in new[] { options.SavePath, options.ResumePath }.Distinct())
        {
            if (path is not null && CheckpointFile.RemoveStaleTemporary(path))
                console.MarkupLineInterpolated($"removed {CheckpointFile.TemporaryPath(path)}, left by a checkpoint save that was cut short");
        }
        return Train(options, console, resumed, started, cancel);
    }

    private static TrainingResult Train(TrainingOptions options, IAnsiConsole console, Checkpoint? resumed, Stopwatch started, CancellationToken cancel)
    {
        if (options.Threads > 0) torch.set_num_threads(options.Threads);
        Device device = ChooseDevice(options);
        string deviceText = device.type == DeviceType.CUDA ? $"CUDA ({torch.cuda.device_count()} device(s))" : $"CPU ({torch.get_num_threads()} threads)";

        FashionMnistData data = FashionMnistData.Load(options.DataDirectory, options.Embedded, options.TrainLimit, options.TestLimit);
        int stepsPerEpoch = (data.TrainCount + options.BatchSize - 1) / options.BatchSize;
        if (resumed is not null && resumed.StepsPerEpoch != stepsPerEpoch)
        {
            throw new CheckpointException(options.ResumePath!, CheckpointProblem.ConflictingOptions,
                $"checkpoint '{options.ResumePath}' was taken with {resumed.StepsPerEpoch} steps per epoch; the data here ({data.Source}) gives {stepsPerEpoch}: resume where the same data is installed");
        }

        Type scheduleType = ScheduleCatalog.Find(options.Schedule);
        int? epochs = options.Epochs ?? ScheduleCatalog.DefaultEpochs(scheduleType);
        double? peak = options.LearningRateMax ?? ScheduleCatalog.DefaultPeak(scheduleType);
        ISchedule schedule = ScheduleCatalog.Create(scheduleType, stepsPerEpoch, epochs, peak, set: null, out string scheduleText);
        long totalSteps = schedule.StepCount();
        int totalEpochs = (int)((totalSteps + stepsPerEpoch - 1) / stepsPerEpoch);
        if (resumed is not null && resumed.Position > totalSteps)
        {
            throw new CheckpointException(options.ResumePath!, CheckpointProblem.Corrupt,
                $"checkpoint '{options.ResumePath}' is at step {resumed.Position:N0}, past the end of its schedule ({totalSteps:N0} steps)");
        }

        torch.random.manual_seed(options.Seed);
        using var model = new Cnn();
        model.to(device);
        // lr and momentum are the schedule's from the driver's first Apply; these are placeholders for tracks it lacks.
        using SGD optimizer = optim.SGD(model.parameters(), 0.01, momentum: 0.9);
        resumed?.Restore(model, optimizer);
        long startStep = resumed?.Position ?? 0;
        int startEpoch = resumed?.Epoch ?? 0;
        var driver = new ScheduleDriver(schedule, optimizer, new ScheduleDriverOptions { StartPosition = startStep });

        string outputDirectory = options.OutputDirectory ?? Path.Combine("runs", DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(outputDirectory);

        console.MarkupLineInterpolated($"[bold]Fashion-MNIST[/] · data: {data.Source} ({data.TrainCount:N0} train, {data.TestCount:N0} test images)");
        console.MarkupLineInterpolated($"device: [bold]{deviceText}[/]");
        console.MarkupLineInterpolated($"schedule: [bold]{scheduleText}[/]");
        console.MarkupLineInterpolated($"{totalSteps:N0} steps = {totalSteps / (double)stepsPerEpoch:0.##} epochs of {stepsPerEpoch} batches of {options.BatchSize}; SGD + momentum; seed {options.Seed}");
        if (resumed is not null) console.MarkupLineInterpolated($"resumed from {options.ResumePath} at step {startStep:N0} (epoch {startEpoch + 1})");

        using var tensors = new TensorData(data, device);
        var loop = new TrainingLoop(model, optimizer, driver, tensors, options.BatchSize, options.Seed, totalSteps, resumed?.Steps, resumed?.EpochHistory);

        int stopEpoch = options.StopAfterEpochs > 0 ? Math.Min(totalEpochs, startEpoch + options.StopAfterEpochs) : totalEpochs;
        long stopStep = Math.Min(totalSteps, (long)stopEpoch * stepsPerEpoch);
        var progress = new ProgressReporter(console, options.Plain, totalSteps, startStep, stopStep, stepsPerEpoch, totalEpochs);
        CheckpointHook? saver = options.SavePath is null ? null : new CheckpointHook(options.SavePath, options.SaveEvery, model, optimizer, position => new Checkpoint
        {
            Schedule = scheduleType.Name,
            Epochs = epochs,
            LearningRateMax = peak,
            DataDirectory = data.Directory,
            Embedded = data.Directory is null,
            BatchSize = options.BatchSize,
            Seed = options.Seed,
            TrainLimit = options.TrainLimit,
            TestLimit = options.TestLimit,
            StepsPerEpoch = stepsPerEpoch,
            Position = position,
            Epoch = position >= totalSteps ? totalEpochs : (int)(position / stepsPerEpoch),
            Steps = loop.Steps,
            EpochHistory = loop.Epochs,
        });

        LoopEnd end = LoopEnd.Reached;
        StepRecord? nonFinite = null;
        progress.Run(onStep =>
        {
            var show = new ProgressHooks(progress, onStep, step => nonFinite = step);
            // The checkpoint first: a step shown is a step saved.
            end = loop.Run(stopStep, saver is null ? [show] : [saver, show], cancel);
        });
        bool interrupted = end == LoopEnd.Interrupted;
        // Ctrl+C: keep what was done since the last save.
        if (interrupted && saver is not null) saver.SaveUnlessSaved(loop.Position);

        long position = loop.Position;
        IReadOnlyList<StepRecord> steps = loop.Steps;
        IReadOnlyList<EpochRecord> epochRecords = loop.Epochs;
        string csv = Path.Combine(outputDirectory, "steps.csv"), png = Path.Combine(outputDirectory, "steps.png");
        RunRecord.WriteCsv(csv, steps);
        RunRecord.WritePlot(png, steps, stepsPerEpoch, $"{scheduleText} on Fashion-MNIST");

        if (epochRecords.Count > 0) progress.Summary(epochRecords);
        string state = nonFinite is not null ? "[red]diverged[/]" : interrupted ? "[yellow]interrupted[/]" : position >= totalSteps ? "[green]done[/]" : "[yellow]stopped[/]";
        console.MarkupLine($"{state} at step {position:N0} of {totalSteps:N0} in {started.Elapsed.TotalSeconds:0.0} s");
        if (epochRecords.Count > 0) console.MarkupLineInterpolated($"final test accuracy: {epochRecords[^1].Accuracy:P2}");
        console.MarkupLineInterpolated($"wrote {csv} and {png}");
        if (saver is not null && saver.SavedAt > startStep) console.MarkupLineInterpolated($"checkpoint: {options.SavePath} (step {saver.SavedAt:N0}); continue with --resume {options.SavePath}");
        return new TrainingResult(outputDirectory, csv, png, schedule, stepsPerEpoch, startStep, position, steps, epochRecords, data.Source, deviceText,
            position >= totalSteps, interrupted, nonFinite);
    }

    /// <summary>CUDA when there is one and --cpu was not given.</summary>
    internal static Device ChooseDevice(TrainingOptions options) => !options.Cpu && torch.cuda.is_available() ? CUDA : CPU;

    /// <summary>The progress display: a line or a bar per step, a table row per epoch.</summary>
    private sealed class ProgressHooks(ProgressReporter progress, Action<long, StepRecord> onStep, Action<StepRecord> onNonFinite) : TrainingHooks
    {
        public override bool AfterStep(TrainingLoop loop, StepRecord step)
        {
            onStep(loop.Position, step);
            return true;
        }

        public override void NonFiniteLoss(TrainingLoop loop, StepRecord step) => onNonFinite(step);

        public override void AfterEpoch(TrainingLoop loop, EpochRecord epoch) => progress.EpochDone(epoch);
    }

    /// <summary>Saves a checkpoint at every epoch's end and, with --save-every N, every N steps.</summary>
    private sealed class CheckpointHook(string path, int every, Cnn model, SGD optimizer, Func<long, Checkpoint> snapshot) : TrainingHooks
    {
        /// <summary>The position of the last save; -1 before the first.</summary>
        public long SavedAt { get; private set; } = -1;

        public override bool AfterStep(TrainingLoop loop, StepRecord step)
        {
            bool epochEnd = loop.Position % loop.StepsPerEpoch == 0 || loop.Position == loop.EndStep;
            // At an epoch's end AfterEpoch saves, with the epoch's row.
            if (every > 0 && loop.Position % every == 0 && !epochEnd) Save(loop.Position);
            return true;
        }

        public override void AfterEpoch(TrainingLoop loop, EpochRecord epoch) => Save(loop.Position);

        public void SaveUnlessSaved(long position)
        {
            if (SavedAt != position) Save(position);
        }

        private void Save(long position)
        {
            Checkpoint.Save(path, snapshot(position), model, optimizer);
            SavedAt = position;
        }
    }
}
