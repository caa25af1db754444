namespace Sched;

/// <summary>Conveniences over <see cref="ISchedule"/> for code that is not on the hot path.</summary>
public static class ScheduleExtensions
{
    /// <summary>Value of a named track at an optimizer step; throws when the schedule has no such track.</summary>
    public static double ValueAt(this ISchedule schedule, string track, long step)
    {
        int index = schedule.IndexOf(track);
        if (index < 0)
        {
            throw new ArgumentException($"schedule '{schedule.Name}' has no track '{track}'; it has {string.Join(", ", schedule.TrackNames)}", nameof(track));
        }
        return schedule.Evaluate(index, step);
    }

    /// <summary>Whether the schedule has a track of this name or alias.</summary>
    public static bool HasTrack(this ISchedule schedule, string track) => schedule.IndexOf(track) >= 0;

    /// <summary>The number of whole steps a training loop runs: <c>ceil(TotalSteps)</c>.</summary>
    public static long StepCount(this ISchedule schedule) => (long)Math.Ceiling(schedule.TotalSteps);
}
