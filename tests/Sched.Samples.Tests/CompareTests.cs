using Sched.Samples.FashionMnist;
using Sched.TorchSharp;
using static Sched.Samples.Tests.TestSupport;

// The training tests share TorchSharp's global seed, thread count and the CPU: run the test classes one after the other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Sched.Samples.Tests;

/// <summary>
/// The Fashion-MNIST sample's <c>compare</c> subcommand on a tiny budget: 320 embedded training images (5 steps an epoch), 100 test
/// images, two schedules (a generated class and a .sched file of the sample), two seeds, one epoch, CPU, one thread.
/// </summary>
public sealed class CompareTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "sched-compare-" + Guid.NewGuid().ToString("N"));

    public CompareTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void Compare_writes_a_table_a_csv_and_plots_and_starts_each_seed_from_the_same_weights()
    {
        string constant = Path.Combine(SampleFolder(), "Schedules", "constant.sched");
        string output = Path.Combine(_folder, "out");
        CompareOptions options = CompareOptions.Parse(
            ["FastaiOneCycle:lr_max=0.1", constant + ":lr=0.03", "--seeds", "2", "--epochs", "1",
             "--embedded", "--train-limit", "320", "--test-limit", "100", "--cpu", "--threads", "1", "--out", output]);
        var text = new StringWriter();
        CompareResult result = Compare.Run(options, Console(text));

        // Two schedules × two seeds, one epoch of 5 steps each.
        Assert.Equal(5, result.StepsPerEpoch);
        Assert.Equal(4, result.Runs.Count);
        Assert.All(result.Runs, r => Assert.Single(r.Epochs));
        Assert.All(result.Runs, r => Assert.Equal(5, r.Steps.Count));
        Assert.Equal(["FastaiOneCycle(lr_max=0.1)", "Constant(lr=0.03)"], result.Summaries.Select(s => s.Schedule));
        Assert.Contains("[run 4/4]", text.ToString());

        // The same seed starts from bit-identical weights whatever the schedule; another seed from others.
        foreach (var seed in result.Runs.GroupBy(r => r.Seed))
            Assert.Single(seed.Select(r => r.InitialWeightsHash).Distinct());
        Assert.Equal(2, result.Runs.Select(r => r.InitialWeightsHash).Distinct().Count());
        // The constant schedule held its lr for every step; the 1cycle did not.
        Assert.All(result.Runs.Where(r => r.Schedule.StartsWith("Constant")).SelectMany(r => r.Steps), s => Assert.Equal(0.03, s.LearningRate, 12));
        Assert.True(result.Runs.First(r => r.Schedule.StartsWith("Fastai")).Steps.Select(s => s.LearningRate).Distinct().Count() > 1);

        // The report's table: the header, a separator, one row per schedule, five columns.
        string[] lines = File.ReadAllLines(result.ReportPath);
        int header = Array.FindIndex(lines, l => l.StartsWith("| schedule |", StringComparison.Ordinal));
        Assert.True(header >= 0, "no table in report.md");
        Assert.Equal(["schedule", "final accuracy (mean ± std)", "best accuracy", "first epoch ≥ 90 % (mean curve; per seed)", "seconds per run"], Cells(lines[header]));
        string[] rows = lines.Skip(header + 2).TakeWhile(l => l.StartsWith('|')).ToArray();
        Assert.Equal(2, rows.Length);
        Assert.Equal(["FastaiOneCycle(lr_max=0.1)", "Constant(lr=0.03)"], rows.Select(r => Cells(r)[0]));
        Assert.All(rows, r => Assert.Equal(5, Cells(r).Length));
        Assert.All(rows, r => Assert.Matches(@"^\d+\.\d\d % ± \d+\.\d\d$", Cells(r)[1]));

        // runs.csv: every run's epochs; no averaged model, so its two columns are empty.
        string[] csv = File.ReadAllLines(result.CsvPath);
        Assert.Equal(CompareReport.CsvHeader, csv[0]);
        Assert.Equal(4, csv.Length - 1);
        Assert.All(csv.Skip(1), row => Assert.EndsWith(",,", row));
        Assert.All(csv.Skip(1), row => Assert.Equal(9, row.Split(',').Length));

        AssertNonBlankPng(result.AccuracyPlotPath);
        AssertNonBlankPng(result.SchedulesPlotPath);
    }

    [Fact]
    public void Compare_races_1cycle_with_swa_and_ema_against_a_longer_1cycle_and_a_plateau_schedule_each_for_its_own_length()
    {
        CompareOptions options = CompareOptions.Parse(
            ["FastaiOneCycle", "FastaiOneCycle:epochs=2ep", "FastaiOneCycleSwa:swa_epochs=1ep", "FastaiOneCycleEma", "WarmupPlateau:epochs=5ep",
             "--swa", "--ema", "--own-length", "--seeds", "2", "--epochs", "1",
             "--embedded", "--train-limit", "320", "--test-limit", "100", "--cpu", "--threads", "1", "--out", Path.Combine(_folder, "averaging")]);
        var text = new StringWriter();
        CompareResult result = Compare.Run(options, Console(text));

        // Each run as long as its schedule: 1, 2, 1 + 1, 1 and 5 epochs.
        CompareRun[] seed42 = result.Runs.Where(r => r.Seed == 42).ToArray();
        Assert.Equal([1, 2, 2, 1, 5], seed42.Select(r => r.Epochs.Count));
        Assert.Equal([null, null, AveragingRule.Swa, AveragingRule.Ema, null], seed42.Select(r => r.Averaging));
        foreach (var seed in result.Runs.GroupBy(r => r.Seed))
        {
            CompareRun oneCycle = seed.First(r => r.Schedule == "FastaiOneCycle"), swa = seed.First(r => r.Schedule.StartsWith("FastaiOneCycleSwa"));
            CompareRun ema = seed.First(r => r.Schedule == "FastaiOneCycleEma");
            // Averaging reads the model and never changes it: the EMA run trains as the plain 1cycle, and so does the SWA run until its 1cycle ends.
            Assert.Equal(oneCycle.Epochs.Select(e => (e.TestLoss, e.Accuracy)), ema.Epochs.Select(e => (e.TestLoss, e.Accuracy)));
            Assert.Equal(oneCycle.Epochs[0].TestLoss, swa.Epochs[0].TestLoss);
            // SWA averages after the last step of epoch 2 only (swa_from(1ep)); EMA after every step.
            Assert.Equal(10, swa.AveragingStartedAt);
            Assert.Equal([(2, 1L)], swa.AveragedEpochs!.Select(e => (e.Epoch, e.Models)));
            Assert.Equal(swa.Epochs[1].TestLoss, swa.AveragedEpochs![0].TestLoss); // an average of one model is that model
            Assert.Equal([(1, 5L)], ema.AveragedEpochs!.Select(e => (e.Epoch, e.Models)));
        }

        string table = CompareReport.Table(result.Summaries, options.Target);
        Assert.Contains("| schedule | epochs | final accuracy (mean ± std) | averaged model: final accuracy (mean ± std) | best accuracy |", table);
        Assert.Matches(@"\| FastaiOneCycleSwa\(swa_epochs=1ep\) \| 2 \| \d+\.\d\d % ± \d+\.\d\d \| SWA: \d+\.\d\d % ± \d+\.\d\d \|", table);
        Assert.Matches(@"\| FastaiOneCycle \| 1 \| \d+\.\d\d % ± \d+\.\d\d \| — \|", table);
        string report = File.ReadAllText(result.ReportPath);
        Assert.Contains("- **FastaiOneCycleSwa(swa_epochs=1ep)**: FastaiOneCycleSwa(lr_max = 0.1, swa_lr = 0.01, epochs = 1ep, swa_epochs = 1ep); SWA on its 'swa' track, first update after step 10 (epoch 2)", report);
        Assert.Contains("budget: each run as long as its schedule", report);
        Assert.Contains("WarmupPlateau(epochs=5ep): WarmupPlateau(peak = 0.1, epochs = 5ep) (5 epochs) · told val_loss after each epoch", text.ToString());
        Assert.Contains("· EMA accuracy ", text.ToString());

        // runs.csv: the averaged model's loss and accuracy where there is one, empty elsewhere.
        string[] csv = File.ReadAllLines(result.CsvPath);
        Assert.Equal(2 * 11 + 1, csv.Length);
        Assert.Equal(2 + 2, csv.Count(l => !l.EndsWith(",,", StringComparison.Ordinal)) - 1);
        AssertNonBlankPng(result.AccuracyPlotPath);
    }

    [Fact]
    public void Compare_with_swa_needs_a_schedule_with_an_swa_track()
    {
        CompareOptions options = CompareOptions.Parse(["FastaiOneCycle", "FlatCos", "--swa", "--seeds", "1", "--epochs", "1", "--embedded", "--train-limit", "320", "--cpu"]);
        var e = Assert.Throws<TrainingException>(() => Compare.Run(options, Console(new StringWriter())));
        Assert.Equal("--swa averages the schedules that have an 'swa' track, and none of these has one: add FastaiOneCycleSwa, or a .sched file with such a track (docs/averaging.md)", e.Message);
    }

    [Fact]
    public void Compare_options_parse()
    {
        CompareOptions options = CompareOptions.Parse(["OneCycle", "x.sched:lr=0.1", "--seeds", "5", "--epochs", "4", "--target", "0.85", "--seed", "7", "--cpu"]);
        Assert.Equal(["OneCycle", "x.sched:lr=0.1"], options.Schedules);
        Assert.Equal((5, 0.85, 4, 7, true), (options.Seeds, options.Target, options.Training.Epochs, options.Training.Seed, options.Training.Cpu));
        Assert.Throws<ArgumentException>(() => CompareOptions.Parse(["--seeds", "2"]));
        Assert.Throws<ArgumentException>(() => CompareOptions.Parse(["FlatCos", "--seeds", "0"]));
        Assert.Throws<ArgumentException>(() => CompareOptions.Parse(["FlatCos", "--lr-max", "0.1"]));
        Assert.Throws<TrainingException>(() => CompareEntry.Resolve("NoSuchSchedule"));
        Assert.Throws<TrainingException>(() => CompareEntry.Resolve("FlatCos:nosuch=1"));
    }

    [Fact]
    public void A_run_that_diverges_stops_and_is_reported_as_diverged()
    {
        CompareOptions options = CompareOptions.Parse(
            ["FastaiOneCycle:lr_max=1000", "FastaiOneCycle:lr_max=0.1", "--seeds", "1", "--epochs", "2",
             "--embedded", "--train-limit", "320", "--test-limit", "100", "--cpu", "--threads", "1", "--out", Path.Combine(_folder, "diverged")]);
        var text = new StringWriter();
        CompareResult result = Compare.Run(options, Console(text));

        CompareRun diverged = result.Runs[0], fine = result.Runs[1];
        Assert.NotNull(diverged.DivergedAtStep);
        Assert.InRange(diverged.DivergedAtStep!.Value, 1, 9);
        Assert.Equal(diverged.DivergedAtStep, diverged.Steps.Count); // the steps before it, none after
        Assert.Null(fine.DivergedAtStep);
        Assert.Equal(2, fine.Epochs.Count);
        Assert.Equal((1, 0), (result.Summaries[0].Diverged, result.Summaries[1].Diverged));
        Assert.Contains("| FastaiOneCycle(lr_max=1000) | diverged (1 of 1 seeds) |", File.ReadAllText(result.ReportPath));
        Assert.Contains("diverged", text.ToString());
        AssertNonBlankPng(result.AccuracyPlotPath);
    }

    [Fact]
    public void A_class_gets_the_same_defaults_as_in_training()
    {
        // FastaiOneCycle's own lr_max is 0.001 (fastai's, for Adam); the sample trains it at 0.1, and compare must too.
        var (schedule, description) = CompareEntry.Resolve("FastaiOneCycle").Create(100, 3);
        Assert.Equal("FastaiOneCycle(lr_max = 0.1, epochs = 3ep)", description);
        Assert.Equal(0.1, schedule.Evaluate(schedule.IndexOf("lr"), 75), 12); // the peak, 25 % into 300 steps
        Assert.Equal(300, schedule.StepCount());

        var (given, _) = CompareEntry.Resolve("FastaiOneCycle:lr_max=0.0275").Create(100, 3);
        Assert.Equal(0.0275, given.Evaluate(given.IndexOf("lr"), 75), 12);
    }

    private static string[] Cells(string row) => row.Trim().Trim('|').Split('|').Select(c => c.Trim()).ToArray();
}
