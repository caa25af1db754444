namespace Sched.TorchSharp;

/// <summary>The optimizer took more steps than the schedule has, with <see cref="PastEndBehavior.Throw"/>.</summary>
public sealed class ScheduleOverrunException : InvalidOperationException
{
    public ScheduleOverrunException(string message) : base(message) { }
}
