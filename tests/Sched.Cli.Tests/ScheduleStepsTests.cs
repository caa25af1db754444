namespace Sched.Cli.Tests;

public sealed class ScheduleStepsTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(4, 4)]
    [InlineData(4.5, 5)]
    [InlineData(5000, 5000)]
    public void SmallSchedules_AreSampledAtEveryStep(double total, long last)
    {
        var steps = Sched.Plots.ScheduleSampling.Sample(new ConstantSchedule(total), 5000);

        Assert.Equal(Enumerable.Range(0, (int)last + 1).Select(i => (long)i), steps);
    }

    [Theory]
    [InlineData(5001)]
    [InlineData(123456.5)]
    [InlineData(1e9)]
    public void LargeSchedules_AreSampledEvenly_FromFirstToLastStep(double total)
    {
        var steps = Sched.Plots.ScheduleSampling.Sample(new ConstantSchedule(total), 5000);

        Assert.Equal(5001, steps.Length);
        Assert.Equal(0, steps[0]);
        Assert.Equal((long)Math.Ceiling(total), steps[^1]);
        Assert.All(steps.Zip(steps.Skip(1)), pair => Assert.True(pair.Second > pair.First));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(-1)]
    public void ImpossibleTotals_FailWithAMessage(double total)
    {
        var error = Assert.Throws<CliException>(() => ScheduleSteps.Last(new ConstantSchedule(total)));

        Assert.Equal(1, error.ExitCode);
        Assert.Contains("steps", error.Message, StringComparison.Ordinal);
    }

    private sealed class ConstantSchedule(double total) : ISchedule
    {
        public string Name => "Constant";

        public double TotalSteps => total;

        public int StepsPerEpoch => 0;

        public IReadOnlyList<string> TrackNames { get; } = new[] { "lr" };

        public int IndexOf(string track) => track == "lr" ? 0 : -1;

        public double Evaluate(int track, double step) => 0.1;

        public void EvaluateAll(double step, Span<double> values) => values[0] = 0.1;

        public IReadOnlyList<string> Metrics => Array.Empty<string>();

        public void Report(string metric, double value, double position) => throw new ArgumentException("no metrics", nameof(metric));

        public ScheduleState SaveState() => throw new NotSupportedException();

        public void RestoreState(ScheduleState state) => throw new NotSupportedException();
    }
}
