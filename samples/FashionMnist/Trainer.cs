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
/// <param name="Averaging">SWA or EMA; null when the run averaged no weights.</param>
/// <param name="AveragingStartedAt">The position after the first update of the average; -1 when it has not started.</param>
/// <param name="AveragedEpochs">The averaged model's evaluation at each epoch's end from the first update on, including those before a resume.</param>
/// <param name="Reductions">The learning-rate reductions that this run's reports of val_loss decided.</param>
public sealed record TrainingResult(
    string OutputDirectory, string CsvPath, string PlotPath, ISchedule Schedule, int StepsPerEpoch,
    long StartStep, long EndStep, IReadOnlyList<StepRecord> Steps, IReadOnlyList<EpochRecord> Epochs, string DataSource, string Device,
    bool Completed, bool Interrupted, StepRecord? NonFiniteStep = null,
    AveragingRule? Averaging = null, long AveragingStartedAt = -1, IReadOnlyList<AveragedEpoch>? AveragedEpochs = null,
    IReadOnlyList<LearningRateReduction>? Reductions = null);

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
                Swa = resumed.Averaging == AveragingRule.Swa,
                Ema = resumed.Averaging == AveragingRule.Ema,
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

        CatalogueSchedule scheduleClass = ScheduleCatalog.Find(options.Schedule);
        int? epochs = options.Epochs ?? ScheduleCatalog.DefaultEpochs(scheduleClass);
        double? peak = options.LearningRateMax ?? ScheduleCatalog.DefaultPeak(scheduleClass);
        ISchedule schedule = ScheduleCatalog.Create(scheduleClass, stepsPerEpoch, epochs, peak, set: null, out string scheduleText);
        PlateauReports.Check(schedule);
        if (options.Averaging is { } averagingRule) AveragingHook.CheckTrack(schedule, averagingRule);
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
        // What the reports decided so far, before the driver applies the position's values.
        resumed?.RestoreSchedule(schedule);
        long startStep = resumed?.Position ?? 0;
        int startEpoch = resumed?.Epoch ?? 0;
        var driver = new ScheduleDriver(schedule, optimizer, new ScheduleDriverOptions { StartPosition = startStep });
        // Built once the model is on its device and loaded: the averager binds the tensors it reads.
        using AveragingHook? averaging = options.Averaging is { } rule
            ? new AveragingHook(model, schedule, rule, device, resumed?.AveragingStartedAt ?? -1, resumed?.AveragedEpochs)
            {
                Started = position => console.MarkupLineInterpolated(
                    $"{AveragingHook.NameOf(rule)}: averaging started after step {position:N0} (epoch {(position - 1) / stepsPerEpoch + 1}){(rule == AveragingRule.Swa ? "; the average holds 1 model" : "")}"),
            }
            : null;
        if (averaging is not null) resumed?.RestoreAveraging(averaging.Averager);
        PlateauReports? plateau = PlateauReports.Needed(schedule)
            ? new PlateauReports
            {
                Reduced = r => console.MarkupLineInterpolated(
                    $"plateau: the test loss ({PlateauReports.Metric} {r.TestLoss:0.0000}) stopped improving; lr {r.Before:G4} → {r.After:G4} from step {r.Position:N0} (epoch {r.Epoch + 1})"),
            }
            : null;

        string outputDirectory = options.OutputDirectory ?? Path.Combine("runs", DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(outputDirectory);

        console.MarkupLineInterpolated($"[bold]Fashion-MNIST[/] · data: {data.Source} ({data.TrainCount:N0} train, {data.TestCount:N0} test images)");
        console.MarkupLineInterpolated($"device: [bold]{deviceText}[/]");
        console.MarkupLineInterpolated($"schedule: [bold]{scheduleText}[/]");
        console.MarkupLineInterpolated($"{totalSteps:N0} steps = {totalSteps / (double)stepsPerEpoch:0.##} epochs of {stepsPerEpoch} batches of {options.BatchSize}; SGD + momentum; seed {options.Seed}");
        if (plateau is not null) console.MarkupLineInterpolated($"reduce on plateau: the test loss is reported as {PlateauReports.Metric} after every epoch");
        if (averaging is not null)
        {
            string statistics = averaging.BatchNormLayers > 0
                ? $"after recomputing its {averaging.BatchNormLayers} BatchNorm layers' statistics on the training images"
                : "(the CNN has no BatchNorm layers: no statistics to recompute)";
            console.MarkupLineInterpolated($"averaging: {averaging.Name} on the schedule's '{AveragingTracks.For(averaging.Rule)}' track, evaluated after each epoch {statistics}");
        }
        if (resumed is not null) console.MarkupLineInterpolated($"resumed from {options.ResumePath} at step {startStep:N0} (epoch {startEpoch + 1})");
        if (resumed is not null && averaging is not null)
        {
            if (averaging.StartedAt < 0) console.MarkupLineInterpolated($"{averaging.Name}: averaging has not started yet");
            else console.MarkupLineInterpolated($"{averaging.Name}: averaging started after step {averaging.StartedAt:N0}; {Models(averaging.Rule, averaging.Averager.UpdateCount)} so far");
        }

        using var tensors = new TensorData(data, device);
        var loop = new TrainingLoop(model, optimizer, driver, tensors, options.BatchSize, options.Seed, totalSteps, resumed?.Steps, resumed?.EpochHistory);

        int stopEpoch = options.StopAfterEpochs > 0 ? Math.Min(totalEpochs, startEpoch + options.StopAfterEpochs) : totalEpochs;
        long stopStep = Math.Min(totalSteps, (long)stopEpoch * stepsPerEpoch);
        var progress = new ProgressReporter(console, options.Plain, totalSteps, startStep, stopStep, stepsPerEpoch, totalEpochs, averaging);
        CheckpointHook? saver = options.SavePath is null ? null : new CheckpointHook(options.SavePath, options.SaveEvery, model, optimizer,
            plateau is null ? null : schedule, averaging?.Averager, position => new Checkpoint
        {
            Schedule = scheduleClass.Name,
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
            Averaging = averaging?.Rule,
            AveragingStartedAt = averaging?.StartedAt ?? -1,
            AveragedEpochs = averaging?.Epochs ?? [],
        });

        LoopEnd end = LoopEnd.Reached;
        StepRecord? nonFinite = null;
        progress.Run(onStep =>
        {
            var show = new ProgressHooks(progress, onStep, step => nonFinite = step);
            // The average and the report before the checkpoint, which holds them; the checkpoint before the display: a step shown is a step saved.
            TrainingHooks?[] hooks = [averaging, plateau, saver, show];
            end = loop.Run(stopStep, hooks.OfType<TrainingHooks>().ToArray(), cancel);
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
        string? metrics = plateau is null ? null : Path.Combine(outputDirectory, "metrics.csv");
        if (metrics is not null) RunRecord.WriteMetrics(metrics, epochRecords, stepsPerEpoch, totalSteps);

        if (epochRecords.Count > 0) progress.Summary(epochRecords);
        string state = nonFinite is not null ? "[red]diverged[/]" : interrupted ? "[yellow]interrupted[/]" : position >= totalSteps ? "[green]done[/]" : "[yellow]stopped[/]";
        console.MarkupLine($"{state} at step {position:N0} of {totalSteps:N0} in {started.Elapsed.TotalSeconds:0.0} s");
        if (epochRecords.Count > 0) console.MarkupLineInterpolated($"final test accuracy: {epochRecords[^1].Accuracy:P2}");
        if (averaging is not null)
        {
            if (averaging.Epochs.Count > 0 && averaging.Epochs[^1] is var last)
            {
                console.MarkupLineInterpolated(
                    $"{averaging.Name} model: test accuracy {last.Accuracy:P2}, test loss {last.TestLoss:0.0000} after epoch {last.Epoch} ({Models(averaging.Rule, last.Models)}, from step {averaging.StartedAt:N0} on)");
            }
            else console.MarkupLineInterpolated($"{averaging.Name} model: averaging has not started (the schedule's '{AveragingTracks.For(averaging.Rule)}' track starts later)");
        }
        console.MarkupLineInterpolated($"wrote {csv} and {png}");
        if (metrics is not null) console.MarkupLineInterpolated($"wrote {metrics}: the val_loss reports, which sched eval and sched plot replay with --metrics");
        if (saver is not null && saver.SavedAt > startStep) console.MarkupLineInterpolated($"checkpoint: {options.SavePath} (step {saver.SavedAt:N0}); continue with --resume {options.SavePath}");
        return new TrainingResult(outputDirectory, csv, png, schedule, stepsPerEpoch, startStep, position, steps, epochRecords, data.Source, deviceText,
            position >= totalSteps, interrupted, nonFinite, averaging?.Rule, averaging?.StartedAt ?? -1, averaging?.Epochs.ToArray() ?? [],
            plateau?.Reductions.ToArray() ?? []);
    }

    /// <summary>"4 models averaged" for SWA, "7,504 updates" for EMA.</summary>
    internal static string Models(AveragingRule rule, long updates) =>
        rule == AveragingRule.Swa ? $"{updates:N0} model{(updates == 1 ? "" : "s")} averaged" : $"{updates:N0} updates";

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
    /// <param name="schedule">A schedule with plateau phases, whose state each checkpoint keeps; null for one without.</param>
    private sealed class CheckpointHook(string path, int every, Cnn model, SGD optimizer, ISchedule? schedule, ModelAverager? averager, Func<long, Checkpoint> snapshot)
        : TrainingHooks
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
            Checkpoint.Save(path, snapshot(position), model, optimizer, schedule?.SaveState(), averager);
            SavedAt = position;
        }
    }
}
