using TorchSharp;
using static TorchSharp.torch;

namespace Sched.TorchSharp.Tests;

/// <summary>Bad input to the averager: each error names what is wrong and what to write instead.</summary>
public class AveragingInputTests
{
    [Theory]
    [InlineData(AveragingRule.Swa, "no 'swa' track", "swa_from(")]
    [InlineData(AveragingRule.Ema, "no 'ema' track", "timm_ema(")]
    public void A_schedule_without_the_track_is_refused_with_an_example(AveragingRule rule, string problem, string remedy)
    {
        var schedule = TestSchedules.Text("schedule S over 4it { lr = 0.1; momentum = 0.9 }");
        using var model = new ToyModel();
        using var averaged = new ToyModel();
        var e = Assert.Throws<ArgumentException>(() => new ModelAverager(model, averaged, schedule, rule));
        Assert.Contains(problem, e.Message);
        Assert.Contains("it has lr, momentum", e.Message);
        Assert.Contains(remedy, e.Message);
        Assert.Contains("AveragingOptions.Track", e.Message);
    }

    [Theory]
    [InlineData("0.5")]
    [InlineData("2")]
    [InlineData("-1")]
    public void An_swa_value_other_than_0_or_1_stops_the_step(string value)
    {
        var schedule = TestSchedules.Text($"schedule S over 4it {{ lr = 0.1; swa = const(1, 1it) + const({value}) }}");
        using var model = new ToyModel();
        using var averaged = new ToyModel();
        using var swa = new ModelAverager(model, averaged, schedule, AveragingRule.Swa);
        Assert.True(swa.Step());
        var e = Assert.Throws<InvalidOperationException>(() => swa.Step());
        Assert.Contains($"is {value} at step 1", e.Message);
        Assert.Contains("swa_from(start, period)", e.Message);
        Assert.Equal(1, swa.Position);   // the refused step is not counted
        Assert.Equal(1, swa.UpdateCount);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("1.5")]
    [InlineData("-0.25")]
    public void An_ema_decay_outside_0_to_1_stops_the_step(string value)
    {
        var schedule = TestSchedules.Text($"schedule S over 4it {{ lr = 0.1; ema = {value} }}");
        using var model = new ToyModel();
        using var averaged = new ToyModel();
        using var ema = new ModelAverager(model, averaged, schedule, AveragingRule.Ema);
        var e = Assert.Throws<InvalidOperationException>(() => ema.Step());
        Assert.Contains($"is {value} at step 0", e.Message);
        Assert.Contains("[0, 1)", e.Message);
        Assert.Contains("timm_ema(0.9999)", e.Message);
        Assert.Equal(0, ema.UpdateCount);
    }

    [Fact]
    public void A_model_without_parameters_is_refused()
    {
        var schedule = TestSchedules.Text("schedule S over 4it { lr = 0.1; swa = 1 }");
        using var model = nn.Sequential(("relu", nn.ReLU()));
        using var averaged = nn.Sequential(("relu", nn.ReLU()));
        var e = Assert.Throws<ArgumentException>(() => new ModelAverager(model, averaged, schedule, AveragingRule.Swa));
        Assert.Contains("has no parameters to average", e.Message);
    }

    [Fact]
    public void The_model_itself_is_refused_as_its_own_average()
    {
        var schedule = TestSchedules.Text("schedule S over 4it { lr = 0.1; swa = 1 }");
        using var model = new ToyModel();
        var e = Assert.Throws<ArgumentException>(() => new ModelAverager(model, model, schedule, AveragingRule.Swa));
        Assert.Contains("pass a second instance of its class", e.Message);
    }

    [Fact]
    public void A_different_architecture_is_refused_by_tensor_name_and_shape()
    {
        var schedule = TestSchedules.Text("schedule S over 4it { lr = 0.1; swa = 1 }");
        using var model = nn.Linear(2, 1);
        using var wider = nn.Linear(3, 1);
        var e = Assert.Throws<ArgumentException>(() => new ModelAverager(model, wider, schedule, AveragingRule.Swa));
        Assert.Contains("parameter 'weight' is [1, 2] in the model but [1, 3] in the averaged model", e.Message);

        using var other = new ToyModel();
        e = Assert.Throws<ArgumentException>(() => new ModelAverager(model, other, schedule, AveragingRule.Swa));
        Assert.Contains("no parameter 'weight'", e.Message);
        Assert.Contains("second instance of the model's own class", e.Message);
    }

    [Fact]
    public void An_averaged_model_of_another_dtype_is_refused_with_the_move_to_make()
    {
        var schedule = TestSchedules.Text("schedule S over 4it { lr = 0.1; ema = 0.9 }");
        using var model = new ToyModel();
        using var averaged = new ToyModel(ScalarType.Float64);
        var e = Assert.Throws<ArgumentException>(() => new ModelAverager(model, averaged, schedule, AveragingRule.Ema));
        Assert.Contains("'w' is Float32 in the model but Float64 in the averaged model", e.Message);
        Assert.Contains("averaged.to(ScalarType.Float32)", e.Message);
    }

    [Fact]
    public void Replacing_a_models_tensors_after_binding_is_caught_before_saving()
    {
        var schedule = TestSchedules.Text("schedule S over 4it { lr = 0.1; swa = 1 }");
        using var model = nn.Linear(2, 1);
        using var averaged = nn.Linear(2, 1);
        using var swa = new ModelAverager(model, averaged, schedule, AveragingRule.Swa);
        model.to(ScalarType.Float64); // a new weight tensor: the averager's view is of the old one
        var e = Assert.Throws<InvalidOperationException>(() => swa.Save(new BinaryWriter(new MemoryStream())));
        Assert.Contains("model's parameter 'weight' is no longer the tensor this averager was built on", e.Message);
        Assert.Contains("build the averager after moving and loading both models", e.Message);
    }
}
