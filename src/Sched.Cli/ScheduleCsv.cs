using System.Globalization;

namespace Sched.Cli;

/// <summary>The CSV of docs/language.md §10: <c>step,lr[,momentum,...]</c>, one row per step from 0 to ceil(total).</summary>
internal static class ScheduleCsv
{
    public static void Write(ISchedule schedule, TextWriter writer)
    {
        long last = ScheduleSteps.Last(schedule);
        var tracks = schedule.TrackNames;
        writer.Write("step");
        foreach (string track in tracks) writer.Write("," + track);
        writer.Write('\n');

        for (long step = 0; step <= last; step++)
        {
            writer.Write(step.ToString(CultureInfo.InvariantCulture));
            for (int track = 0; track < tracks.Count; track++)
            {
                writer.Write(',');
                writer.Write(schedule.Evaluate(track, step).ToString("R", CultureInfo.InvariantCulture));
            }

            writer.Write('\n');
        }
    }
}
