using Sched.Language.Binding;
using Sched.Language.Text;

namespace Sched.Language.Evaluation;

/// <summary>
/// A track expression laid on the timeline: lengths in steps, values with parameters replaced.
/// <c>u</c> is the offset from the node's start in global steps; inside cycle k of a repeat every
/// length is multiplied by <see cref="EvalContext.Scale"/> (<c>mult^k</c>), as DSL.md §6 defines cycles.
/// <see cref="Evaluate"/> is right-continuous on <c>[0, Length * Scale)</c>; <see cref="EvaluateLeft"/> is the
/// limit from the left on <c>(0, Length * Scale]</c>, which gives held values.
/// Both allocate nothing; generated code performs the same operations in the same order.
/// </summary>
public abstract class LaidNode
{
    protected LaidNode(TextSpan span, double length)
    {
        Span = span;
        Length = length;
    }

    public TextSpan Span { get; }

    /// <summary>Length in steps (inside a repeat: in cycle 0's steps).</summary>
    public double Length { get; }

    public abstract double Evaluate(ref EvalContext context, double u);

    public abstract double EvaluateLeft(ref EvalContext context, double u);
}

public sealed class LaidSegment : LaidNode
{
    public LaidSegment(TextSpan span, double length, SegmentKind kind, ValueNode from, ValueNode? to, ValueNode? power)
        : base(span, length)
    {
        Kind = kind;
        From = from;
        To = to;
        Power = power;
    }

    public SegmentKind Kind { get; }

    public ValueNode From { get; }

    public ValueNode? To { get; }

    public ValueNode? Power { get; }

    public override double Evaluate(ref EvalContext context, double u) => At(ref context, Shapes.Progress(u, Length * context.Scale));

    public override double EvaluateLeft(ref EvalContext context, double u) => At(ref context, Shapes.Progress(u, Length * context.Scale));

    /// <summary>The shape's value at progress <paramref name="p"/>.</summary>
    public double At(ref EvalContext context, double p)
    {
        switch (Kind)
        {
            case SegmentKind.Const:
                return From.Evaluate(ref context);
            case SegmentKind.Fn:
                double saved = context.P;
                context.P = p;
                double value = From.Evaluate(ref context);
                context.P = saved;
                return value;
            case SegmentKind.Lin:
                return Shapes.Lin(From.Evaluate(ref context), To!.Evaluate(ref context), p);
            case SegmentKind.Cos:
                return Shapes.Cos(From.Evaluate(ref context), To!.Evaluate(ref context), p);
            case SegmentKind.Exp:
                return Shapes.Exp(From.Evaluate(ref context), To!.Evaluate(ref context), p);
            default:
                return Shapes.Poly(From.Evaluate(ref context), To!.Evaluate(ref context), p, Power!.Evaluate(ref context));
        }
    }
}

/// <summary><c>A + B + …</c>: each part starts where the previous one ends.</summary>
public sealed class LaidConcat : LaidNode
{
    public LaidConcat(TextSpan span, LaidNode[] parts, double[] starts, double length)
        : base(span, length)
    {
        Parts = parts;
        Starts = starts;
    }

    public LaidNode[] Parts { get; }

    /// <summary>Local start of each part (non-decreasing; zero-length parts share their start with the next).</summary>
    public double[] Starts { get; }

    public override double Evaluate(ref EvalContext context, double u)
    {
        double scale = context.Scale;
        int i = LastStart(u, scale, inclusive: true);
        return Parts[i].Evaluate(ref context, u - Starts[i] * scale);
    }

    public override double EvaluateLeft(ref EvalContext context, double u)
    {
        double scale = context.Scale;
        int i = LastStart(u, scale, inclusive: false);
        while (i + 1 < Parts.Length && Starts[i + 1] * scale <= u && Parts[i + 1].Length == 0) i++;
        return Parts[i].EvaluateLeft(ref context, u - Starts[i] * scale);
    }

    /// <summary>The last part starting before <paramref name="u"/> (or at it, when inclusive): binary search, 0 when none.</summary>
    private int LastStart(double u, double scale, bool inclusive)
    {
        int lo = 0, hi = Starts.Length - 1;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) >> 1;
            double start = Starts[mid] * scale;
            if (start < u || (inclusive && start == u)) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }
}

/// <summary><c>A * m</c>: m sees A's progress as <c>p</c>.</summary>
public sealed class LaidModulate : LaidNode
{
    public LaidModulate(TextSpan span, LaidNode inner, ValueNode multiplier)
        : base(span, inner.Length)
    {
        Inner = inner;
        Multiplier = multiplier;
    }

    public LaidNode Inner { get; }

    public ValueNode Multiplier { get; }

    public override double Evaluate(ref EvalContext context, double u) =>
        Inner.Evaluate(ref context, u) * MultiplierAt(ref context, u);

