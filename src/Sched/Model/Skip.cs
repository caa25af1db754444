using Sched.Diagnostics;
using Sched.Text;

namespace Sched.Model;

/// <summary><c>A from d</c>: A without its first d, placed d earlier than where it starts.</summary>
public sealed class SkipNode : TrackNode
{
    public SkipNode(TextSpan span, TrackNode inner, DurationNode offset)
        : base(span)
    {
        Inner = inner;
        Offset = offset;
    }

    public TrackNode Inner { get; }

    public DurationNode Offset { get; }

    /// <summary>
    /// <c>A from d</c> lasts A's length minus d. A keeps the rest it is given: in the silent measuring pass (rest 0) the
    /// difference may be negative, and the rest computed from it then gives A exactly the length the track needs.
    /// </summary>
    internal override LaidNode Lay(Layout layout, Length? percentBase, Length rest)
    {
        var offset = Offset.Lay(layout, percentBase, Length.Zero);
        var inner = Inner.Lay(layout, percentBase, rest);
        if (!Layout.IsFinite(offset.Steps))
        {
            if (!double.IsNaN(offset.Steps)) layout.CheckFinite(Offset.Span, offset.Steps);
            offset = Length.Zero;
        }
        else
        {
            offset = layout.NonNegative(offset, Offset.Span);
            if (!layout.Muted && !layout.Holds(offset, inner.Length))
            {
                layout.ReportLength(DiagnosticDescriptors.SkipsPastEnd, Offset.Span, layout.FormatLength(offset), layout.FormatLength(inner.Length));
                offset = inner.Length;
            }
        }
        return new LaidSkip(Span, inner, offset);
    }

    internal override string WriteModel(ModelWriter w) => w.New("SkipNode", Span, w.Track(Inner), w.Duration(Offset));

    internal override DurationUse Uses => Inner.Uses | Offset.Uses;

    internal override void FindRests(RestFinder finder) => Inner.FindRests(finder);
}

/// <summary>A skip laid out: A placed at <c>start - Offset × scale</c>; it lasts A's length minus the offset.</summary>
public sealed class LaidSkip : LaidNode
{
    internal LaidSkip(TextSpan span, LaidNode inner, Length offset)
        : base(span, inner.Length - offset)
    {
        Inner = inner;
        Offset = offset;
    }

    public LaidNode Inner { get; }

    /// <summary>What is skipped (inside a repeat: in cycle 0's steps, like every length).</summary>
    public Length Offset { get; }

    public override double Value(ref Frame frame, double start, double scale, double x) => Inner.Value(ref frame, start - Offset.Steps * scale, scale, x);

    public override double End(ref Frame frame, double start, double scale, double end) => Inner.End(ref frame, start - Offset.Steps * scale, scale, end);

    public override double Left(ref Frame frame, double start, double scale, double x) => Inner.Left(ref frame, start - Offset.Steps * scale, scale, x);

    internal override void Check(ValueChecker checker, Place place)
    {
        // Walk all of the inner track, but judge only what is not skipped; the value where it starts is read directly.
        double window = checker.WindowStart;
        checker.WindowStart = Math.Max(window, place.Start.Steps);
        if (Length.Steps > 0) checker.Value(checker.TrackValue(Math.Min(place.Start.Steps, checker.TrackLength)), place.Start, Span, interior: false);
        Inner.Check(checker, place.At(place.Start - Offset.Times(place.Scale)));
        checker.WindowStart = window;
    }

    internal override string Emit(CSharpWriter w, Placement at)
    {
        string start = w.Local("s", $"{at.Start} - {at.Scaled(w.Number(this, "Offset"))}");
        return Inner.Emit(w, new Placement(start, at.Scale));
    }

    internal override void VisitMembers(NumberVisitor visitor, string name)
    {
        visitor.Add(this, "Offset", name + "Offset", Offset.Steps);
        Inner.VisitMembers(visitor, name + "Inner");
    }

    internal override bool Reads(Variable variable) => Inner.Reads(variable);

    internal override void Place(double start, double scale, List<LaidPlateau> plateaus) => Inner.Place(start - Offset.Steps * scale, scale, plateaus);

    internal override IEnumerable<LaidNode> Parts => new[] { Inner };
}
