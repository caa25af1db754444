using static TorchSharp.torch;

namespace Sched.TorchSharp.Tests;

/// <summary>
/// The SWA and EMA updates against their formulas, value by value: SWA <c>avg += (p - avg) / (n + 1)</c> where the swa track is 1,
/// EMA <c>avg = d * avg + (1 - d) * p</c> with d from the ema track. The values are dyadic, so every expected number is exact in float.
/// </summary>
public class AveragingUpdateTests
{
    [Fact]
    public void Swa_averages_with_equal_weights_exactly_where_the_track_is_1()
    {
        var schedule = TestSchedules.Text("schedule S over 6it { lr = 0.1; swa = const(0, 2it) + const(1, 1it) + const(0, 1it) + const(1, 2it) }");
        using var model = new ToyModel();
        using var averaged = new ToyModel();
        model.Set([-7, 7]);
        using var swa = new ModelAverager(model, averaged, schedule, AveragingRule.Swa);
        Assert.Equal([-7.0, 7.0], averaged.WValues()); // the constructor copies the model

        // The model's weights after each step; the swa track is 1 after steps 2, 4 and 5.
        double[][] weights = [[10, 20], [30, 40], [1, 2], [100, 100], [3, 6], [8, 1]];
        // avg after step 2: copy [1, 2] (n = 0); after 4: [1, 2] + ([3, 6] - [1, 2]) / 2 = [2, 4];
        // after 5: [2, 4] + ([8, 1] - [2, 4]) / 3 = [4, 3], the mean of [1, 2], [3, 6] and [8, 1].
        double[][] expected = [[-7, 7], [-7, 7], [1, 2], [1, 2], [2, 4], [4, 3]];
        bool[] updates = [false, false, true, false, true, true];
        long[] counts = [0, 0, 1, 1, 2, 3];
        for (int step = 0; step < 6; step++)
        {
            model.Set(weights[step]);
            Assert.Equal(updates[step], swa.Step());
            Assert.Equal(expected[step], averaged.WValues());
            Assert.Equal(weights[step], model.WValues()); // the model is only read
            Assert.Equal(counts[step], swa.UpdateCount);
            Assert.Equal(step + 1, swa.Position);
        }
    }

    [Fact]
    public void Ema_blends_with_the_decay_the_track_gives_at_each_step()
    {
        var schedule = TestSchedules.Text("schedule S over 4it { lr = 0.1; ema = const(0, 1it) + const(0.5, 2it) + const(0.75) }");
        using var model = new ToyModel();
        using var averaged = new ToyModel();
        using var ema = new ModelAverager(model, averaged, schedule, AveragingRule.Ema);

        double[][] weights = [[4, 8], [8, 0], [2, 4], [8, 0]];
        // d = 0: copy [4, 8]; d = 0.5: 0.5 * [4, 8] + 0.5 * [8, 0] = [6, 4]; d = 0.5: 0.5 * [6, 4] + 0.5 * [2, 4] = [4, 4];
        // d = 0.75: 0.75 * [4, 4] + 0.25 * [8, 0] = [5, 3].
        double[][] expected = [[4, 8], [6, 4], [4, 4], [5, 3]];
        for (int step = 0; step < 4; step++)
        {
            model.Set(weights[step]);
            Assert.True(ema.Step());
            Assert.Equal(expected[step], averaged.WValues());
        }
        Assert.Equal(4, ema.UpdateCount);
    }

    [Fact]
    public void The_first_update_copies_whatever_the_decay()
    {
        // As PyTorch's AveragedModel: n_averaged = 0 copies, so the average never blends in weights from before the first update.
        var schedule = TestSchedules.Text("schedule S over 3it { lr = 0.1; ema = 0.5 }");
        using var model = new ToyModel();
        using var averaged = new ToyModel();
        model.Set([100, -100]);
        using var ema = new ModelAverager(model, averaged, schedule, AveragingRule.Ema);
        model.Set([4, 8]);
        ema.Step();
        Assert.Equal([4.0, 8.0], averaged.WValues()); // not 0.5 * [100, -100] + 0.5 * [4, 8]
        model.Set([0, 0]);
        ema.Step();
        Assert.Equal([2.0, 4.0], averaged.WValues());
    }

    [Fact]
    public void Swa_copies_buffers_by_default_and_averages_them_when_asked()
    {
        var schedule = TestSchedules.Text("schedule S over 3it { lr = 0.1; swa = 1 }");
        double[][] stats = [[2, 4], [6, 0], [1, 5]];
        long[] counts = [3, 7, 11];

        using var model = new ToyModel();
        using var copied = new ToyModel();
        using var averaged = new ToyModel();
        using var copying = new ModelAverager(model, copied, schedule, AveragingRule.Swa);
        using var averaging = new ModelAverager(model, averaged, schedule, AveragingRule.Swa, new AveragingOptions { AverageBuffers = true });
        Assert.False(copying.AverageBuffers);
        for (int step = 0; step < 3; step++)
        {
            model.Set([0, 0], stats[step], counts[step]);
            copying.Step();
            averaging.Step();
        }
        Assert.Equal([1.0, 5.0], copied.StatValues());               // the model's last
        Assert.Equal([3.0, 3.0], averaged.StatValues());             // ([2, 4] + [6, 0] + [1, 5]) / 3
        Assert.Equal(11, copied.CountValue());
        Assert.Equal(11, averaged.CountValue());                     // an integer buffer is a counter: copied, never averaged
    }

