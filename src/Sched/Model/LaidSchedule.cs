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
        var frame = NewFrame(End);
        EndValue = root.End(ref frame, 0, 1, End);
    }

    public string Name { get; }

    public TextSpan Span { get; }

    public LaidNode Root { get; }

    public Length Length => Root.Length;

    /// <summary>Where the track ends: its first part's length.</summary>
    public double End { get; }

    /// <summary>The end value, computed once at <see cref="End"/>; held from there on.</summary>
    public double EndValue { get; }

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
    private LaidMembers? _members;

    internal LaidSchedule(string name, Length total, int stepsPerEpoch, IReadOnlyList<LaidTrack> tracks)
    {
        Name = name;
        Total = total.Steps;
        StepsPerEpoch = stepsPerEpoch;
        Tracks = tracks;
        TrackNames = tracks.Select(t => t.Name).ToArray();
    }

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
            track.Root.VisitMembers(visitor, name);
        }
    }
}
