namespace Sched.Tests;

/// <summary>Evaluation is on the training hot path: the interpreter must not allocate (docs/language.md §10).</summary>
public class AllocationTests
{
    private const string OneCycle = """
        schedule SmithOneCycle(peak = 0.8) over 95ep {
            lr       = lin(peak/10 -> peak, 41ep) + lin(peak -> peak/10, 41ep) + lin(peak/10 -> peak/1000, rest)
            momentum = lin(0.95 -> 0.85, 41ep) + lin(0.85 -> 0.95, 41ep) + const(0.95, rest)
        }
        """;

    private const string Busy = """
        schedule Busy over 30ep {
            lr  = lin(0.01 -> 0.1, 2ep) + repeat(3, mult = 2) { cos(0.1 * 0.5^cycle -> 0.001, 3ep) } * (1 + 0.1 * sin(10 * pi * p))
            mom = (cos(0.95 -> 0.85, 10ep) + const(0.9, rest)) by epoch
            wd  = fn(1e-4 * (1 + t) + 1e-6 * epoch)
            ema = repeat(2.5) { exp(0.9 -> 0.999, 2ep) + poly(0.999 -> 0.99, 1ep, 2) }
        }
        """;

    [Theory]
    [InlineData(OneCycle)]
    [InlineData(Busy)]
    public void Evaluate_AllocatesNothing(string text)
    {
        var schedule = Build.Create(text, 13);
        Run(schedule, 1_000_000); // warm-up: let tiered JIT settle before measuring

        long before = GC.GetAllocatedBytesForCurrentThread();
        double sum = Run(schedule, 1_000_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(double.IsFinite(sum));
        Assert.Equal(0, allocated);
    }

    // Cycles through every track and through positions before, inside and after the schedule.
    private static double Run(ISchedule schedule, int count)
    {
        int tracks = schedule.TrackNames.Count;
        double span = schedule.TotalSteps + 50;
        double sum = 0;
        for (int i = 0; i < count; i++)
        {
            sum += schedule.Evaluate(i % tracks, i * 0.37 % span);
        }
        return sum;
    }
}
