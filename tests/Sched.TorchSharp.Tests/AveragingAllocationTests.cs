using Xunit.Abstractions;

namespace Sched.TorchSharp.Tests;

/// <summary>An averager's step, with or without an update, allocates no managed memory: its tensor operations are all in place.</summary>
public class AveragingAllocationTests(ITestOutputHelper output)
{
    public static TheoryData<AveragingRule, bool, string> Cases => new()
    {
        { AveragingRule.Swa, false, "swa = 1" },
        { AveragingRule.Swa, true, "swa = 1" },
        { AveragingRule.Swa, false, "swa = swa_from(10it, 3it)" },
        { AveragingRule.Ema, true, "ema = timm_ema_warmup(0.999)" },
        { AveragingRule.Ema, false, "ema = 0.9" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_step_allocates_nothing(AveragingRule rule, bool averageBuffers, string track)
    {
        var schedule = TestSchedules.Text($"schedule S over 1000it {{ lr = 0.1; {track} }}");
        using var model = new BatchNormModel(1);
        using var averaged = new BatchNormModel(2);
        using var averager = new ModelAverager(model.Net, averaged.Net, schedule, rule, new AveragingOptions { AverageBuffers = averageBuffers });
        for (int i = 0; i < 2_000; i++) averager.Step(); // warm-up: tiered JIT
        averager.Position = 0;
        const int Steps = 20_000;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Steps; i++) averager.Step(); // runs through the schedule and holds past its end
        long bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        output.WriteLine($"{rule} ({track}, buffers {(averageBuffers ? "averaged" : "copied")}): {bytes} B over {Steps:N0} steps, {averager.UpdateCount:N0} updates");
        Assert.Equal(0, bytes);
    }
}
