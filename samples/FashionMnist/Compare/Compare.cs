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
        long totalSteps = (long)epochs * stepsPerEpoch;
        var created = entries.Select(e => e.Create(stepsPerEpoch, epochs)).ToArray();

        string outputDirectory = training.OutputDirectory ?? Path.Combine("runs", "compare-" + DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(outputDirectory);
        int[] seeds = Enumerable.Range(training.Seed, options.Seeds).ToArray();
        int totalRuns = seeds.Length * entries.Count;

        console.MarkupLineInterpolated($"[bold]compare[/] · data: {data.Source} ({data.TrainCount:N0} train, {data.TestCount:N0} test images) · device: {deviceText}");
        console.MarkupLineInterpolated($"{entries.Count} schedules × {seeds.Length} seeds ({string.Join(", ", seeds)}) = {totalRuns} runs of {epochs} epochs × {stepsPerEpoch} steps (batch {training.BatchSize})");
        for (int i = 0; i < entries.Count; i++)
        {
            ISchedule schedule = created[i].Schedule;
            string length = Math.Abs(schedule.TotalSteps - totalSteps) < 1e-9 ? "" : $" [yellow](laid out for {schedule.TotalSteps / stepsPerEpoch:0.##} epochs; the budget is {epochs})[/]";
            console.MarkupLine($"  {Markup.Escape(entries[i].Label)}: {Markup.Escape(created[i].Description)}{length}");
        }

        using var tensors = new TensorData(data, device);
        var runs = new List<CompareRun>();
        var progress = new EpochLines(console, clock, (long)totalRuns * epochs, totalRuns, epochs);
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
                    var driver = new ScheduleDriver(created[i].Schedule, optimizer);
                    var loop = new TrainingLoop(model, optimizer, driver, tensors, training.BatchSize, seed, totalSteps);
                    progress.Start(entries[i].Label, seed, runs.Count + 1);
                    LoopEnd end = loop.Run(totalSteps, [progress], cancel);
                    if (end == LoopEnd.Interrupted) throw new OperationCanceledException(cancel);
                    runs.Add(new CompareRun(entries[i].Label, seed, hash, loop.Epochs, loop.Steps, runClock.Elapsed.TotalSeconds,
                        end == LoopEnd.NonFiniteLoss ? loop.Position : null));
                }
            }
            finally
            {
                foreach (Tensor t in initialState) t.Dispose();
            }
        }

        var summaries = entries.Select((e, i) => CompareReport.Summarize(e.Label, created[i].Description, runs.Where(r => r.Schedule == e.Label).ToArray(), options.Target)).ToArray();
        string report = Path.Combine(outputDirectory, "report.md"), csv = Path.Combine(outputDirectory, "runs.csv");
        string accuracyPng = Path.Combine(outputDirectory, "accuracy.png"), schedulesPng = Path.Combine(outputDirectory, "schedules.png");
        var result = new CompareResult(outputDirectory, report, csv, accuracyPng, schedulesPng, runs, summaries, stepsPerEpoch, epochs, clock.Elapsed.TotalSeconds, deviceText, data.Source);
        File.WriteAllText(csv, CompareReport.Csv(runs));
        File.WriteAllText(report, CompareReport.Report(result, options));
        ComparePlots.WriteAccuracy(accuracyPng, entries.Select(e => e.Label).ToArray(), runs, options.Target);
        ComparePlots.WriteSchedules(schedulesPng, entries.Select(e => e.Label).ToArray(), runs.GroupBy(r => r.Schedule).Select(g => g.First()).ToArray(), stepsPerEpoch);
        console.WriteLine();
        console.WriteLine(CompareReport.Table(summaries, options.Target));
        console.MarkupLineInterpolated($"[green]done[/]: {totalRuns} runs in {clock.Elapsed.TotalSeconds:0.0} s; wrote {report}, {csv}, {accuracyPng}, {schedulesPng}");
        return result;
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

    /// <summary>A line per epoch of every run, with the time left; a line when a run diverges.</summary>
    private sealed class EpochLines(IAnsiConsole console, Stopwatch clock, long totalEpochs, int totalRuns, int epochs) : TrainingHooks
    {
        private long _epochsDone;
        private string _label = "";
        private int _seed, _run;

        public void Start(string label, int seed, int run) => (_label, _seed, _run) = (label, seed, run);

        public override void AfterEpoch(TrainingLoop loop, EpochRecord row)
        {
            _epochsDone++;
            double eta = clock.Elapsed.TotalSeconds / _epochsDone * (totalEpochs - _epochsDone);
            console.MarkupLineInterpolated(
                $"[[run {_run}/{totalRuns}]] {_label} seed {_seed} · epoch {row.Epoch}/{epochs} · train loss {row.TrainLoss:0.0000} · test loss {row.TestLoss:0.0000} · accuracy {row.Accuracy:P2} · {row.Seconds:0.0} s · ETA {TimeSpan.FromSeconds(eta):hh\\:mm\\:ss}");
        }

        public override void NonFiniteLoss(TrainingLoop loop, StepRecord step)
        {
            _epochsDone += epochs - loop.Epochs.Count; // the epochs it will not run
            console.MarkupLineInterpolated(
                $"[[run {_run}/{totalRuns}]] {_label} seed {_seed} · [red]diverged[/]: the loss of step {step.Step:N0} (lr {step.LearningRate:G4}) is {step.Loss}; the run stops there");
        }
    }
}
