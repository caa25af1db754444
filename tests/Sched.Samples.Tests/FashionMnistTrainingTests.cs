using Sched.TorchSharp;
using System.Globalization;
using Sched.Samples.FashionMnist;

using static Sched.Samples.Tests.TestSupport;

namespace Sched.Samples.Tests;

/// <summary>
/// The Fashion-MNIST sample's training entry point, run in-process on a few hundred embedded images: 320 training images in batches
/// of 64 make 5 steps an epoch. One class, so the runs (which share TorchSharp's global seed and the CPU) do not run in parallel.
/// </summary>
public sealed class FashionMnistTrainingTests : IDisposable
{
    private const int StepsPerEpoch = 5;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "sched-fashion-mnist-" + Guid.NewGuid().ToString("N"));

    public FashionMnistTrainingTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void One_epoch_completes_and_writes_the_steps_csv_and_a_plot()
    {
        var output = new StringWriter();
        TrainingResult result = Trainer.Run(Options("--epochs", "1", "--out", Path.Combine(_folder, "run")), Console(output));

        Assert.True(result.Completed);
        Assert.Equal(StepsPerEpoch, result.StepsPerEpoch);
        Assert.Equal(0, result.StartStep);
        Assert.Equal(StepsPerEpoch, result.EndStep);
        Assert.Equal(result.Schedule.StepCount(), result.EndStep);
        Assert.Contains("embedded subset", result.DataSource);
        Assert.Single(result.Epochs);
        Assert.InRange(result.Epochs[0].Accuracy, 0, 1);
        string text = output.ToString();
        Assert.Contains("schedule: FastaiOneCycle(lr_max = 0.1, epochs = 1ep", text);
        Assert.Contains("accuracy", text);
        Assert.DoesNotContain("\u001b[", text); // no ANSI when output is redirected

        string[] rows = AssertCsvFollowsSchedule(result.CsvPath, result.Schedule, StepsPerEpoch);
        Assert.All(rows, row => Assert.True(double.Parse(row.Split(',')[3], CultureInfo.InvariantCulture) > 0));
        AssertNonBlankPng(result.PlotPath);
    }

    [Fact]
    public void Save_then_resume_continues_from_the_saved_position()
    {
        string checkpoint = Path.Combine(_folder, "run.ckpt");
        TrainingResult first = Trainer.Run(
            Options("--epochs", "2", "--stop-after", "1", "--save", checkpoint, "--out", Path.Combine(_folder, "first")), Console(new StringWriter()));
        Assert.False(first.Completed);
        Assert.Equal(StepsPerEpoch, first.EndStep);
        Assert.True(File.Exists(checkpoint));
        AssertCsvFollowsSchedule(first.CsvPath, first.Schedule, StepsPerEpoch);

        var output = new StringWriter();
        // The run's settings (schedule, epochs, data, limits, batch size, seed) come from the checkpoint; repeating one is fine.
        TrainingResult resumed = Trainer.Run(
            TrainingOptions.Parse(["--resume", checkpoint, "--batch-size", "64", "--out", Path.Combine(_folder, "second"), "--cpu", "--threads", "1"]), Console(output));
        Assert.True(resumed.Completed);
        Assert.Equal(first.EndStep, resumed.StartStep);
        Assert.Equal(2 * StepsPerEpoch, resumed.EndStep);
        Assert.Equal(first.Schedule.TotalSteps, resumed.Schedule.TotalSteps);
        Assert.Contains($"resumed from {checkpoint} at step {StepsPerEpoch}", output.ToString());
        Assert.Equal([1, 2], resumed.Epochs.Select(e => e.Epoch));

        // The CSV covers the whole run; the steps before the checkpoint are the first run's, bit for bit.
        string[] rows = AssertCsvFollowsSchedule(resumed.CsvPath, resumed.Schedule, 2 * StepsPerEpoch);
        Assert.Equal(File.ReadAllLines(first.CsvPath).Skip(1), rows.Take(StepsPerEpoch));
        AssertNonBlankPng(resumed.PlotPath);
    }

    [Fact]
    public void Resuming_gives_the_uninterrupted_runs_losses()
    {
        string checkpoint = Path.Combine(_folder, "split.ckpt");
        TrainingResult whole = Trainer.Run(Options("--epochs", "2", "--out", Path.Combine(_folder, "whole")), Console(new StringWriter()));
        Trainer.Run(Options("--epochs", "2", "--stop-after", "1", "--save", checkpoint, "--out", Path.Combine(_folder, "part")), Console(new StringWriter()));
        TrainingResult rest = Trainer.Run(
            TrainingOptions.Parse(["--resume", checkpoint, "--out", Path.Combine(_folder, "rest"), "--cpu", "--threads", "1"]), Console(new StringWriter()));

        Assert.Equal(whole.Steps.Select(s => s.LearningRate), rest.Steps.Select(s => s.LearningRate));
        // Same batches in the same order from the same state, on one CPU thread: the losses and accuracies agree bit for bit.
        Assert.Equal(whole.Steps.Select(s => s.Loss), rest.Steps.Select(s => s.Loss));
        Assert.Equal(whole.Epochs.Select(e => e.Accuracy), rest.Epochs.Select(e => e.Accuracy));
    }

    [Fact]
    public void A_schedule_is_chosen_by_name_and_epochs_set_its_duration()
    {
        TrainingResult result = Trainer.Run(
            Options("--schedule", "CosinePerEpoch", "--epochs", "1", "--out", Path.Combine(_folder, "cosine")), Console(new StringWriter()));
        Assert.Equal("CosinePerEpoch", result.Schedule.Name);
        Assert.Equal(StepsPerEpoch, result.EndStep);
        AssertCsvFollowsSchedule(result.CsvPath, result.Schedule, StepsPerEpoch);
    }

    [Fact]
    public void Unknown_schedules_and_epochs_for_fixed_length_schedules_are_errors()
    {
        var unknown = Assert.Throws<TrainingException>(() => Trainer.Run(Options("--schedule", "NoSuch"), Console(new StringWriter())));
        Assert.Contains("FastaiOneCycle", unknown.Message);
        var fixedLength = Assert.Throws<TrainingException>(() => Trainer.Run(Options("--schedule", "MultiStep", "--epochs", "1"), Console(new StringWriter())));
        Assert.Contains("--epochs", fixedLength.Message);
    }

    [Fact]
    public void Lr_find_runs_the_range_test_and_suggests_a_peak()
    {
        var output = new StringWriter();
        var result = RangeTest.Run(Options("--lr-find", "--out", Path.Combine(_folder, "lr-find")), Console(output));
        // 100 iterations at most (fastai's default), and enough before any divergence to suggest from.
        Assert.InRange(result.IterationCount, 10, 100);
        // On 320 images the loss still falls fastest late in the sweep; only the 10,000-image set gives a usable rate (0.019).
        var steep = Assert.IsType<LearningRateSuggestion>(result.Steep);
        Assert.InRange(steep.LearningRate, 1e-7, 10);
        // Every suggestion with what it is for; SGD + momentum is told the steep one.
        string text = output.ToString();
        Assert.All(result.Suggestions, s => Assert.Contains(LearningRateSuggestions.Purpose(s.Method), text));
        Assert.Contains($"for SGD + momentum with a 1cycle: --lr-max {steep.LearningRate.ToString("G2", CultureInfo.InvariantCulture)} (the steep suggestion)", text);
        AssertNonBlankPng(Path.Combine(_folder, "lr-find", "lr-find.png"));
    }

    [Fact]
    public void Options_parse()
    {
        TrainingOptions options = TrainingOptions.Parse(["--schedule", "FlatCos", "--epochs", "7", "--lr-max", "0.05", "--batch-size", "128", "--seed", "3", "--plain"]);
        Assert.Equal(("FlatCos", 7, 0.05, 128, 3, true), (options.Schedule, options.Epochs, options.LearningRateMax, options.BatchSize, options.Seed, options.Plain));
        Assert.Equal(TrainingOptions.DefaultSchedule, TrainingOptions.Parse([]).Schedule);
        Assert.Throws<ArgumentException>(() => TrainingOptions.Parse(["--epochs", "0"]));
        Assert.Throws<ArgumentException>(() => TrainingOptions.Parse(["--frobnicate"]));
        Assert.Throws<ArgumentException>(() => TrainingOptions.Parse(["--save-every", "2"])); // saving every 2 steps needs --save
        Assert.Equal(2, TrainingOptions.Parse(["--save", "x.ckpt", "--save-every", "2"]).SaveEvery);
        // What was written, not what was defaulted: --resume compares only these with the checkpoint.
        Assert.Equal(["--plain", "--seed"], TrainingOptions.Parse(["--seed", "42", "--plain"]).Given.Order(StringComparer.Ordinal));
    }

    /// <summary>A tiny budget: 320 embedded training images (5 batches of 64), 100 test images, CPU, 1 thread.</summary>
    private static TrainingOptions Options(params string[] args) =>
        TrainingOptions.Parse(["--embedded", "--train-limit", "320", "--test-limit", "100", "--cpu", "--threads", "1", .. args]);

    /// <summary>Header, then one row per step 0..steps-1 whose lr is the schedule's value at that step.</summary>
    private static string[] AssertCsvFollowsSchedule(string path, ISchedule schedule, int steps)
    {
        string[] lines = File.ReadAllLines(path);
        Assert.Equal("step,lr,momentum,loss", lines[0]);
        string[] rows = lines[1..];
        Assert.Equal(steps, rows.Length);
        int lr = schedule.IndexOf("lr"), momentum = schedule.IndexOf("momentum");
        for (int step = 0; step < steps; step++)
        {
            string[] cells = rows[step].Split(',');
            Assert.Equal(4, cells.Length);
            Assert.Equal(step, long.Parse(cells[0], CultureInfo.InvariantCulture));
            Assert.Equal(schedule.Evaluate(lr, step), double.Parse(cells[1], CultureInfo.InvariantCulture));
            if (momentum >= 0) Assert.Equal(schedule.Evaluate(momentum, step), double.Parse(cells[2], CultureInfo.InvariantCulture));
        }
        return rows;
    }
}
