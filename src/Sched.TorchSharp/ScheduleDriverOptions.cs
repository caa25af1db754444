namespace Sched.TorchSharp;

/// <summary>How a <see cref="ScheduleDriver"/> maps a schedule onto an optimizer's param groups.</summary>
public sealed class ScheduleDriverOptions
{
    /// <summary>
    /// Per-group factors on the <c>lr</c> track, for discriminative learning rates; null: every group gets the schedule's value.
    /// </summary>
    public GroupMultipliers? LearningRateMultipliers { get; init; }

    /// <summary>Past the schedule's end: hold its final values (default) or throw.</summary>
    public PastEndBehavior PastEnd { get; init; } = PastEndBehavior.Hold;

    /// <summary>The step the driver starts at (the number of optimizer steps already taken); 0 for a fresh run.</summary>
    public long StartPosition { get; init; }
}
