using static TorchSharp.torch.optim;
using static TorchSharp.torch.optim.lr_scheduler;

namespace Sched.TorchSharp;

/// <summary>
/// A <see cref="ScheduleDriver"/> behind TorchSharp's <see cref="LRScheduler"/>, for code that expects one. It counts optimizer
/// steps, not epochs: call <see cref="step()"/> after each <c>optimizer.step()</c>; <c>step(n)</c> jumps to step n. It drives every
/// track the driver does, not only the learning rate. TorchSharp's base class allocates its bookkeeping on every step; use the
/// <see cref="Driver"/> directly where that matters.
/// </summary>
public sealed class ScheduleLRScheduler : LRScheduler
{
    /// <summary>Binds <paramref name="schedule"/> to <paramref name="optimizer"/> and applies step 0 (or the options' start position).</summary>
    public ScheduleLRScheduler(ISchedule schedule, Optimizer optimizer, ScheduleDriverOptions? options = null)
        : base(optimizer, last_epoch: -1, verbose: false)
    {
        Driver = new ScheduleDriver(schedule, optimizer, options);
        // Record the start position's rates as TorchSharp's schedulers record theirs on construction.
        base.step((int)Math.Min(Driver.Position, int.MaxValue));
    }

    /// <summary>The driver doing the work; its <see cref="ScheduleDriver.Position"/> is this scheduler's step count.</summary>
    public ScheduleDriver Driver { get; }

    /// <summary>Advances one optimizer step, or with <paramref name="epoch"/> jumps to that step (closed form, as on resume).</summary>
    public override void step(int? epoch)
    {
        if (epoch.HasValue) Driver.Position = epoch.Value;
        else Driver.Step();
        // The base class records the groups' rates (get_last_lr) and writes them back unchanged.
        base.step((int)Math.Min(Driver.Position, int.MaxValue));
    }
}
