using Sched.Samples.FashionMnist;
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

        // runs.csv: every run's epochs.
        string[] csv = File.ReadAllLines(result.CsvPath);
        Assert.Equal(CompareReport.CsvHeader, csv[0]);
        Assert.Equal(4, csv.Length - 1);
        Assert.All(csv.Skip(1), row => Assert.Equal(7, row.Split(',').Length));

        AssertNonBlankPng(result.AccuracyPlotPath);
        AssertNonBlankPng(result.SchedulesPlotPath);
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
