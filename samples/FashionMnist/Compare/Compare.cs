using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Sched.TorchSharp;
using Spectre.Console;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sched.Samples.FashionMnist;

/// <summary><c>compare</c>: every schedule on every seed through the sample's <see cref="TrainingLoop"/>, then a table, a CSV and two plots.</summary>
public static class Compare
{
    public static CompareResult Run(CompareOptions options, IAnsiConsole console, CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        TrainingOptions training = options.Training;
        if (training.Threads > 0) torch.set_num_threads(training.Threads);
        Device device = Trainer.ChooseDevice(training);
        string deviceText = device.type == DeviceType.CUDA ? "CUDA" : $"CPU ({torch.get_num_threads()} threads)";
        int epochs = training.Epochs ?? TrainingOptions.DefaultEpochs;
        IReadOnlyList<CompareEntry> entries = options.Schedules.Select(CompareEntry.Resolve).ToArray();
        if (entries.Select(e => e.Label).Distinct().Count() != entries.Count)
            throw new TrainingException("two schedules have the same label; give them different parameters");

        FashionMnistData data = FashionMnistData.Load(training.DataDirectory, training.Embedded, training.TrainLimit, training.TestLimit);
        int stepsPerEpoch = (data.TrainCount + training.BatchSize - 1) / training.BatchSize;
        long budget = (long)epochs * stepsPerEpoch;
        var created = entries.Select(e => e.Create(stepsPerEpoch, epochs)).ToArray();
        foreach (var (schedule, _) in created) PlateauReports.Check(schedule);
        AveragingRule?[] averaging = entries.Select((e, i) => AveragingOf(e.Label, created[i].Schedule, training)).ToArray();
        foreach (AveragingRule rule in new[] { training.Swa ? AveragingRule.Swa : (AveragingRule?)null, training.Ema ? AveragingRule.Ema : null }.OfType<AveragingRule>())
        {
            if (!averaging.Contains(rule))
            {
                throw new TrainingException(
                    $"{AveragingHook.OptionOf(rule)} averages the schedules that have an '{AveragingTracks.For(rule)}' track, and none of these has one: " +
                    $"add {AveragingHook.DefaultSchedule(rule)}, or a .sched file with such a track (docs/averaging.md)");
            }
        }
        // A run's length: the budget, or with --own-length its schedule's, so that 1cycle + SWA can race a longer 1cycle.
        long[] runSteps = created.Select(c => options.OwnLength ? c.Schedule.StepCount() : budget).ToArray();
        int[] runEpochs = runSteps.Select(steps => (int)((steps + stepsPerEpoch - 1) / stepsPerEpoch)).ToArray();

        string outputDirectory = training.OutputDirectory ?? Path.Combine("runs", "compare-" + DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(outputDirectory);
        int[] seeds = Enumerable.Range(training.Seed, options.Seeds).ToArray();
        int totalRuns = seeds.Length * entries.Count;

        console.MarkupLineInterpolated($"[bold]compare[/] · data: {data.Source} ({data.TrainCount:N0} train, {data.TestCount:N0} test images) · device: {deviceText}");
        string length = options.OwnLength ? "each as long as its schedule" : $"{epochs} epochs";
        console.MarkupLineInterpolated($"{entries.Count} schedules × {seeds.Length} seeds ({string.Join(", ", seeds)}) = {totalRuns} runs of {length} × {stepsPerEpoch} steps (batch {training.BatchSize})");
        for (int i = 0; i < entries.Count; i++)
        {
            ISchedule schedule = created[i].Schedule;
            string note = options.OwnLength
                ? $" ({runEpochs[i]} epochs)"
                : Math.Abs(schedule.TotalSteps - budget) < 1e-9 ? "" : $" [yellow](laid out for {schedule.TotalSteps / stepsPerEpoch:0.##} epochs; the budget is {epochs})[/]";
            if (averaging[i] is { } rule) note += $" · {AveragingHook.NameOf(rule)} on its '{AveragingTracks.For(rule)}' track";
            if (PlateauReports.Needed(schedule)) note += $" · told {PlateauReports.Metric} after each epoch";
            console.MarkupLine($"  {Markup.Escape(entries[i].Label)}: {Markup.Escape(created[i].Description)}{note}");
        }

        using var tensors = new TensorData(data, device);
        var runs = new List<CompareRun>();
        var progress = new EpochLines(console, clock, (long)seeds.Length * runEpochs.Sum(), totalRuns);
        foreach (int seed in seeds)
        {
            // The seed's initial weights, made once and copied into every schedule's model.
            torch.random.manual_seed(seed);
            using var initial = new Cnn();
            Tensor[] initialState = initial.parameters().Select(p => p.detach().clone()).ToArray();
            try
            {
                for (int i = 0; i < entries.Count; i++)
                {
                    cancel.ThrowIfCancellationRequested();
                    var runClock = Stopwatch.StartNew();
                    using var model = new Cnn();
                    using (no_grad())
                        foreach (var (p, source) in model.parameters().Zip(initialState)) p.copy_(source);
                    model.to(device);
                    string hash = Hash(model);
                    using SGD optimizer = optim.SGD(model.parameters(), 0.01, momentum: 0.9);
                    // A schedule per run: reports to a plateau phase change its state.
                    ISchedule schedule = entries[i].Create(stepsPerEpoch, epochs).Schedule;
                    var driver = new ScheduleDriver(schedule, optimizer);
                    using AveragingHook? averager = averaging[i] is { } rule ? new AveragingHook(model, schedule, rule, device) : null;
                    var loop = new TrainingLoop(model, optimizer, driver, tensors, training.BatchSize, seed, runSteps[i]);
                    progress.Start(entries[i].Label, seed, runs.Count + 1, runEpochs[i], averager);
                    TrainingHooks?[] hooks = [averager, PlateauReports.Needed(schedule) ? new PlateauReports() : null, progress];
                    LoopEnd end = loop.Run(runSteps[i], hooks.OfType<TrainingHooks>().ToArray(), cancel);
                    if (end == LoopEnd.Interrupted) throw new OperationCanceledException(cancel);
                    runs.Add(new CompareRun(entries[i].Label, seed, hash, loop.Epochs, loop.Steps, runClock.Elapsed.TotalSeconds,
                        end == LoopEnd.NonFiniteLoss ? loop.Position : null, averager?.Rule, averager?.Epochs.ToArray() ?? [], averager?.StartedAt ?? -1));
                }
            }
            finally
            {
                foreach (Tensor t in initialState) t.Dispose();
            }
        }

        var summaries = entries.Select((e, i) => CompareReport.Summarize(e.Label, created[i].Description, runs.Where(r => r.Schedule == e.Label).ToArray(), options.Target, runEpochs[i])).ToArray();
        string report = Path.Combine(outputDirectory, "report.md"), csv = Path.Combine(outputDirectory, "runs.csv");
        string accuracyPng = Path.Combine(outputDirectory, "accuracy.png"), schedulesPng = Path.Combine(outputDirectory, "schedules.png");
        var result = new CompareResult(outputDirectory, report, csv, accuracyPng, schedulesPng, runs, summaries, stepsPerEpoch, epochs, clock.Elapsed.TotalSeconds, deviceText, data.Source)
        {
            OwnLength = options.OwnLength,
        };
        File.WriteAllText(csv, CompareReport.Csv(runs));
        File.WriteAllText(report, CompareReport.Report(result, options));
        ComparePlots.WriteAccuracy(accuracyPng, entries.Select(e => e.Label).ToArray(), runs, options.Target);
        ComparePlots.WriteSchedules(schedulesPng, entries.Select(e => e.Label).ToArray(), runs.GroupBy(r => r.Schedule).Select(g => g.First()).ToArray(), stepsPerEpoch);
        console.WriteLine();
        console.WriteLine(CompareReport.Table(summaries, options.Target));
        console.MarkupLineInterpolated($"[green]done[/]: {totalRuns} runs in {clock.Elapsed.TotalSeconds:0.0} s; wrote {report}, {csv}, {accuracyPng}, {schedulesPng}");
        return result;
    }

    /// <summary>The averaging of <paramref name="label"/>'s runs: --swa for a schedule with an swa track, --ema for one with an ema track, else none.</summary>
    private static AveragingRule? AveragingOf(string label, ISchedule schedule, TrainingOptions training)
    {
        bool swa = training.Swa && AveragingHook.HasTrack(schedule, AveragingRule.Swa), ema = training.Ema && AveragingHook.HasTrack(schedule, AveragingRule.Ema);
        if (swa && ema)
            throw new TrainingException($"schedule '{label}' has both an swa and an ema track, and a run keeps one average: compare it with --swa or with --ema, not both");
        return swa ? AveragingRule.Swa : ema ? AveragingRule.Ema : null;
    }

    /// <summary>SHA-256 of the model's parameters (their float bytes, in order), before training.</summary>
    public static string Hash(Cnn model)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (Parameter p in model.parameters())
        {
            using Tensor cpu = p.detach().cpu().contiguous();
            float[] values = cpu.data<float>().ToArray();
            sha.AppendData(MemoryMarshal.AsBytes(values.AsSpan()));
        }
        return Convert.ToHexString(sha.GetHashAndReset());
    }

