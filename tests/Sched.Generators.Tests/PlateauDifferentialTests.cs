using Sched.Samples;

namespace Sched.Generators.Tests;

/// <summary>A plateau schedule, generated and interpreted, given the same reports: the same values bit for bit, and each one's state restores into the other.</summary>
public class PlateauDifferentialTests
{
    // Losses after each epoch of a 10-epoch run at 7 steps per epoch: improving, flat, noisy, a NaN.
    private static readonly double[] Losses = { 2.0, 1.5, 1.4, 1.41, 1.42, double.NaN, 1.2, 1.25, 1.3, 1.3 };

    [Fact]
    public void Generated_and_interpreted_plateau_schedules_agree_after_reports()
    {
        const int stepsPerEpoch = 7;
        var generated = new WarmupPlateau(stepsPerEpoch);
        string text = File.ReadAllText(Path.Combine(GeneratorHarness.RepositoryRoot(), "samples/Schedules/WarmupPlateau.sched"));
        var interpreted = Schedule.Parse(text).Create(stepsPerEpoch);
        Assert.Equal(new[] { "val_loss" }, generated.Metrics);
        for (int epoch = 0; epoch < Losses.Length; epoch++)
        {
            double position = (epoch + 1) * stepsPerEpoch;
            generated.Report("val_loss", Losses[epoch], position);
            interpreted.Report("val_loss", Losses[epoch], position);
            Assert.Null(Differential.FirstDifference(interpreted, generated));
        }
        // Reductions happened (the flat and NaN reports): the last epochs run below the peak.
        Assert.True(generated.LearningRate(69) < 0.1, $"lr at the end: {generated.LearningRate(69)}");

        // Each one's state restores into a fresh other, which then continues identically.
        var restored = Schedule.Parse(text).Create(stepsPerEpoch);
        restored.RestoreState(generated.SaveState());
        Assert.Null(Differential.FirstDifference(restored, generated));
        var restoredGenerated = new WarmupPlateau(stepsPerEpoch);
        restoredGenerated.RestoreState(interpreted.SaveState());
        Assert.Null(Differential.FirstDifference(interpreted, restoredGenerated));
    }

    [Fact]
    public void A_state_of_another_schedule_is_refused_by_name()
    {
        var other = Schedule.Parse("schedule Other over 10it { lr = plateau(0.1, on = val_loss) }").Create();
        var e = Assert.Throws<ArgumentException>(() => new WarmupPlateau(7).RestoreState(other.SaveState()));
        Assert.Contains("saved by schedule 'Other'; it cannot be restored into schedule 'WarmupPlateau'", e.Message);
    }
}
