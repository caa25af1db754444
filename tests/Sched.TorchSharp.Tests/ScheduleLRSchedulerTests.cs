using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sched.TorchSharp.Tests;

public class ScheduleLRSchedulerTests
{
    [Fact]
    public void Steps_like_the_driver_and_reports_the_last_rates()
    {
        var schedule = TestSchedules.NoBeta2();
        using var model = new TinyModel(40);
        using var optimizer = optim.SGD([new SGD.ParamGroup(model.FirstParameters), new SGD.ParamGroup(model.SecondParameters)], 0.1);
        optim.lr_scheduler.LRScheduler scheduler = new ScheduleLRScheduler(schedule, optimizer,
            new ScheduleDriverOptions { LearningRateMultipliers = GroupMultipliers.Of(0.5, 1) });
        Assert.Equal([schedule.ValueAt("lr", 0) * 0.5, schedule.ValueAt("lr", 0)], scheduler.get_last_lr());

        for (int k = 1; k <= 6; k++)
        {
            model.TrainStep(optimizer);
            scheduler.step();
            var groups = optimizer.ParamGroups.Cast<SGD.ParamGroup>().ToArray();
            Assert.Equal(schedule.ValueAt("lr", k) * 0.5, groups[0].LearningRate);
            Assert.Equal(schedule.ValueAt("lr", k), groups[1].LearningRate);
            Assert.Equal(schedule.ValueAt("momentum", k), groups[1].Momentum);
            Assert.Equal(groups.Select(g => g.LearningRate), scheduler.get_last_lr());
        }

        scheduler.step(2);
        Assert.Equal(2, ((ScheduleLRScheduler)scheduler).Driver.Position);
        Assert.Equal(schedule.ValueAt("lr", 2), optimizer.ParamGroups.Last().LearningRate);
    }
}
