using System.Globalization;

namespace Sched.Cli;

/// <summary>Which whole steps the commands show: 0 to ceil(total), where the last one holds the final value.</summary>
internal static class ScheduleSteps
{
    public static long Last(ISchedule schedule)
    {
        double total = schedule.TotalSteps;
        // The runtime validates totals; this guards the cast against a NaN or infinite one all the same.
        if (!(total >= 0 && total < long.MaxValue))
            throw CliException.Failed($"sched: schedule '{schedule.Name}' lasts {total.ToString("R", CultureInfo.InvariantCulture)} steps, which cannot be listed step by step");
        return (long)Math.Ceiling(total);
    }

    /// <summary>
    /// Every step from 0 to <see cref="Last"/> when there are at most <paramref name="maxCount"/> + 1,
    /// else <paramref name="maxCount"/> + 1 evenly spaced whole steps, the first and last included.
    /// </summary>
    public static long[] Sample(ISchedule schedule, int maxCount)
    {
        long last = Last(schedule);
        if (last <= maxCount)
        {
            var every = new long[last + 1];
            for (long step = 0; step <= last; step++) every[step] = step;
            return every;
        }

        var steps = new long[maxCount + 1];
        for (int i = 0; i <= maxCount; i++) steps[i] = (long)Math.Round(i * (double)last / maxCount);
        return steps;
    }
}
