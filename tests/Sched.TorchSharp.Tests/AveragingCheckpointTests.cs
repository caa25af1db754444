using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sched.TorchSharp.Tests;

/// <summary>
/// Saving and loading an averager: train N steps with averaging, or K steps, save, load everything into fresh instances and train
/// the other N - K: the averaged model (parameters and BatchNorm buffers) is bitwise the same, with the same update count.
/// </summary>
public class AveragingCheckpointTests
{
    private const int N = 12, K = 5;

    public static TheoryData<AveragingRule, string> Schedules => new()
    {
        // SWA after steps 4, 6, 8, 10 (one update before the save, three after); buffers copied.
        { AveragingRule.Swa, "schedule S over 12it { lr = lin(0.01 -> 0.1, 4it) + cos(0.1 -> 0.001, rest); swa = swa_from(3it, 2it) }" },
        // EMA with timm's warm-up: copies after steps 0 to 2, then a decay that grows every step; buffers averaged.
        { AveragingRule.Ema, "schedule S over 12it { lr = lin(0.01 -> 0.1, 4it) + cos(0.1 -> 0.001, rest); ema = timm_ema_warmup(0.99, update_after_step = 2it) }" },
    };

    [Theory]
    [MemberData(nameof(Schedules))]
    public void Resuming_from_a_checkpoint_averages_bitwise_as_the_uninterrupted_run(AveragingRule rule, string text)
    {
        var schedule = TestSchedules.Text(text);
        Dictionary<string, long[]> uninterrupted;
        long uninterruptedCount;
        using (var model = new BatchNormModel(30))
        using (var averaged = new BatchNormModel(40))
        using (var optimizer = optim.SGD(model.Net.parameters(), 0.1, momentum: 0.9))
        using (var averager = new ModelAverager(model.Net, averaged.Net, schedule, rule))
        {
            Train(model, optimizer, new ScheduleDriver(schedule, optimizer), averager, N);
            uninterrupted = BatchNormModel.StateBits(averaged.Net);
            uninterruptedCount = averager.UpdateCount;
        }

        var saved = new MemoryStream();
        using (var model = new BatchNormModel(30))
        using (var averaged = new BatchNormModel(40))
        using (var optimizer = optim.SGD(model.Net.parameters(), 0.1, momentum: 0.9))
        using (var averager = new ModelAverager(model.Net, averaged.Net, schedule, rule))
        {
            Train(model, optimizer, new ScheduleDriver(schedule, optimizer), averager, K);
            Assert.True(averager.UpdateCount > 0, "the checkpoint should hold an average already");
            using var writer = new BinaryWriter(saved, System.Text.Encoding.UTF8, leaveOpen: true);
            model.Net.save(writer);
            optimizer.save_state_dict(writer);
            averager.Save(writer);
        }

        saved.Position = 0;
        // Other initial weights in both models: everything must come from the checkpoint.
        using (var model = new BatchNormModel(31))
        using (var averaged = new BatchNormModel(41))
        {
            using var reader = new BinaryReader(saved);
            model.Net.load(reader);
            using var optimizer = optim.SGD(model.Net.parameters(), 0.1, momentum: 0.9);
            optimizer.load_state_dict(reader);
            using var averager = new ModelAverager(model.Net, averaged.Net, schedule, rule);
            averager.Load(reader);
            Assert.Equal(K, averager.Position);
            Train(model, optimizer, new ScheduleDriver(schedule, optimizer) { Position = K }, averager, N - K);
            Assert.Equal(uninterruptedCount, averager.UpdateCount);
            Assert.Equal(uninterrupted, BatchNormModel.StateBits(averaged.Net));
        }
    }

    [Fact]
    public void The_uninterrupted_run_really_averages()
    {
        // Guards the test above: the SWA average differs from the final model, and from the model at any averaged step.
        var schedule = TestSchedules.Text((string)Schedules.First()[1]);
        using var model = new BatchNormModel(30);
        using var averaged = new BatchNormModel(40);
        using var optimizer = optim.SGD(model.Net.parameters(), 0.1, momentum: 0.9);
        using var averager = new ModelAverager(model.Net, averaged.Net, schedule, AveragingRule.Swa);
        Train(model, optimizer, new ScheduleDriver(schedule, optimizer), averager, N);
        Assert.Equal(4, averager.UpdateCount);
        Assert.NotEqual(BatchNormModel.StateBits(model.Net)["fc1.weight"], BatchNormModel.StateBits(averaged.Net)["fc1.weight"]);
    }

    [Fact]
    public void Loading_into_an_averager_with_another_rule_is_refused_before_anything_changes()
    {
        var swaSchedule = TestSchedules.Text("schedule S over 4it { lr = 0.1; swa = 1 }");
        var emaSchedule = TestSchedules.Text("schedule S over 4it { lr = 0.1; ema = 0.5 }");
        using var model = new ToyModel();
        using var averaged = new ToyModel();
        var saved = new MemoryStream();
        using (var swa = new ModelAverager(model, averaged, swaSchedule, AveragingRule.Swa))
        {
            swa.Step();
            swa.Save(new BinaryWriter(saved));
        }
        model.Set([3, 4]);
        using var ema = new ModelAverager(model, averaged, emaSchedule, AveragingRule.Ema);
        saved.Position = 0;
        var e = Assert.Throws<InvalidDataException>(() => ema.Load(new BinaryReader(saved)));
        Assert.Contains("saved by Swa on track 'swa' with buffers copied; this averager is Ema on track 'ema' with buffers averaged", e.Message);
        Assert.Equal([3.0, 4.0], averaged.WValues());
        Assert.Equal(0, ema.Position);
    }

    [Fact]
    public void Loading_another_section_or_another_architecture_is_refused()
    {
        var schedule = TestSchedules.Text("schedule S over 4it { lr = 0.1; swa = 1 }");
        using var toy = new ToyModel();
        using var toyAveraged = new ToyModel();
        using var swa = new ModelAverager(toy, toyAveraged, schedule, AveragingRule.Swa);

        var other = new MemoryStream();
        new BinaryWriter(other).Write("Checkpoint.Model");
        other.Position = 0;
        var e = Assert.Throws<InvalidDataException>(() => swa.Load(new BinaryReader(other)));
        Assert.Contains("expected a Sched.ModelAverager section, found 'Checkpoint.Model'", e.Message);

        var saved = new MemoryStream();
        using (var linear = nn.Linear(2, 1))
        using (var linearAveraged = nn.Linear(2, 1))
        using (var linearSwa = new ModelAverager(linear, linearAveraged, schedule, AveragingRule.Swa))
        {
            linearSwa.Save(new BinaryWriter(saved));
        }
        saved.Position = 0;
        e = Assert.Throws<InvalidDataException>(() => swa.Load(new BinaryReader(saved)));
        Assert.Contains("has 2 tensors; this averaged model has 3", e.Message);
    }

    private static void Train(BatchNormModel model, optim.Optimizer optimizer, ScheduleDriver driver, ModelAverager averager, int steps)
    {
        for (int i = 0; i < steps; i++)
        {
            model.TrainStep(optimizer);
            driver.Step();
            averager.Step();
        }
    }
}