    public override double EvaluateLeft(ref EvalContext context, double u) =>
        Inner.EvaluateLeft(ref context, u) * MultiplierAt(ref context, u);

    private double MultiplierAt(ref EvalContext context, double u)
    {
        double saved = context.P;
        context.P = Shapes.Progress(u, Length * context.Scale);
        double m = Multiplier.Evaluate(ref context);
        context.P = saved;
        return m;
    }
}

/// <summary>
/// <c>repeat</c>: cycle k lasts <c>CycleLength * Mult^k</c> and shows the body scaled by <c>Mult^k</c>;
/// the body holds its last value when shorter than its cycle; the last cycle may be cut short.
/// </summary>
public sealed class LaidRepeat : LaidNode
{
    public LaidRepeat(TextSpan span, double length, LaidNode body, double cycleLength, double mult, int lastCycle)
        : base(span, length)
    {
        Body = body;
        CycleLength = cycleLength;
        Mult = mult;
        LastCycle = lastCycle;
    }

    public LaidNode Body { get; }

    /// <summary>Length of cycle 0 (the body's length, or <c>every</c>).</summary>
    public double CycleLength { get; }

    public double Mult { get; }

    /// <summary>Index of the last cycle, which may be cut short.</summary>
    public int LastCycle { get; }

    public override double Evaluate(ref EvalContext context, double u)
    {
        double cycle = CycleLength * context.Scale;
        int k = Shapes.CycleIndex(u, cycle, Mult, LastCycle);
        return InCycle(ref context, u - Shapes.CycleStart(k, cycle, Mult), k, left: false);
    }

    public override double EvaluateLeft(ref EvalContext context, double u)
    {
        double cycle = CycleLength * context.Scale;
        int k = Shapes.CycleIndex(u, cycle, Mult, LastCycle);
        double start = Shapes.CycleStart(k, cycle, Mult);
        if (k > 0 && start >= u)
        {
            k--;
            start = Shapes.CycleStart(k, cycle, Mult);
        }
        return InCycle(ref context, u - start, k, left: true);
    }

    /// <summary>The body at offset <paramref name="local"/> into cycle <paramref name="k"/>, whose lengths are cycle 0's times mult^k.</summary>
    private double InCycle(ref EvalContext context, double local, int k, bool left)
    {
        int savedCycle = context.Cycle;
        double savedScale = context.Scale;
        context.Cycle = k;
        if (Mult != 1) context.Scale = savedScale * Math.Pow(Mult, k);
        double body = Body.Length * context.Scale;
        double value = local >= body ? Body.EvaluateLeft(ref context, body)
            : left ? Body.EvaluateLeft(ref context, local)
            : Body.Evaluate(ref context, local);
        context.Cycle = savedCycle;
        context.Scale = savedScale;
        return value;
    }
}

/// <summary><c>A by epoch</c> / <c>A by N it</c>: A sees the global position rounded down to its block, never before A's start.</summary>
public sealed class LaidQuantize : LaidNode
{
    public LaidQuantize(TextSpan span, LaidNode inner, double block)
        : base(span, inner.Length)
    {
        Inner = inner;
        Block = block;
    }

    public LaidNode Inner { get; }

    /// <summary>Block length in global steps.</summary>
    public double Block { get; }

    public override double Evaluate(ref EvalContext context, double u)
    {
        double x = context.X;
        double start = x - u;
        double quantized = Shapes.Quantize(x, Block, start);
        context.X = quantized;
        double value = Inner.Evaluate(ref context, quantized - start);
        context.X = x;
        return value;
    }

    public override double EvaluateLeft(ref EvalContext context, double u) => Inner.EvaluateLeft(ref context, u);
}

/// <summary><c>A from d</c>: A evaluated <see cref="Offset"/> steps into itself; it lasts A's length minus the offset.</summary>
public sealed class LaidSkip : LaidNode
{
    public LaidSkip(TextSpan span, LaidNode inner, double offset)
        : base(span, inner.Length - offset)
    {
        Inner = inner;
        Offset = offset;
    }

    public LaidNode Inner { get; }

    /// <summary>Steps skipped (inside a repeat: in cycle 0's steps, like every length).</summary>
    public double Offset { get; }

    public override double Evaluate(ref EvalContext context, double u) => Inner.Evaluate(ref context, u + Offset * context.Scale);

    public override double EvaluateLeft(ref EvalContext context, double u) => Inner.EvaluateLeft(ref context, u + Offset * context.Scale);
}

/// <summary>A track that is one value over the whole schedule.</summary>
public sealed class LaidConstant : LaidNode
{
    public LaidConstant(TextSpan span, double length, ValueNode value)
        : base(span, length)
    {
        Value = value;
    }

    public ValueNode Value { get; }

    public override double Evaluate(ref EvalContext context, double u) => Value.Evaluate(ref context);

    public override double EvaluateLeft(ref EvalContext context, double u) => Value.Evaluate(ref context);
}