    /// <summary>A line per epoch of every run, with the averaged model's accuracy where there is one and the time left; a line when a run diverges.</summary>
    private sealed class EpochLines(IAnsiConsole console, Stopwatch clock, long totalEpochs, int totalRuns) : TrainingHooks
    {
        private long _epochsDone;
        private string _label = "";
        private int _seed, _run, _epochs;
        private AveragingHook? _averaging;

        public void Start(string label, int seed, int run, int epochs, AveragingHook? averaging) =>
            (_label, _seed, _run, _epochs, _averaging) = (label, seed, run, epochs, averaging);

        public override void AfterEpoch(TrainingLoop loop, EpochRecord row)
        {
            _epochsDone++;
            double eta = clock.Elapsed.TotalSeconds / _epochsDone * (totalEpochs - _epochsDone);
            string averaged = _averaging?.At(row.Epoch) is { } a ? string.Create(CultureInfo.InvariantCulture, $" · {_averaging.Name} accuracy {a.Accuracy:P2}") : "";
            console.MarkupLineInterpolated(
                $"[[run {_run}/{totalRuns}]] {_label} seed {_seed} · epoch {row.Epoch}/{_epochs} · train loss {row.TrainLoss:0.0000} · test loss {row.TestLoss:0.0000} · accuracy {row.Accuracy:P2}{averaged} · {row.Seconds:0.0} s · ETA {TimeSpan.FromSeconds(eta):hh\\:mm\\:ss}");
        }

        public override void NonFiniteLoss(TrainingLoop loop, StepRecord step)
        {
            _epochsDone += _epochs - loop.Epochs.Count; // the epochs it will not run
            console.MarkupLineInterpolated(
                $"[[run {_run}/{totalRuns}]] {_label} seed {_seed} · [red]diverged[/]: the loss of step {step.Step:N0} (lr {step.LearningRate:G4}) is {step.Loss}; the run stops there");
        }
    }
}
