using System.Globalization;
using Sched.Samples.FashionMnist;
using static Sched.Samples.Tests.TestSupport;
using CompareOptions = Sched.Samples.FashionMnist.CompareOptions;

namespace Sched.Samples.Tests;

/// <summary>The uninterrupted WarmupPlateau run that the tests compare with, trained once.</summary>
public sealed class PlateauRun : IDisposable
{
    public PlateauRun()
    {
        Result = PlateauTrainingTests.Train(Output, "--out", Path.Combine(Folder, "whole"));
    }

    public string Folder { get; } = Directory.CreateTempSubdirectory("sched-plateau-whole-").FullName;
    public StringWriter Output { get; } = new();
    public TrainingResult Result { get; }

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}

/// <summary>
/// Reduce on plateau in the sample: WarmupPlateau (lr 0.01 → 0.1 over 2 epochs, then PyTorch's ReduceLROnPlateau on val_loss with
/// patience 1, factor 0.5, floor 1e-4) trained on 320 embedded images (5 steps an epoch) and 100 test images, whose test loss
/// stops improving within 8 epochs.
/// </summary>
public sealed class PlateauTrainingTests(PlateauRun whole) : IClassFixture<PlateauRun>, IDisposable
{
    private const int StepsPerEpoch = 5, Epochs = 8;
    private readonly string _folder = Directory.CreateTempSubdirectory("sched-plateau-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void The_lr_follows_pytorchs_rule_applied_to_the_reported_test_losses()
    {
        TrainingResult run = whole.Result;

        // The reductions PyTorch's ReduceLROnPlateau makes for the test losses the run printed, worked out here independently.
        double[] expected = ExpectedLearningRates(run.Epochs.Select(e => e.TestLoss).ToArray());
        Assert.Contains(expected.Skip(2 * StepsPerEpoch), lr => lr < 0.1); // the run reduced at least once after its warm-up
        double[] actual = StepsCsvLearningRates(run.CsvPath);
        Assert.Equal(expected.Length, actual.Length);
        for (int step = 0; step < expected.Length; step++) Assert.Equal(expected[step], actual[step], 1e-15);
        Assert.NotEmpty(run.Reductions!);
        string text = whole.Output.ToString();
        Assert.Contains("reduce on plateau: the test loss is reported as val_loss after every epoch", text);
        LearningRateReduction first = run.Reductions![0];
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"lr 0.1 → 0.05 from step {first.Position:N0} (epoch {first.Epoch + 1})"), text);
    }

    [Theory]
    [InlineData(-1)] // stopped after the first report without improvement: the resumed run must carry it to reduce
    [InlineData(0)] // stopped right after the reduction: the resumed run must keep it
    public void Stopping_and_resuming_gives_the_uninterrupted_runs_lr_at_every_step(int splitFromFirstReduction)
    {
        Assert.NotEmpty(whole.Result.Reductions!);
        LearningRateReduction reduction = whole.Result.Reductions![0];
        int stopAfter = reduction.Epoch + splitFromFirstReduction;
        Assert.InRange(stopAfter, 3, Epochs - 1);

        string checkpoint = Path.Combine(_folder, "run.ckpt");
        TrainingResult part = Train(new StringWriter(), "--stop-after", stopAfter.ToString(CultureInfo.InvariantCulture), "--save", checkpoint, "--out", Path.Combine(_folder, "part"));
        Assert.Equal(stopAfter * StepsPerEpoch, part.EndStep);
        TrainingResult rest = Trainer.Run(TrainingOptions.Parse(["--resume", checkpoint, "--out", Path.Combine(_folder, "rest"), .. Honoured]), Console(new StringWriter()));

        Assert.True(rest.Completed);
        Assert.Equal(StepsCsvLearningRates(whole.Result.CsvPath), StepsCsvLearningRates(rest.CsvPath));
        Assert.Equal(whole.Result.Steps.Select(s => s.Loss), rest.Steps.Select(s => s.Loss));
    }

    [Fact]
    public void A_checkpoint_of_a_plateau_run_without_its_schedule_state_is_refused()
    {
        string checkpoint = Path.Combine(_folder, "run.ckpt"), stripped = Path.Combine(_folder, "stripped.ckpt");
        Train(new StringWriter(), "--stop-after", "3", "--save", checkpoint, "--out", Path.Combine(_folder, "part"));
        CheckpointReader good = CheckpointReader.Open(checkpoint);
        Assert.True(good.Has(Checkpoint.ScheduleStateSection));
        var writer = new CheckpointWriter();
        foreach (string name in good.SectionNames.Where(n => n != Checkpoint.ScheduleStateSection))
        {
            byte[] content = good.Read(name, r => r.ReadBytes((int)r.BaseStream.Length));
            writer.Add(name, w => w.Write(content));
        }
        writer.Save(stripped);

        var e = Assert.Throws<CheckpointException>(() => Trainer.Run(TrainingOptions.Parse(["--resume", stripped, "--out", Path.Combine(_folder, "rest"), .. Honoured]), Console(new StringWriter())));
        Assert.Equal(CheckpointProblem.MissingSection, e.Problem);
        Assert.Contains("lacks its 'schedule-state' section, which schedule 'WarmupPlateau' needs", e.Message);
    }

    [Fact]
    public void A_schedule_watching_a_metric_the_sample_does_not_report_is_an_error_that_names_val_loss()
    {
        string file = Path.Combine(_folder, "accuracy.sched");
        File.WriteAllText(file, "schedule OnAccuracy over 4ep { lr = lin(0.01 -> 0.1, 1ep) + plateau(0.1, rest, on = val_acc, mode = max) }");
        CompareOptions options = CompareOptions.Parse([file, "--seeds", "1", "--epochs", "2", .. Tiny, "--out", Path.Combine(_folder, "compare")]);
        var e = Assert.Throws<TrainingException>(() => Compare.Run(options, Console(new StringWriter())));
        Assert.Equal(
            "schedule 'OnAccuracy' reduces on a plateau of 'val_acc', which this sample does not report: it reports one metric, 'val_loss' (the test loss after each epoch); write 'on = val_loss' in its plateau phase",
            e.Message);
        Assert.False(File.Exists(Path.Combine(_folder, "compare", "report.md")));
    }

    [Fact]
    public void The_run_writes_its_reports_as_metrics_csv_for_sched_eval_to_replay()
    {
        string path = Path.Combine(Path.GetDirectoryName(whole.Result.CsvPath)!, "metrics.csv");
        string[] rows = File.ReadAllLines(path);
        Assert.Equal("step,name,value", rows[0]);
        Assert.Equal(Epochs, rows.Length - 1);
        for (int epoch = 1; epoch <= Epochs; epoch++)
        {
            string[] cells = rows[epoch].Split(',');
            Assert.Equal(epoch * StepsPerEpoch, long.Parse(cells[0], CultureInfo.InvariantCulture));
            Assert.Equal("val_loss", cells[1]);
            Assert.Equal(whole.Result.Epochs[epoch - 1].TestLoss, double.Parse(cells[2], CultureInfo.InvariantCulture));
        }
        Assert.Contains($"wrote {path}", whole.Output.ToString());
    }

    internal static TrainingResult Train(StringWriter output, params string[] args) =>
        Trainer.Run(TrainingOptions.Parse([.. Tiny, "--schedule", "WarmupPlateau", "--epochs", Epochs.ToString(CultureInfo.InvariantCulture), .. args]), Console(output));

    /// <summary>
    /// The lr of each step: lin(0.01 → 0.1) over the first 2 epochs, then 0.1 reduced as torch.optim.lr_scheduler.ReduceLROnPlateau
    /// (mode min, threshold 1e-4 relative, patience 1, factor 0.5, min_lr 1e-4, eps 1e-8) does for the loss reported after each epoch
    /// from the end of the warm-up on; a reduction holds from the step after the report. The report after the last epoch comes at
    /// the schedule's end, where no step follows.
    /// </summary>
    private static double[] ExpectedLearningRates(double[] testLosses)
    {
        var lr = new double[Epochs * StepsPerEpoch];
        double current = 0.1, best = double.PositiveInfinity;
        int bad = 0;
        for (int epoch = 1; epoch <= Epochs; epoch++)
        {
            for (int step = (epoch - 1) * StepsPerEpoch; step < epoch * StepsPerEpoch; step++)
                lr[step] = step < 2 * StepsPerEpoch ? 0.01 + (0.1 - 0.01) * (step / (2.0 * StepsPerEpoch)) : current;
            if (epoch < 2 || epoch == Epochs) continue;
            double loss = testLosses[epoch - 1];
            if (loss < best * (1 - 1e-4)) (best, bad) = (loss, 0);
            else bad++;
            if (bad > 1)
            {
                double reduced = Math.Max(current * 0.5, 1e-4);
                if (current - reduced > 1e-8) current = reduced;
                bad = 0;
            }
        }
        return lr;
    }

    private static double[] StepsCsvLearningRates(string path) =>
        File.ReadAllLines(path).Skip(1).Select(l => double.Parse(l.Split(',')[1], CultureInfo.InvariantCulture)).ToArray();
}
