using Sched.Samples.FashionMnist;
using Sched.TorchSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace Sched.Samples.Tests;

/// <summary>The sample's one training loop on 320 embedded images (5 steps of 64 an epoch) and 100 test images, CPU.</summary>
public sealed class TrainingLoopTests : IDisposable
{
    private readonly TensorData _data;

    public TrainingLoopTests()
    {
        torch.set_num_threads(1);
        _data = new TensorData(FashionMnistData.Load(null, embedded: true, trainLimit: 320, testLimit: 100), CPU);
    }

    public void Dispose() => _data.Dispose();

    [Fact]
    public void Hooks_run_in_a_fixed_order_and_epochs_end_every_five_steps_and_at_the_runs_end()
    {
        using var run = new Run(_data, "schedule Constant over 12it { lr = 0.01 }");
        var log = new Log();
        LoopEnd end = run.Loop(endStep: 12).Run(12, [log]);

        Assert.Equal(LoopEnd.Reached, end);
        Assert.Equal(
            [
                "step 0", "step 1", "step 2", "step 3", "step 4", "before-evaluation 0", "metrics 1", "after-epoch 1",
                "step 5", "step 6", "step 7", "step 8", "step 9", "before-evaluation 1", "metrics 2", "after-epoch 2",
                "step 10", "step 11", "before-evaluation 2", "metrics 3", "after-epoch 3",
            ],
            log.Events);
        Assert.Equal(12, run.Driver.Position);
    }

    [Fact]
    public void A_hook_can_stop_the_loop_and_a_resumed_loop_counts_the_epochs_earlier_steps()
    {
        using var run = new Run(_data, "schedule Constant over 10it { lr = 0.01 }");
        TrainingLoop first = run.Loop(endStep: 10);
        Assert.Equal(LoopEnd.StoppedByHook, first.Run(10, [new StopAt(3)]));
        Assert.Equal(3, first.Position);
        Assert.Equal([0L, 1, 2], first.Steps.Select(s => s.Step));

        // A second loop over the same model and driver, carrying the history: its epoch's train loss averages all 5 steps.
        var second = new TrainingLoop(run.Model, run.Optimizer, run.Driver, _data, 64, seed: 1, endStep: 10, first.Steps, first.Epochs);
        Assert.Equal(LoopEnd.Reached, second.Run(5, []));
        Assert.Equal(second.Steps.Take(5).Average(s => s.Loss), Assert.Single(second.Epochs).TrainLoss, 12);
    }

    [Fact]
    public void A_loss_that_is_not_finite_ends_the_loop_before_the_optimizer_steps()
    {
        using var run = new Run(_data, "schedule Constant over 10it { lr = 0.01 }");
        using (no_grad()) run.Model.parameters().First().view(-1)[0] = tensor(float.NaN);
        float[] biasBefore = run.Model.parameters().Last().data<float>().ToArray();
        var log = new Log();

        Assert.Equal(LoopEnd.NonFiniteLoss, run.Loop(endStep: 10).Run(10, [log]));
        Assert.Equal(["non-finite 0"], log.Events);
        Assert.Equal(0, run.Driver.Position);
        Assert.Equal(biasBefore, run.Model.parameters().Last().data<float>().ToArray()); // no step taken
    }

    [Fact]
    public void Cancellation_ends_the_loop_after_a_whole_step()
    {
        using var run = new Run(_data, "schedule Constant over 10it { lr = 0.01 }");
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        TrainingLoop loop = run.Loop(endStep: 10);
        Assert.Equal(LoopEnd.Interrupted, loop.Run(10, [], cancel.Token));
        Assert.Equal(1, loop.Position);
    }

    [Fact]
    public void The_range_test_has_no_epochs()
    {
        using var run = new Run(_data, "schedule Constant over 12it { lr = 0.01 }");
        var log = new Log();
        var loop = new TrainingLoop(run.Model, run.Optimizer, run.Driver, _data, 64, seed: 1, endStep: 12) { EvaluatesEpochs = false };
        loop.Run(12, [log]);
        Assert.Equal(12, log.Events.Count);
        Assert.All(log.Events, e => Assert.StartsWith("step ", e));
        Assert.Empty(loop.Epochs);
    }

    private sealed class Run : IDisposable
    {
        public Run(TensorData data, string schedule)
        {
            Data = data;
            torch.random.manual_seed(1);
            Model = new Cnn();
            Optimizer = optim.SGD(Model.parameters(), 0.01, momentum: 0.9);
            Driver = new ScheduleDriver(Schedule.Parse(schedule).Create(), Optimizer);
        }

        public TensorData Data { get; }
        public Cnn Model { get; }
        public global::TorchSharp.Modules.SGD Optimizer { get; }
        public ScheduleDriver Driver { get; }

        public TrainingLoop Loop(long endStep) => new(Model, Optimizer, Driver, Data, 64, seed: 1, endStep);

        public void Dispose()
        {
            Optimizer.Dispose();
            Model.Dispose();
        }
    }

    private sealed class Log : TrainingHooks
    {
        public List<string> Events { get; } = [];

        public override bool AfterStep(TrainingLoop loop, StepRecord step)
        {
            Events.Add($"step {step.Step}");
            return true;
        }

        public override void NonFiniteLoss(TrainingLoop loop, StepRecord step) => Events.Add($"non-finite {step.Step}");
        public override void BeforeEvaluation(TrainingLoop loop, int epoch) => Events.Add($"before-evaluation {epoch}");
        public override void ReportMetrics(TrainingLoop loop, EpochRecord epoch) => Events.Add($"metrics {epoch.Epoch}");
        public override void AfterEpoch(TrainingLoop loop, EpochRecord epoch) => Events.Add($"after-epoch {epoch.Epoch}");
    }

    private sealed class StopAt(long position) : TrainingHooks
    {
        public override bool AfterStep(TrainingLoop loop, StepRecord step) => loop.Position < position;
    }
}
