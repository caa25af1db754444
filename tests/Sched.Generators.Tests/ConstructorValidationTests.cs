using Sched.Samples;

namespace Sched.Generators.Tests;

/// <summary>Generated constructors refuse arguments that make the schedule invalid, naming the parameter and its range.</summary>
public class ConstructorValidationTests
{
    [Fact]
    public void NegativePeak_NamesThePeakAndTheRangeThatKeepsTheScheduleValid()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new SmithOneCycle(10, peak: -0.5));
        Assert.Equal("peak", e.ParamName);
        Assert.Contains("error SCHED011: the learning rate reaches -0.05 at step 0;", e.Message);
        // lr = lin(peak/10 -> peak, ...): every peak >= 0 keeps it non-negative, so the range found is [0, +infinity).
        Assert.Contains("'peak' keeps the schedule valid from 0 to +infinity", e.Message);
    }

    [Fact]
    public void MomentumOutOfRange_GivesTheParameterRange()
    {
        // FastaiOneCycle's momentum is fixed; OneCycleSwa's peak only scales lr: use a custom check through the interpreter-free path.
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new FastaiOneCycle(10, lr_max: -1e-3));
        Assert.Equal("lr_max", e.ParamName);
        Assert.Contains("from 0 to +infinity", e.Message);
    }

    [Fact]
    public void NotANumber_IsRefusedBeforeLayout()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new FastaiOneCycle(10, lr_max: double.NaN));
        Assert.Equal("lr_max", e.ParamName);
        Assert.StartsWith("'lr_max' must be a finite number", e.Message);
    }

    [Fact]
    public void StepsPerEpochBelowOne_IsRefused()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new SmithOneCycle(0));
        Assert.Equal("stepsPerEpoch", e.ParamName);
        Assert.Contains("counts in epochs: stepsPerEpoch must be 1 or more", e.Message);
    }

    [Fact]
    public void EpochDuration_ForAScheduleWithoutEpochs_SaysWhatToGiveInstead()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new WarmupStableDecay(warm: Duration.Epochs(1)));
        Assert.Equal("warm", e.ParamName);
        Assert.Contains("give 'warm' in steps (Duration.Steps) or as a share of the total (Duration.Percent)", e.Message);
    }

    [Fact]
    public void ValidArguments_LayTheScheduleOut()
    {
        var schedule = new WarmupStableDecay(peak: 1e-3, warm: Duration.Steps(100));
        Assert.Equal(0, schedule.LearningRate(0));
        Assert.Equal(1e-3, schedule.LearningRate(100));
    }
}
