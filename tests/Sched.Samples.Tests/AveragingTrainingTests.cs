using System.Globalization;
using Sched.Samples.FashionMnist;
using Sched.TorchSharp;
using TorchSharp;
using static Sched.Samples.Tests.TestSupport;
using static TorchSharp.torch;

namespace Sched.Samples.Tests;

/// <summary>
/// --swa and --ema in training, on 320 embedded images (5 steps an epoch) and 100 test images: with --epochs 2, FastaiOneCycleSwa is a
/// 2-epoch 1cycle, then 2 epochs at lr 0.01 whose last steps (15 and 20) join the average; FastaiOneCycleEma updates after every step.
/// </summary>
public sealed class AveragingTrainingTests : IDisposable
{
    private const int StepsPerEpoch = 5;
    private readonly string _folder = Directory.CreateTempSubdirectory("sched-averaging-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void Swa_by_a_flag_says_when_averaging_started_and_the_averaged_models_accuracy()
    {
        var output = new StringWriter();
        TrainingResult run = Train(output, "--swa", "--out", Path.Combine(_folder, "swa"));

        Assert.Equal("FastaiOneCycleSwa", run.Schedule.Name);
        Assert.Equal(4 * StepsPerEpoch, run.EndStep);
        Assert.Equal(AveragingRule.Swa, run.Averaging);
        // swa_from(2ep): after the last step of epochs 3 and 4, positions 15 and 20.
        Assert.Equal(15, run.AveragingStartedAt);
        Assert.Equal([(3, 1L), (4, 2L)], run.AveragedEpochs!.Select(e => (e.Epoch, e.Models)));
        string text = output.ToString();
        Assert.Contains("schedule: FastaiOneCycleSwa(lr_max = 0.1, swa_lr = 0.01, epochs = 2ep)", text);
        Assert.Contains("20 steps = 4 epochs of 5 batches of 64", text);
        Assert.Contains("averaging: SWA on the schedule's 'swa' track, evaluated after each epoch (the CNN has no BatchNorm layers: no statistics to recompute)", text);
        Assert.Contains("SWA: averaging started after step 15 (epoch 3); the average holds 1 model", text);
        AveragedEpoch last = run.AveragedEpochs![^1];
        Assert.Contains(string.Create(CultureInfo.InvariantCulture,
            $"SWA model: test accuracy {last.Accuracy:P2}, test loss {last.TestLoss:0.0000} after epoch 4 (2 models averaged, from step 15 on)"), text);
        // The lr 0.01 of the SWA phase reached the optimizer.
        Assert.All(run.Steps.Skip(2 * StepsPerEpoch), s => Assert.Equal(0.01, s.LearningRate));
    }

    [Fact]
    public void The_swa_model_is_the_mean_of_the_models_at_the_ends_of_the_swa_epochs()
    {
        string third = Path.Combine(_folder, "third.ckpt"), fourth = Path.Combine(_folder, "fourth.ckpt");
        Train(new StringWriter(), "--swa", "--stop-after", "3", "--save", third, "--out", Path.Combine(_folder, "a"));
        TrainingResult rest = Trainer.Run(TrainingOptions.Parse(["--resume", third, "--save", fourth, "--out", Path.Combine(_folder, "b"), .. Honoured]), Console(new StringWriter()));
        Assert.True(rest.Completed);

        using Cnn epoch3 = Model(third), epoch4 = Model(fourth), expected = new Cnn(), averaged = new Cnn(), model = new Cnn();
        using (no_grad())
            foreach (var (e, (a, b)) in expected.parameters().Zip(epoch3.parameters().Zip(epoch4.parameters()))) e.copy_((a + b) / 2);
        var schedule = new FastaiOneCycleSwa(StepsPerEpoch, epochs: Duration.Epochs(2));
        using (var averager = new ModelAverager(model, averaged, schedule, AveragingRule.Swa))
        {
            Checkpoint.Load(fourth).RestoreAveraging(averager);
            Assert.Equal(2, averager.UpdateCount);
            Assert.Equal(4 * StepsPerEpoch, averager.Position);
        }
        foreach (var (e, a) in expected.parameters().Zip(averaged.parameters()))
            Assert.True(allclose(e, a, rtol: 0, atol: 1e-6), "the averaged weights are not the mean of the two epochs' weights");
        // And the accuracy printed is this model's.
        using var data = new TensorData(FashionMnistData.Load(null, embedded: true, trainLimit: 320, testLimit: 100), CPU);
        var (loss, accuracy) = data.Evaluate(averaged);
        Assert.Equal((rest.AveragedEpochs![^1].TestLoss, rest.AveragedEpochs[^1].Accuracy), (loss, accuracy));
    }

    [Theory]
    [InlineData("--swa", 3)] // one model in the average at the split
    [InlineData("--ema", 1)] // the decay still warming up at the split
    public void Resuming_gives_the_uninterrupted_runs_averaged_model_bit_for_bit(string flag, int stopAfter)
    {
        TrainingResult whole = Train(new StringWriter(), flag, "--out", Path.Combine(_folder, "whole"));
        string checkpoint = Path.Combine(_folder, "run.ckpt");
        Train(new StringWriter(), flag, "--stop-after", stopAfter.ToString(CultureInfo.InvariantCulture), "--save", checkpoint, "--out", Path.Combine(_folder, "part"));
        var output = new StringWriter();
        TrainingResult rest = Trainer.Run(TrainingOptions.Parse(["--resume", checkpoint, "--out", Path.Combine(_folder, "rest"), .. Honoured]), Console(output));

        Assert.True(rest.Completed);
        Assert.Equal(whole.Averaging, rest.Averaging);
        Assert.Equal(whole.AveragingStartedAt, rest.AveragingStartedAt);
        Assert.NotEmpty(whole.AveragedEpochs!);
        Assert.Contains(whole.AveragedEpochs!, e => e.Epoch > stopAfter);
        // The averaged model's test loss and accuracy after every epoch, before and after the split, to the last bit.
        Assert.Equal(whole.AveragedEpochs, rest.AveragedEpochs);
        Assert.Equal(whole.Steps.Select(s => s.Loss), rest.Steps.Select(s => s.Loss));
        Assert.Contains($"averaging started after step {whole.AveragingStartedAt}", output.ToString());
    }

    [Fact]
    public void A_schedule_without_the_track_and_both_flags_are_errors_that_say_what_to_write()
    {
        var noTrack = Assert.Throws<TrainingException>(() => Train(new StringWriter(), "--swa", "--schedule", "FlatCos"));
        Assert.Equal(
            "--swa averages the weights where the schedule's 'swa' track says, and schedule 'FlatCos' has no 'swa' track (it has lr): leave out --schedule to train " +
            "FastaiOneCycleSwa, which has one, or add one to a schedule in samples/Schedules, e.g. 'swa = swa_from(5ep)' (docs/averaging.md)",
            noTrack.Message);
        var ema = Assert.Throws<TrainingException>(() => Train(new StringWriter(), "--ema", "--schedule", "FastaiOneCycleSwa"));
        Assert.Contains("leave out --schedule to train FastaiOneCycleEma", ema.Message);
        Assert.Contains("'ema = timm_ema_warmup(0.999)'", ema.Message);

        var both = Assert.Throws<ArgumentException>(() => TrainingOptions.Parse(["--swa", "--ema"]));
        Assert.Equal("--swa and --ema: a run keeps one average; give one of them", both.Message);
        Assert.Equal("FastaiOneCycleSwa", TrainingOptions.Parse(["--swa"]).Schedule);
        Assert.Equal("FastaiOneCycleEma", TrainingOptions.Parse(["--ema"]).Schedule);
        Assert.Equal("FlatCos", TrainingOptions.Parse(["--schedule", "FlatCos", "--swa"]).Schedule);
    }

    [Fact]
    public void Resuming_with_another_averaging_than_the_checkpoints_names_it()
    {
        string checkpoint = Path.Combine(_folder, "swa.ckpt");
        Train(new StringWriter(), "--swa", "--stop-after", "1", "--save", checkpoint, "--out", Path.Combine(_folder, "part"));
        var e = Assert.Throws<CheckpointException>(() => Trainer.Run(TrainingOptions.Parse(["--resume", checkpoint, "--ema", .. Honoured]), Console(new StringWriter())));
        Assert.Contains("these options differ from them: --ema (the checkpoint's: --swa).", e.Message);
    }

    private static TrainingResult Train(StringWriter output, params string[] args) =>
        Trainer.Run(TrainingOptions.Parse([.. Tiny, "--epochs", "2", .. args]), Console(output));

    /// <summary>The model weights a checkpoint holds.</summary>
    private static Cnn Model(string checkpoint)
    {
        var model = new Cnn();
        using var optimizer = optim.SGD(model.parameters(), 0.01, momentum: 0.9);
        Checkpoint.Load(checkpoint).Restore(model, optimizer);
        return model;
    }
}
