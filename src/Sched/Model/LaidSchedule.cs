using System.Globalization;
using System.ComponentModel;
using Sched.Text;

namespace Sched.Model;

/// <summary>One track laid out: evaluate it at any position; it holds its end value from its end on.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class LaidTrack
{
    private readonly double _total;
    private readonly double _stepsPerEpoch;

    internal LaidTrack(string name, TextSpan span, LaidNode root, double total, double stepsPerEpoch)
    {
        Name = name;
        Span = span;
        Root = root;
        _total = total;
        _stepsPerEpoch = stepsPerEpoch;
        End = root.Length.Steps;
        RefreshEnd();
    }

    public string Name { get; }

    public TextSpan Span { get; }

    public LaidNode Root { get; }

    public Length Length => Root.Length;

    /// <summary>Where the track ends: its first part's length.</summary>
    public double End { get; }

    /// <summary>The end value, computed at <see cref="End"/>; held from there on (computed again when a report changes it).</summary>
    public double EndValue { get; private set; }

    internal void RefreshEnd()
    {
        var frame = NewFrame(End);
        EndValue = Root.End(ref frame, 0, 1, End);
    }

    /// <summary>The value at <paramref name="x"/>: negative positions read as 0, positions from the end on give the end value.</summary>
    /// <exception cref="ArgumentException"><paramref name="x"/> is NaN.</exception>
    public double Evaluate(double x)
    {
        if (x < 0) x = 0;
        if (!(x < End)) return Past(x, EndValue, Name);
        var frame = NewFrame(x);
        return Root.Value(ref frame, 0, 1, x);
    }

    /// <summary>The end value for a position at or past the end; a NaN position is refused, so it never reads as the end.</summary>
    public static double Past(double x, double endValue, string track) =>
        double.IsNaN(x) ? throw new ArgumentException($"the step at which track '{track}' is evaluated is NaN; pass a number of steps", "step") : endValue;

    internal Frame NewFrame(double x) => new() { X = x, Total = _total, StepsPerEpoch = _stepsPerEpoch };
}

