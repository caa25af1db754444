using Sched.Samples;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sched.TorchSharp.Tests;

public class AllocationTests
{
    public static TheoryData<string> Optimizers => new() { "SGD", "AdamW", "RMSProp" };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void A_driver_step_allocates_nothing(string optimizerName)
    {
        using var model = new TinyModel(20);
        using optim.Optimizer optimizer = optimizerName switch
        {
            "SGD" => optim.SGD([new SGD.ParamGroup(model.FirstParameters), new SGD.ParamGroup(model.SecondParameters)], 0.1),
            "AdamW" => optim.AdamW([new AdamW.ParamGroup(model.FirstParameters), new AdamW.ParamGroup(model.SecondParameters)]),
            _ => optim.RMSProp([new RMSProp.ParamGroup(model.FirstParameters), new RMSProp.ParamGroup(model.SecondParameters)]),
        };
        var schedule = optimizerName == "AdamW" ? TestSchedules.AllTracks() : TestSchedules.NoBeta2();
        var options = new ScheduleDriverOptions { LearningRateMultipliers = GroupMultipliers.Geometric(0.1, 1) };
        Assert.Equal(0, BytesOver100kSteps(new ScheduleDriver(schedule, optimizer, options)));
        Assert.Equal(0, BytesOver100kSteps(new ScheduleDriver(new SmithOneCycle(stepsPerEpoch: 10), optimizer is SGD or RMSProp ? optimizer : optim.SGD(model.Parameters, 0.1))));
    }

    /// <summary>
    /// The fewest bytes allocated over 100,000 steps, in three windows: an allocation per step shows in every window, while the
    /// runtime's one-time work (a method compiled or re-compiled on this thread while other tests load the machine) shows in one.
    /// </summary>
    private static long BytesOver100kSteps(ScheduleDriver driver)
    {
        for (int i = 0; i < 2_000; i++) driver.Step(); // warm-up: tiered JIT
        long fewest = long.MaxValue;
        for (int window = 0; window < 3; window++)
        {
            driver.Position = 0;
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 100_000; i++) driver.Step(); // runs through the schedule and holds past its end
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return fewest;
    }
}
