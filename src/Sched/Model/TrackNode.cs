using System.ComponentModel;
using Sched.Text;

namespace Sched.Model;

/// <summary>
/// A track expression as bound: names resolved, defs expanded. Each kind of node (one file each) defines, in one
/// place, how it is laid out (<see cref="Lay"/>) and, laid out, how it is evaluated, checked and written as C#
/// (<see cref="LaidNode"/>). The set is closed: every kind implements every abstract member.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class TrackNode
{
    private protected TrackNode(TextSpan span)
    {
        Span = span;
    }

    /// <summary>Where diagnostics about this node point: its text, or the call of the def it came from.</summary>
    public TextSpan Span { get; }

    /// <summary>Lays the node out: <paramref name="percentBase"/> is what 100% means here (null: no total), <paramref name="rest"/> what <c>rest</c> is.</summary>
    internal abstract LaidNode Lay(Layout layout, Length? percentBase, Length rest);

    internal abstract string WriteModel(ModelWriter w);

    /// <summary>Which kinds of duration its own durations are (for a repeat's %-only body).</summary>
    internal abstract DurationUse Uses { get; }

    /// <summary>Where it fills what remains (<c>rest</c>, a repeat that fills the rest), for the rule of one rest per track.</summary>
    internal abstract void FindRests(RestFinder finder);
}

/// <summary>
/// A track node laid out for one run: lengths in steps (in cycle 0's steps inside a repeat), values with parameters
/// replaced. It is placed by its parent at a start position with a scale (docs/language.md §7); evaluation allocates nothing.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class LaidNode
{
    private protected LaidNode(TextSpan span, Length length)
    {
        Span = span;
        Length = length;
    }

    public TextSpan Span { get; }

    /// <summary>Length (inside a repeat: in cycle 0's steps).</summary>
    public Length Length { get; }

    /// <summary>The value at <paramref name="x"/>, for this node placed at <paramref name="start"/> with <paramref name="scale"/>.</summary>
    public abstract double Value(ref Frame frame, double start, double scale, double x);

    /// <summary>The end value, computed with the position variables at <paramref name="end"/> (docs/language.md §7).</summary>
    public abstract double End(ref Frame frame, double start, double scale, double end);

    /// <summary>The value from the left at <paramref name="x"/>: at a boundary, the end value of what ends there.</summary>
    public abstract double Left(ref Frame frame, double start, double scale, double x);

    /// <summary>Checks the track's range over this node (exactly at monotone ends, else by sampling).</summary>
    internal abstract void Check(ValueChecker checker, Place place);

    /// <summary>Writes C# statements computing the value at the writer's position and returns the expression holding it.</summary>
    internal abstract string Emit(CSharpWriter w, Placement at);

    /// <summary>Whether <see cref="Emit"/> reads its placement's start; a sequence computes a start only for the parts that do.</summary>
    internal virtual bool EmitReadsStart => true;

    /// <summary>The numbers (and nodes) its generated code reads, named, in one fixed order.</summary>
    internal abstract void VisitMembers(NumberVisitor visitor, string name);

    /// <summary>Whether a value in it reads <paramref name="variable"/>.</summary>
    internal abstract bool Reads(Variable variable);

    /// <summary>The nodes it holds.</summary>
    internal abstract IEnumerable<LaidNode> Parts { get; }

    /// <summary>
    /// Places the plateau phases it holds on the track (where each starts and ends), so that a report at a position goes to
    /// the phase that holds it. Nodes that place their parts where they stand themselves need not override it.
    /// </summary>
    internal virtual void Place(double start, double scale, List<LaidPlateau> plateaus)
    {
        foreach (var part in Parts) part.Place(start, scale, plateaus);
    }

    /// <summary>Whether a value in it reads the position (<c>step t epoch</c>).</summary>
    internal bool ReadsPosition => Reads(Variable.Step) || Reads(Variable.T) || Reads(Variable.Epoch);

    /// <summary>Segments in it, for the size limits of generated code.</summary>
    internal int Count => 1 + Parts.Sum(p => p.Count);
}

/// <summary>Where a node sits while its values are checked: start (in the units written), scale and cycle.</summary>
internal readonly struct Place
{
    public Place(Length start, double scale, int cycle, bool modulated)
    {
        Start = start;
        Scale = scale;
        Cycle = cycle;
        Modulated = modulated;
    }

    public Length Start { get; }

    public double Scale { get; }

    public int Cycle { get; }

    /// <summary>Inside <c>A * m</c>: values are sampled, never read at the ends only.</summary>
    public bool Modulated { get; }

    public Place At(Length start) => new(start, Scale, Cycle, Modulated);

    public Place InCycle(Length start, double scale, int cycle) => new(start, scale, cycle, Modulated);

    public Place WithModulation() => new(Start, Scale, Cycle, true);

    /// <summary>The position <c>Start + offset × Scale</c>, in both forms of <see cref="Length"/>.</summary>
    public Length Offset(Length offset) => Start + offset.Times(Scale);
}

/// <summary>Finds a track's rests (<c>rest</c> and repeats that fill it): at most one, and none inside a repeat without 'every'.</summary>
internal sealed class RestFinder
{
    private readonly Action<TextSpan, string> _misplaced;
    private readonly Action<TextSpan> _twice;

    public RestFinder(List<TextSpan> rests, Action<TextSpan, string> misplaced, Action<TextSpan> twice, bool insideRepeat = false)
    {
        Rests = rests;
        _misplaced = misplaced;
        _twice = twice;
        InsideRepeat = insideRepeat;
    }

    public List<TextSpan> Rests { get; }

    public bool InsideRepeat { get; }

    /// <summary>A finder for a body: its own scope (<c>every</c>), or inside a repeat where rest has no meaning.</summary>
    public RestFinder Inner(List<TextSpan> rests, bool insideRepeat) => new(rests, _misplaced, _twice, insideRepeat);

    public void Rest(TextSpan span)
    {
        if (InsideRepeat) _misplaced(span, "'rest' inside a repeat refers to its cycle and needs 'every = ...'; give this segment a duration");
        else Rests.Add(span);
    }

    public void RepeatFillingRest(TextSpan span)
    {
        if (InsideRepeat) _misplaced(span, "a repeat that fills the rest cannot sit inside another repeat without 'every'; give it a count");
        else Rests.Add(span);
    }

    public void Twice(TextSpan span) => _twice(span);
}