/// <summary>A schedule laid out for one run: its total and its tracks, ready to evaluate.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class LaidSchedule
{
    private const string StateFormat = "Sched schedule state";
    private const int StateVersion = 1;

    private readonly LaidPlateau[] _plateaus;
    private readonly bool[] _tracksWithPlateaus;
    private LaidMembers? _members;
    private double _lastReport = double.NegativeInfinity;

    internal LaidSchedule(string name, Length total, int stepsPerEpoch, IReadOnlyList<LaidTrack> tracks)
    {
        Name = name;
        Total = total.Steps;
        StepsPerEpoch = stepsPerEpoch;
        Tracks = tracks;
        TrackNames = tracks.Select(t => t.Name).ToArray();
        var plateaus = new List<LaidPlateau>();
        _tracksWithPlateaus = new bool[tracks.Count];
        for (int i = 0; i < tracks.Count; i++)
        {
            int before = plateaus.Count;
            tracks[i].Root.Place(0, 1, plateaus);
            _tracksWithPlateaus[i] = plateaus.Count > before;
        }
        _plateaus = plateaus.ToArray();
        Metrics = _plateaus.Select(p => p.Options.Metric).Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The metrics its plateau phases watch, in order of appearance; empty when it has none.</summary>
    public IReadOnlyList<string> Metrics { get; }

    /// <summary>Whether track <paramref name="index"/> holds a plateau phase, so that its end value changes with reports.</summary>
    public bool TrackHasPlateau(int index) => _tracksWithPlateaus[index];

    /// <summary>
    /// A value of <paramref name="metric"/> reported at <paramref name="position"/> (steps taken): every plateau phase that
    /// watches it and holds that position decides by its rule, and a reduction holds from the position on. Reports come
    /// in order of position.
    /// </summary>
    /// <exception cref="ArgumentException">The schedule watches no such metric, or the position comes before an earlier report's.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The position is negative, infinite or not a number.</exception>
    public void Report(string metric, double value, double position)
    {
        if (metric is null) throw new ArgumentNullException(nameof(metric));
        if (!Metrics.Contains(metric))
        {
            string watched = Metrics.Count == 0 ? "it has no plateau phase" : "it watches " + string.Join(", ", Metrics.Select(m => $"'{m}'"));
            throw new ArgumentException($"schedule '{Name}' watches no metric '{metric}'; {watched}", nameof(metric));
        }
        if (!Layout.IsFinite(position) || position < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(position), position, "a report's position counts optimizer steps taken: a finite number, 0 or more");
        }
        if (position < _lastReport)
        {
            throw new ArgumentException(
                $"a report at step {position.ToString("R", CultureInfo.InvariantCulture)} comes after one at step {_lastReport.ToString("R", CultureInfo.InvariantCulture)}; report in the order of training (to go back, restore a saved state)",
                nameof(position));
        }
        _lastReport = position;
        foreach (var plateau in _plateaus)
        {
            if (plateau.Options.Metric == metric && plateau.Owns(position)) plateau.Report(value, position);
        }
        for (int i = 0; i < Tracks.Count; i++)
        {
            if (_tracksWithPlateaus[i]) Tracks[i].RefreshEnd();
        }
    }

    /// <summary>The reports' effect so far, to save with a checkpoint; empty for a schedule without plateau phases.</summary>
    public ScheduleState SaveState()
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(StateFormat);
            writer.Write(StateVersion);
            writer.Write(_lastReport);
            writer.Write(_plateaus.Length);
            foreach (var plateau in _plateaus) plateau.Write(writer);
        }
        return new ScheduleState(Name, Signature, stream.ToArray());
    }

    /// <summary>Restores what <see cref="SaveState"/> saved, for this schedule (its name and its plateau phases) only.</summary>
    /// <exception cref="ArgumentException">The state belongs to another schedule, or is damaged.</exception>
    public void RestoreState(ScheduleState state)
    {
        if (state is null) throw new ArgumentNullException(nameof(state));
        if (state.Schedule != Name || state.Signature != Signature)
        {
            throw new ArgumentException(
                $"this state was saved by schedule '{state.Schedule}'{(state.Schedule == Name ? " with other plateau phases" : "")}; it cannot be restored into schedule '{Name}'",
                nameof(state));
        }
        double lastReport;
        var saved = new LaidPlateau.Saved[_plateaus.Length];
        try
        {
            using var reader = new BinaryReader(new MemoryStream(state.Payload, writable: false));
            if (reader.ReadString() != StateFormat || reader.ReadInt32() != StateVersion) throw new InvalidDataException("not a schedule state of this version");
            lastReport = reader.ReadDouble();
            if (reader.ReadInt32() != _plateaus.Length) throw new InvalidDataException("the number of plateau phases differs");
            for (int i = 0; i < _plateaus.Length; i++) saved[i] = _plateaus[i].Read(reader);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or IOException)
        {
            throw new ArgumentException($"the state of schedule '{Name}' is damaged: {e.Message}", nameof(state), e);
        }
        // Every phase was read whole: only now does any take its state.
        for (int i = 0; i < _plateaus.Length; i++) _plateaus[i].Restore(saved[i]);
        _lastReport = lastReport;
        for (int i = 0; i < Tracks.Count; i++)
        {
            if (_tracksWithPlateaus[i]) Tracks[i].RefreshEnd();
        }
    }

    /// <summary>What a state must match: the plateau phases, as laid out.</summary>
    private string Signature => string.Join(";", _plateaus.Select(p => p.Signature));

    public string Name { get; }

    public double Total { get; }

    public int StepsPerEpoch { get; }

    public IReadOnlyList<LaidTrack> Tracks { get; }

    public IReadOnlyList<string> TrackNames { get; }

    /// <summary>Index of a track by name or alias (<c>mom</c>), or -1.</summary>
    public int IndexOf(string track)
    {
        string name = TrackCatalogue.Canonical(track);
        for (int i = 0; i < Tracks.Count; i++)
        {
            if (Tracks[i].Name == name) return i;
        }
        return -1;
    }

    /// <summary>The members generated code reads, in the order the generator named them.</summary>
    public LaidMembers Members
    {
        get
        {
            if (_members is null)
            {
                var collector = new LaidMembers.Collector();
                VisitMembers(collector);
                _members = new LaidMembers(collector.Numbers.ToArray(), collector.Arrays.ToArray(), collector.Objects.ToArray());
            }
            return _members;
        }
    }

    /// <summary>Every member, named: per track its end, end value and its nodes' numbers.</summary>
    internal void VisitMembers(NumberVisitor visitor)
    {
        visitor.Add(this, "Total", "total", Total);
        visitor.Add(this, "StepsPerEpoch", "stepsPerEpoch", StepsPerEpoch);
        for (int i = 0; i < Tracks.Count; i++)
        {
            var track = Tracks[i];
            string name = track.Name;
            visitor.Add(track, "End", name + "End", track.End);
            visitor.Add(track, "EndValue", name + "EndValue", track.EndValue);
            // A track with a plateau phase holds an end value that reports change: generated code reads it from the track.
            if (_tracksWithPlateaus[i]) visitor.AddObject(track, "Track", name + "Track", track, "global::Sched.Model.LaidTrack");
            track.Root.VisitMembers(visitor, name);
        }
    }
}
