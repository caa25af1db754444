using Sched.Samples;

namespace Sched.Generators.Tests;

/// <summary>Generated evaluation is on the training hot path: it must not allocate (docs/language.md §10).</summary>
public sealed class AllocationTests
{
    public static TheoryData<string> Samples() => new(
        nameof(SmithOneCycle),      // concatenated segments, two tracks
        nameof(Spikes),             // modulation reading p
        nameof(CyclicalHalving),    // repeats and a def
        nameof(WarmRestarts),       // repeat with mult
        nameof(CosinePerEpoch),     // by epoch
        nameof(WarmupStableDecay)); // % durations, no epochs

    [Theory]
    [MemberData(nameof(Samples))]
    public void GeneratedEvaluation_AllocatesNothing(string name)
    {
        var type = typeof(SmithOneCycle).Assembly.GetType("Sched.Samples." + name, throwOnError: true)!;
        bool usesEpochs = type.GetConstructors().Single().GetParameters() is [{ Name: "stepsPerEpoch" }, ..];
        // Constructed before measuring: laying out a schedule allocates, evaluating it must not.
        var schedule = SampleDifferentialTests.Construct(type, usesEpochs, 13, overrides: null);
        Run(schedule, 1_000_000); // warm-up: let tiered JIT settle before measuring

        long before = GC.GetAllocatedBytesForCurrentThread();
        double sum = Run(schedule, 1_000_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(double.IsFinite(sum));
        Assert.Equal(0, allocated);
    }

    // The typed track method too, as a training loop calls it.
    [Fact]
    public void TypedTrackMethod_AllocatesNothing()
    {
        var schedule = new SmithOneCycle(stepsPerEpoch: 100);
        double sum = 0;
        for (int i = 0; i < 1_000_000; i++) sum += schedule.LearningRate(i % 10_000) + schedule.Momentum(i % 10_000);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1_000_000; i++) sum += schedule.LearningRate(i % 10_000) + schedule.Momentum(i % 10_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(double.IsFinite(sum));
        Assert.Equal(0, allocated);
    }

    // Cycles through every track and through positions before, inside and after the schedule, fractional ones included.
    private static double Run(ISchedule schedule, int count)
    {
        int tracks = schedule.TrackNames.Count;
        double span = schedule.TotalSteps + 50;
        double sum = 0;
        for (int i = 0; i < count; i++) sum += schedule.Evaluate(i % tracks, (i * 0.37 % span) - 2);
        return sum;
    }
}
