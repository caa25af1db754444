using System.Globalization;

namespace Sched.Cli;

/// <summary>The CSV of docs/language.md §11: <c>step,lr[,momentum,...]</c>, one row per step from 0 to ceil(total),
/// each value checked as the driver checks it.</summary>
internal static class ScheduleCsv
{
    public static void Write(ISchedule schedule, TextWriter writer)
    {
        long last = ScheduleSteps.Last(schedule);
        var tracks = schedule.TrackNames;
        writer.Write("step");
        foreach (string track in tracks) writer.Write("," + track);
        writer.Write('\n');

        var values = new double[tracks.Count];
        for (long step = 0; step <= last; step++)
        {
            schedule.EvaluateAll(step, values);
            // Rows before a value outside its range are printed; the offending one is not, and the command fails.
            ValueCheck.Require(schedule, step, values);
            writer.Write(step.ToString(CultureInfo.InvariantCulture));
            foreach (double value in values)
            {
                writer.Write(',');
                writer.Write(value.ToString("R", CultureInfo.InvariantCulture));
            }

            writer.Write('\n');
        }
    }
}
