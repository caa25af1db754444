using Sched.Diagnostics;
using Sched.Text;

namespace Sched.Model;

/// <summary>A segment: a <see cref="Model.Shape"/> over a duration (<c>lin(a -> b, d)</c>, <c>fn(expr, d)</c>, …).</summary>
public sealed class SegmentNode : TrackNode
{
    public SegmentNode(TextSpan span, Shape shape, ValueNode from, ValueNode? to, ValueNode? extra, DurationNode duration)
        : base(span)
    {
        Shape = shape;
        From = from;
        To = to;
        Extra = extra;
        Duration = duration;
    }

    public Shape Shape { get; }

    /// <summary>The start value; for a one-value shape (<c>const</c>, <c>fn</c>) the value.</summary>
    public ValueNode From { get; }

    public ValueNode? To { get; }

    /// <summary>The shape's extra argument (<c>poly</c>'s power), or null for its default.</summary>
    public ValueNode? Extra { get; }

    public DurationNode Duration { get; }

    internal override LaidNode Lay(Layout layout, Length? percentBase, Length rest)
    {
        var length = layout.NonNegative(Duration.Lay(layout, percentBase, rest), Duration is RestDuration ? Span : Duration.Span);
        var from = layout.Value(From, percentBase);
        var to = To is null ? new ConstantValue(Span, 0) : layout.Value(To, percentBase);
        var extra = Extra is null ? new ConstantValue(Span, Shape.ExtraDefault) : layout.Value(Extra, percentBase);
        if (from is ConstantValue a && to is ConstantValue b && Shape.EndsProblem(a.Value, b.Value) is not null)
        {
            layout.Report(DiagnosticDescriptors.ExpAcrossZero, Span, Layout.Format(a.Value), Layout.Format(b.Value));
        }
        return new LaidSegment(Span, length, Shape, from, to, extra);
    }

    internal override string WriteModel(ModelWriter w) =>
        w.New("SegmentNode", Span, "global::Sched.Model.Shape." + char.ToUpperInvariant(Shape.Name[0]) + Shape.Name.Substring(1),
            w.Value(From), w.Value(To), w.Value(Extra), w.Duration(Duration));

    internal override DurationUse Uses => Duration.Uses;

    internal override void FindRests(RestFinder finder)
    {
        if (Duration is RestDuration) finder.Rest(Span);
    }
}

/// <summary>A segment laid out: its shape at progress <c>p = (x - start) / (length × scale)</c>, at most 1.</summary>
public sealed class LaidSegment : LaidNode
{
    internal LaidSegment(TextSpan span, Length length, Shape shape, ValueNode from, ValueNode to, ValueNode extra)
        : base(span, length)
    {
        Shape = shape;
        From = from;
        To = to;
        Extra = extra;
    }

    public Shape Shape { get; }

    public ValueNode From { get; }

    public ValueNode To { get; }

    public ValueNode Extra { get; }

    public override double Value(ref Frame frame, double start, double scale, double x) =>
        At(ref frame, Timeline.Progress(x, start, Length.Steps * scale));

    public override double End(ref Frame frame, double start, double scale, double end)
    {
        double x = frame.X;
        frame.X = end;
        double value = At(ref frame, 1);
        frame.X = x;
        return value;
    }

    public override double Left(ref Frame frame, double start, double scale, double x) => Value(ref frame, start, scale, x);

    /// <summary>The shape's value at progress <paramref name="p"/>; the values see <c>p</c> (only <c>fn</c>'s read it).</summary>
    public double At(ref Frame frame, double p)
    {
        frame.P = p;
        return Shape.Formula(From.Evaluate(ref frame), To.Evaluate(ref frame), p, Extra.Evaluate(ref frame));
    }

    internal override void Check(ValueChecker checker, Place place)
    {
        var end = place.Offset(Length);
        var frame = checker.FrameAt(place.Start.Steps, place.Cycle);
        if (place.Modulated || Shape.ReadsProgress || !Shape.IsMonotone(From.Evaluate(ref frame), To.Evaluate(ref frame), Extra.Evaluate(ref frame)))
        {
            checker.Sample(this, place);
            return;
        }
        double from = At(ref frame, 0);
        double to = End(ref frame, place.Start.Steps, place.Scale, end.Steps);
        checker.Value(from, place.Start, Span, interior: Length.Steps > 0 && from == 0 && to == 0);
        checker.Value(to, end, Span, interior: false);
    }

    // A const reads no progress (SCHED021 keeps p out of its value), nor does an fn of step, t or epoch alone: no p local.
    internal override bool EmitReadsStart => Shape.IsTransition || From.Reads(Variable.P);

    internal override string Emit(CSharpWriter w, Placement at)
    {
        if (!EmitReadsStart) return $"global::Sched.Model.Shapes.{Shape.Kernel}({w.Expression(From)})";
        string p = w.ProgressLocal(this, at);
        string saved = w.Progress;
        w.Progress = p;
        string a = w.Expression(From);
        string value = Shape.IsTransition
            ? $"global::Sched.Model.Shapes.{Shape.Kernel}({a}, {w.Expression(To)}, {p}{(Shape.Extra is null ? "" : ", " + w.Expression(Extra))})"
            : $"global::Sched.Model.Shapes.{Shape.Kernel}({a})";
        w.Progress = saved;
        return value;
    }

    internal override void VisitMembers(NumberVisitor visitor, string name)
    {
        visitor.Add(this, "Length", name + "Length", Length.Steps);
        From.VisitNumbers(visitor, name + (Shape.IsTransition ? "From" : "Value"));
        if (Shape.IsTransition) To.VisitNumbers(visitor, name + "To");
        if (Shape.Extra is not null) Extra.VisitNumbers(visitor, name + char.ToUpperInvariant(Shape.Extra[0]) + Shape.Extra.Substring(1));
    }

    internal override bool Reads(Variable variable) => From.Reads(variable) || To.Reads(variable) || Extra.Reads(variable);

    internal override IEnumerable<LaidNode> Parts => Array.Empty<LaidNode>();
}
