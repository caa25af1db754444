namespace Sched.Cli;

/// <summary>
/// The run-time check of values (docs/language.md §9) as eval and plot apply it: the first value that is not finite,
/// or outside its track's range, stops the command (exit 1) with the schedule, track, step and value.
/// </summary>
internal static class ValueCheck
{
    public static void Require(ISchedule schedule, long step, ReadOnlySpan<double> values)
    {
        try
        {
            for (int track = 0; track < values.Length; track++) ScheduleValues.Require(schedule, track, step, values[track]);
        }
        catch (ScheduleValueException e)
        {
            throw CliException.Failed("sched: error: " + e.Message);
        }
    }

    /// <summary>Every whole step from 0 to the end, as <see cref="ScheduleCsv"/> lists them.</summary>
    public static void RequireAll(ISchedule schedule)
    {
        long last = ScheduleSteps.Last(schedule);
        var values = new double[schedule.TrackNames.Count];
        for (long step = 0; step <= last; step++)
        {
            schedule.EvaluateAll(step, values);
            Require(schedule, step, values);
        }
    }
}