    [Fact]
    public void Ema_averages_buffers_by_default_as_timm_does_and_copies_them_when_asked()
    {
        var schedule = TestSchedules.Text("schedule S over 2it { lr = 0.1; ema = 0.75 }");
        using var model = new ToyModel();
        using var averaged = new ToyModel();
        using var copied = new ToyModel();
        using var averaging = new ModelAverager(model, averaged, schedule, AveragingRule.Ema);
        using var copying = new ModelAverager(model, copied, schedule, AveragingRule.Ema, new AveragingOptions { AverageBuffers = false });
        Assert.True(averaging.AverageBuffers);
        model.Set([0, 0], [8, 4], 1);
        averaging.Step();
        copying.Step();
        model.Set([0, 0], [0, 8], 2);
        averaging.Step();
        copying.Step();
        Assert.Equal([6.0, 5.0], averaged.StatValues());   // 0.75 * [8, 4] + 0.25 * [0, 8]
        Assert.Equal([0.0, 8.0], copied.StatValues());
        Assert.Equal(2, averaged.CountValue());
    }

    [Fact]
    public void Updates_run_in_the_models_dtype()
    {
        // 1/3 is not exact in float32: the float64 average keeps the double-precision value.
        var schedule = TestSchedules.Text("schedule S over 3it { lr = 0.1; swa = 1 }");
        using var model = new ToyModel(ScalarType.Float64);
        using var averaged = new ToyModel(ScalarType.Float64);
        using var swa = new ModelAverager(model, averaged, schedule, AveragingRule.Swa);
        foreach (double[] w in new double[][] { [0, 1], [0, 0], [1, 0] })
        {
            model.Set(w);
            swa.Step();
        }
        Assert.Equal(ScalarType.Float64, averaged.W.dtype);
        Assert.Equal(1.0 / 3, averaged.WValues()[0], 15);
        Assert.Equal(1.0 / 3, averaged.WValues()[1], 15);
    }

    [Fact]
    public void Updates_stay_outside_autograd()
    {
        var schedule = TestSchedules.Text("schedule S over 2it { lr = 0.1; ema = 0.5 }");
        using var model = new ToyModel();
        using var averaged = new ToyModel();
        using var ema = new ModelAverager(model, averaged, schedule, AveragingRule.Ema);
        model.Set([1, 2]);
        ema.Step();
        ema.Step();
        Assert.True(averaged.W.requires_grad);        // still a trainable parameter of its module, untouched by the averager
        Assert.Null(averaged.W.grad);
        // The model still trains: the in-place writes never touched its graph or its tensors' versions.
        using var input = ones(2);
        using var loss = model.forward(input).sum();
        loss.backward();
        Assert.Equal([1.0f, 1.0f], model.W.grad!.data<float>().ToArray());
    }

    [Fact]
    public void Swa_from_averages_where_PyTorchs_documented_loop_calls_update_parameters()
    {
        // for epoch in range(4): train 3 batches; if epoch > swa_start (1): update_parameters(model). swa_start = 1 is swa_from(2ep):
        // the model joins the average after steps 8 and 11, the last steps of epochs 2 and 3.
        var schedule = Schedule.Parse("schedule S over 4ep { lr = 0.1; swa = swa_from(2ep) }").Create(stepsPerEpoch: 3);
        using var model = new ToyModel();
        using var averaged = new ToyModel();
        using var swa = new ModelAverager(model, averaged, schedule, AveragingRule.Swa);
        var updatedAfter = new List<int>();
        for (int step = 0; step < 12; step++)
        {
            model.Set([step, 2 * step]);
            if (swa.Step()) updatedAfter.Add(step);
        }
        Assert.Equal([8, 11], updatedAfter);
        Assert.Equal([9.5, 19.0], averaged.WValues()); // ([8, 16] + [11, 22]) / 2
    }

    [Fact]
    public void Timm_ema_decays_as_ModelEmaV3_updated_after_every_step()
    {
        // timm: update(model, step = s + 1) after step s; get_decay is 0 (a copy) while s + 1 - update_after_step - 1 <= 0, then decay.
        var schedule = TestSchedules.Text("schedule S over 5it { lr = 0.1; ema = timm_ema(0.5, 2it) }");
        using var model = new ToyModel();
        using var averaged = new ToyModel();
        using var ema = new ModelAverager(model, averaged, schedule, AveragingRule.Ema);
        // After steps 0 to 2: copies, [2, 4]; step 3: 0.5 * [2, 4] + 0.5 * [3, 6] = [2.5, 5]; step 4: 0.5 * [2.5, 5] + 0.5 * [4, 8] = [3.25, 6.5].
        double[][] expected = [[0, 0], [1, 2], [2, 4], [2.5, 5], [3.25, 6.5]];
        for (int step = 0; step < 5; step++)
        {
            model.Set([step, 2 * step]);
            ema.Step();
            Assert.Equal(expected[step], averaged.WValues());
        }
    }

    [Fact]
    public void A_custom_track_name_is_read_when_given()
    {
        var schedule = TestSchedules.Text("schedule S over 2it { lr = 0.1; average = const(0, 1it) + const(1) }");
        using var model = new ToyModel();
        using var averaged = new ToyModel();
        using var swa = new ModelAverager(model, averaged, schedule, AveragingRule.Swa, new AveragingOptions { Track = "average" });
        Assert.Equal("average", swa.Track);
        Assert.False(swa.Step());
        Assert.True(swa.Step());
    }

    [Fact]
    public void Setting_the_position_moves_where_the_track_is_read()
    {
        var schedule = TestSchedules.Text("schedule S over 4it { lr = 0.1; swa = const(0, 3it) + const(1) }");
        using var model = new ToyModel();
        using var averaged = new ToyModel();
        using var swa = new ModelAverager(model, averaged, schedule, AveragingRule.Swa) { Position = 3 };
        Assert.True(swa.Step());
        Assert.Equal(4, swa.Position);
        Assert.Throws<ArgumentOutOfRangeException>(() => swa.Position = -1);
    }
}
