namespace Sched.TorchSharp;

/// <summary>What a <see cref="ScheduleDriver"/> does when training runs past the schedule's last step.</summary>
public enum PastEndBehavior
{
    /// <summary>Keep applying the schedule's final values, as <see cref="ISchedule.Evaluate"/> does.</summary>
    Hold,

    /// <summary>Throw <see cref="ScheduleOverrunException"/>: the loop and the schedule disagree on the run's length.</summary>
    Throw,
}
