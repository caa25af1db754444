using Sched.Samples;

namespace Sched.Generators.Tests;

/// <summary>Each generated class's static <c>Create(stepsPerEpoch, arguments)</c>, <c>Parameters</c> and <c>UsesEpochs</c>: a factory without reflection.</summary>
public sealed class GeneratedFactoryTests
{
    [Fact]
    public void Create_takes_arguments_by_name_and_keeps_the_other_defaults()
    {
        var schedule = SmithOneCycle.Create(10, new Dictionary<string, object> { ["peak"] = 0.4 });

        // lin(peak/10 -> peak, 41ep): 0.04 at step 0, 0.4 at 41 epochs of 10 steps; 95 epochs in all.
        Assert.Equal(0.04, schedule.LearningRate(0), 15);
        Assert.Equal(0.4, schedule.LearningRate(410), 15);
        Assert.Equal(950, schedule.TotalSteps);
        Assert.Equal(10, schedule.StepsPerEpoch);
        Assert.Equal(0.08, SmithOneCycle.Create(10).LearningRate(0), 15);
    }

    [Fact]
    public void Create_equals_the_constructor_with_the_same_arguments_at_every_step()
    {
        var created = FastaiOneCycle.Create(7, new Dictionary<string, object> { ["lr_max"] = 0.1, ["epochs"] = Duration.Epochs(3) });
        var constructed = new FastaiOneCycle(7, lr_max: 0.1, epochs: Duration.Epochs(3));

        Assert.Equal(21, created.TotalSteps);
        for (int step = 0; step <= 21; step++)
        {
            Assert.Equal(constructed.LearningRate(step), created.LearningRate(step));
            Assert.Equal(constructed.Momentum(step), created.Momentum(step));
        }
    }

    [Fact]
    public void Numbers_may_be_any_numeric_type()
    {
        Assert.Equal(0.1, SmithOneCycle.Create(10, new Dictionary<string, object> { ["peak"] = 1 }).LearningRate(0), 15);
    }

    [Fact]
    public void Parameters_and_UsesEpochs_describe_what_Create_takes()
    {
        Assert.Equal(new[] { ("lr_max", false, "1e-3"), ("epochs", true, "5ep") },
            FastaiOneCycle.Parameters.Select(p => (p.Name, p.IsDuration, p.DefaultText)));
        Assert.True(FastaiOneCycle.UsesEpochs);
    }

    [Fact]
    public void An_unknown_name_or_a_value_of_the_wrong_kind_says_what_to_give()
    {
        var unknown = Assert.Throws<ArgumentException>(() => SmithOneCycle.Create(10, new Dictionary<string, object> { ["peek"] = 0.4 }));
        Assert.StartsWith("schedule 'SmithOneCycle' has no parameter 'peek'; it has the parameters peak", unknown.Message);
        Assert.Equal("arguments", unknown.ParamName);

        var text = Assert.Throws<ArgumentException>(() => SmithOneCycle.Create(10, new Dictionary<string, object> { ["peak"] = "0.4" }));
        Assert.StartsWith("'peak' of schedule 'SmithOneCycle' is a number: give a double, not a String (0.4)", text.Message);

        var number = Assert.Throws<ArgumentException>(() => FastaiOneCycle.Create(10, new Dictionary<string, object> { ["epochs"] = 3 }));
        Assert.StartsWith("'epochs' of schedule 'FastaiOneCycle' is a duration: give a Sched.Duration", number.Message);
    }

    [Fact]
    public void Invalid_values_are_refused_as_the_constructor_refuses_them()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => SmithOneCycle.Create(10, new Dictionary<string, object> { ["peak"] = -0.5 }));
        Assert.Contains("peak", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => SmithOneCycle.Create(10, new Dictionary<string, object> { ["peak"] = double.NaN }));
        Assert.Throws<ArgumentOutOfRangeException>(() => SmithOneCycle.Create(0));
    }
}
