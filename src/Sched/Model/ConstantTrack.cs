using Sched.Text;

namespace Sched.Model;

/// <summary>A track that is a bare value (<c>wd = 1e-4</c>): that value over the whole schedule.</summary>
public sealed class ConstantTrackNode : TrackNode
{
    public ConstantTrackNode(TextSpan span, ValueNode value)
        : base(span)
    {
        Value = value;
    }

    public ValueNode Value { get; }

    /// <summary>It lasts the total: it is all rest.</summary>
    internal override LaidNode Lay(Layout layout, Length? percentBase, Length rest)
    {
        layout.UsedRest = true;
        return new LaidConstant(Span, rest, layout.Value(Value, percentBase));
    }

    internal override string WriteModel(ModelWriter w) => w.New("ConstantTrackNode", Span, w.Value(Value));

    internal override DurationUse Uses => DurationUse.None;

    internal override void FindRests(RestFinder finder)
    {
    }
}

/// <summary>One value over the whole track.</summary>
public sealed class LaidConstant : LaidNode
{
    internal LaidConstant(TextSpan span, Length length, ValueNode value)
        : base(span, length)
    {
        Constant = value;
    }

    public ValueNode Constant { get; }

    public override double Value(ref Frame frame, double start, double scale, double x) => Constant.Evaluate(ref frame);

    public override double End(ref Frame frame, double start, double scale, double end) => Constant.Evaluate(ref frame);

    public override double Left(ref Frame frame, double start, double scale, double x) => Constant.Evaluate(ref frame);

    internal override void Check(ValueChecker checker, Place place)
    {
        var frame = checker.FrameAt(place.Start.Steps, place.Cycle);
        checker.Value(Constant.Evaluate(ref frame), place.Start, Span, interior: false);
    }

    internal override string Emit(CSharpWriter w, Placement at) => w.Expression(Constant);

    internal override void VisitMembers(NumberVisitor visitor, string name) => Constant.VisitNumbers(visitor, name + "Value");

    internal override bool Reads(Variable variable) => Constant.Reads(variable);

    internal override IEnumerable<LaidNode> Parts => Array.Empty<LaidNode>();
}
