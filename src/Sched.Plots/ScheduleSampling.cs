using System.Globalization;

namespace Sched.Plots;

/// <summary>Which whole steps a plot draws: 0 to ceil(total), evenly thinned out when there are too many.</summary>
internal static class ScheduleSampling
{
    /// <summary>
    /// Every step from 0 to ceil(total) when there are at most <paramref name="maxCount"/> + 1,
    /// else <paramref name="maxCount"/> + 1 evenly spaced whole steps, the first and last included.
    /// </summary>
    public static long[] Sample(ISchedule schedule, int maxCount)
    {
        double total = schedule.TotalSteps;
        // The runtime validates totals; this guards the cast against a NaN or infinite one all the same.
        if (!(total >= 0 && total < long.MaxValue))
            throw new ArgumentException($"schedule '{schedule.Name}' lasts {total.ToString("R", CultureInfo.InvariantCulture)} steps, which cannot be plotted", nameof(schedule));
        long last = (long)Math.Ceiling(total);
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
