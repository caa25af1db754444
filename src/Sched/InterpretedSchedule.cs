using Sched.Model;

namespace Sched;

/// <summary>An <see cref="ISchedule"/> evaluated by walking the laid-out model; no allocation per evaluation.</summary>
internal sealed class InterpretedSchedule : ISchedule
{
    private readonly LaidSchedule _laid;
    private readonly LaidTrack[] _tracks;

    public InterpretedSchedule(LaidSchedule laid)
    {
        _laid = laid;
        _tracks = laid.Tracks.ToArray();
    }

    public string Name => _laid.Name;

    public double TotalSteps => _laid.Total;

    public int StepsPerEpoch => _laid.StepsPerEpoch;

    public IReadOnlyList<string> TrackNames => _laid.TrackNames;

    public int IndexOf(string track) => _laid.IndexOf(track);

    public double Evaluate(int track, double step)
    {
        if ((uint)track >= (uint)_tracks.Length) throw TrackOutOfRange(Name, track, _tracks.Length);
        return _tracks[track].Evaluate(step);
    }

    public void EvaluateAll(double step, Span<double> values)
    {
        if (values.Length < _tracks.Length) throw ValuesTooShort(Name, values.Length, _tracks.Length);
        for (int i = 0; i < _tracks.Length; i++) values[i] = _tracks[i].Evaluate(step);
    }

    public IReadOnlyList<string> Metrics => _laid.Metrics;

    public void Report(string metric, double value, double position) => _laid.Report(metric, value, position);

    public ScheduleState SaveState() => _laid.SaveState();

    public void RestoreState(ScheduleState state) => _laid.RestoreState(state);

    internal static ArgumentOutOfRangeException TrackOutOfRange(string schedule, int track, int count) =>
        new(nameof(track), track, $"schedule '{schedule}' has {count} track{(count == 1 ? "" : "s")}, indexed 0 to {count - 1}; IndexOf(name) gives a track's index");

    internal static ArgumentException ValuesTooShort(string schedule, int length, int count) =>
        new($"schedule '{schedule}' has {count} tracks, but the span for their values holds {length}", "values");
}
