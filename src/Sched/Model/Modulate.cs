using Sched.Text;

namespace Sched.Model;

/// <summary><c>A * m</c>: A's value times m, which sees A's progress as <c>p</c>.</summary>
public sealed class ModulateNode : TrackNode
{
    public ModulateNode(TextSpan span, TrackNode inner, ValueNode multiplier)
        : base(span)
    {
        Inner = inner;
        Multiplier = multiplier;
    }

    public TrackNode Inner { get; }

    public ValueNode Multiplier { get; }

    internal override LaidNode Lay(Layout layout, Length? percentBase, Length rest) =>
        new LaidModulate(Span, Inner.Lay(layout, percentBase, rest), layout.Value(Multiplier, percentBase));

    internal override string WriteModel(ModelWriter w) => w.New("ModulateNode", Span, w.Track(Inner), w.Value(Multiplier));

    internal override DurationUse Uses => Inner.Uses;

    internal override void FindRests(RestFinder finder) => Inner.FindRests(finder);
}

public sealed class LaidModulate : LaidNode
{
    internal LaidModulate(TextSpan span, LaidNode inner, ValueNode multiplier)
        : base(span, inner.Length)
    {
        Inner = inner;
        Multiplier = multiplier;
    }

    public LaidNode Inner { get; }

    public ValueNode Multiplier { get; }

    public override double Value(ref Frame frame, double start, double scale, double x) =>
        Inner.Value(ref frame, start, scale, x) * MultiplierAt(ref frame, Timeline.Progress(x, start, Length.Steps * scale));

    public override double End(ref Frame frame, double start, double scale, double end)
    {
        double a = Inner.End(ref frame, start, scale, end);
        double x = frame.X;
        frame.X = end;
        double m = MultiplierAt(ref frame, 1);
        frame.X = x;
        return a * m;
    }

    public override double Left(ref Frame frame, double start, double scale, double x) =>
        Inner.Left(ref frame, start, scale, x) * MultiplierAt(ref frame, Timeline.Progress(x, start, Length.Steps * scale));

    private double MultiplierAt(ref Frame frame, double p)
    {
        frame.P = p;
        return Multiplier.Evaluate(ref frame);
    }

    internal override void Check(ValueChecker checker, Place place) => Inner.Check(checker, place.WithModulation());

    internal override bool EmitReadsStart => Inner.EmitReadsStart || Multiplier.Reads(Variable.P);

    internal override string Emit(CSharpWriter w, Placement at)
    {
        string a = w.Local("a", Inner.Emit(w, at));
        // A multiplier that reads no p (only step, t, epoch or numbers) needs no progress local.
        if (!Multiplier.Reads(Variable.P)) return $"{a} * {w.Expression(Multiplier)}";
        string p = w.ProgressLocal(this, at);
        string saved = w.Progress;
        w.Progress = p;
        string m = w.Expression(Multiplier);
        w.Progress = saved;
        return $"{a} * {m}";
    }

    internal override void VisitMembers(NumberVisitor visitor, string name)
    {
        visitor.Add(this, "Length", name + "Length", Length.Steps);
        Inner.VisitMembers(visitor, name + "Inner");
        Multiplier.VisitNumbers(visitor, name + "M");
    }

    internal override bool Reads(Variable variable) => Multiplier.Reads(variable) || Inner.Reads(variable);

    internal override IEnumerable<LaidNode> Parts => new[] { Inner };
}
