using Sched.Diagnostics;
using Sched.Text;

namespace Sched.Model;

/// <summary><c>A by epoch</c> (<see cref="Block"/> null) or <c>A by 10it</c>: A sees the position rounded down to its block.</summary>
public sealed class QuantizeNode : TrackNode
{
    public QuantizeNode(TextSpan span, TrackNode inner, DurationNode? block)
        : base(span)
    {
        Inner = inner;
        Block = block;
    }

    public TrackNode Inner { get; }

    public DurationNode? Block { get; }

    internal override LaidNode Lay(Layout layout, Length? percentBase, Length rest)
    {
        double block = Block is null ? layout.EpochLength(Span) : Block.Lay(layout, percentBase, Length.Zero).Steps;
        if (!(block > 0))
        {
            layout.Report(DiagnosticDescriptors.WrongKind, Span, $"'by' needs a positive block such as 'by 10it' or 'by epoch', not {Layout.Format(block)} steps");
            block = 1;
        }
        else if (!(block >= Layout.MinimumBlock && Layout.IsFinite(block)))
        {
            layout.Report(DiagnosticDescriptors.WrongKind, Span, $"'by' needs a block between {Layout.MinimumBlock} steps and the schedule's length, such as 'by 10it' or 'by epoch'");
            block = 1;
        }
        return new LaidQuantize(Span, Inner.Lay(layout, percentBase, rest), block);
    }

    internal override string WriteModel(ModelWriter w) => w.New("QuantizeNode", Span, w.Track(Inner), w.Duration(Block));

    internal override DurationUse Uses => Inner.Uses;

    internal override void FindRests(RestFinder finder) => Inner.FindRests(finder);
}

/// <summary>
/// A quantized part laid out: A at <c>max(start, floor(x / block) × block)</c>, and every value inside A reads that
/// position; its end value and its value from the left are A's own, not quantized.
/// </summary>
public sealed class LaidQuantize : LaidNode
{
    internal LaidQuantize(TextSpan span, LaidNode inner, double block)
        : base(span, inner.Length)
    {
        Inner = inner;
        Block = block;
    }

    public LaidNode Inner { get; }

    /// <summary>Block length in steps.</summary>
    public double Block { get; }

    public override double Value(ref Frame frame, double start, double scale, double x)
    {
        double saved = frame.X;
        double quantized = Timeline.Quantize(x, Block, start);
        frame.X = quantized;
        double value = Inner.Value(ref frame, start, scale, quantized);
        frame.X = saved;
        return value;
    }

    public override double End(ref Frame frame, double start, double scale, double end) => Inner.End(ref frame, start, scale, end);

    public override double Left(ref Frame frame, double start, double scale, double x) => Inner.Left(ref frame, start, scale, x);

    internal override void Check(ValueChecker checker, Place place) => Inner.Check(checker, place);

    internal override string Emit(CSharpWriter w, Placement at)
    {
        string quantized = w.Fresh("q");
        w.Line($"double {quantized} = global::Sched.Model.Timeline.Quantize({w.Position}, {w.Number(this, "Block")}, {at.Start});");
        string saved = w.Position;
        w.Position = quantized;
        string value = w.Local("v", Inner.Emit(w, at));
        w.Position = saved;
        return value;
    }

    internal override void VisitMembers(NumberVisitor visitor, string name)
    {
        visitor.Add(this, "Block", name + "Block", Block);
        Inner.VisitMembers(visitor, name + "Inner");
    }

    internal override bool Reads(Variable variable) => Inner.Reads(variable);

    internal override IEnumerable<LaidNode> Parts => new[] { Inner };
}
