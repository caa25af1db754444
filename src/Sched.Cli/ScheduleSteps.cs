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
}
