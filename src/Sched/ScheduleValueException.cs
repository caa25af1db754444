using System.Globalization;

namespace Sched;

/// <summary>
/// A track's value at a step is not finite, or outside the range its track allows (a negative learning rate, a momentum
/// of 1 or more): found when the schedule runs, before the value reaches an optimizer or an output.
/// </summary>
public sealed class ScheduleValueException : Exception
{
    public ScheduleValueException(string schedule, string track, double step, double value)
        : base(Describe(schedule, track, step, value))
    {
        Schedule = schedule;
        Track = track;
        Step = step;
        Value = value;
    }

    public string Schedule { get; }

    public string Track { get; }

    public double Step { get; }

    public double Value { get; }

    private static string Describe(string schedule, string track, double step, double value)
    {
        string at = step.ToString("R", CultureInfo.InvariantCulture);
        string found = double.IsNaN(value) ? "NaN" : value.ToString("R", CultureInfo.InvariantCulture);
        var info = TrackCatalogue.Find(track);
        string rule = double.IsNaN(value) || double.IsInfinity(value) || info is null
            ? "a value must be a finite number"
            : $"{info.Name} must lie in {info.Range}";
        return $"schedule '{schedule}' gives track '{track}' the value {found} at step {at}; {rule}";
    }
}

/// <summary>The run-time check of values (docs/language.md §9): finite, and in the known track's range.</summary>
public static class ScheduleValues
{
    /// <summary>Whether <paramref name="value"/> is allowed for the track named <paramref name="track"/> (a custom track: any finite value).</summary>
    public static bool Allowed(string track, double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value)) return false;
        var info = TrackCatalogue.Find(track);
        return info is null || info.Allows(value);
    }

    /// <summary>Throws <see cref="ScheduleValueException"/> when <paramref name="value"/> is not allowed for the track.</summary>
    public static void Require(ISchedule schedule, int track, double step, double value)
    {
        string name = schedule.TrackNames[track];
        if (!Allowed(name, value)) throw new ScheduleValueException(schedule.Name, name, step, value);
    }
}
