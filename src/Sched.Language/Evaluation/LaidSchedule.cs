using Sched.Language.Text;

namespace Sched.Language.Evaluation;

/// <summary>One track laid out: evaluate it at any position; it holds its final value from its end on.</summary>
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
        var context = NewContext(root.Length);
        EndValue = root.EvaluateLeft(ref context, root.Length);
    }

    public string Name { get; }

    public TextSpan Span { get; }

    public LaidNode Root { get; }

    public double Length => Root.Length;

    /// <summary>The limit from the left at the track's end, computed once; held from the end on.</summary>
    public double EndValue { get; }

    public double Evaluate(double x)
    {
        if (!(x < Root.Length)) return EndValue;
        if (x < 0) x = 0;
        var context = NewContext(x);
        return Root.Evaluate(ref context, x);
    }

    private EvalContext NewContext(double x) => new() { X = x, Total = _total, StepsPerEpoch = _stepsPerEpoch, Scale = 1 };
}

/// <summary>A schedule laid out for one run: its total and its tracks, ready to evaluate.</summary>
public sealed class LaidSchedule
{
    internal LaidSchedule(string name, double total, int stepsPerEpoch, IReadOnlyList<LaidTrack> tracks)
    {
        Name = name;
        Total = total;
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
        string name = Binding.Tracks.Canonical(track);
        for (int i = 0; i < Tracks.Count; i++)
        {
            if (Tracks[i].Name == name) return i;
        }
        return -1;
    }
}
