using Sched.Language.Evaluation;
using Sched.Language.Syntax;
using Sched.Language.Text;

namespace Sched.Language.Binding;

/// <summary>A duration as written, resolved to steps at layout (DSL.md §4).</summary>
public abstract class BoundDuration
{
    protected BoundDuration(TextSpan span)
    {
        Span = span;
    }

    public TextSpan Span { get; }
}

/// <summary><c>41ep</c>, <c>500it</c> or <c>25%</c>.</summary>
public sealed class LiteralDuration(TextSpan span, double amount, DurationUnit unit) : BoundDuration(span)
{
    public double Amount { get; } = amount;

    public DurationUnit Unit { get; } = unit;
}

/// <summary>A schedule parameter of kind duration.</summary>
public sealed class ParameterDuration(TextSpan span, int index) : BoundDuration(span)
{
    public int Index { get; } = index;
}

/// <summary><c>d0 ± d1 ± …</c>, left to right.</summary>
public sealed class SumDuration(TextSpan span, BoundDuration[] terms, bool[] subtract) : BoundDuration(span)
{
    public BoundDuration[] Terms { get; } = terms;

    public bool[] Subtract { get; } = subtract;
}

public enum ScaleForm
{
    /// <summary><c>n * d</c></summary>
    FactorFirst,

    /// <summary><c>d * n</c></summary>
    FactorLast,

    /// <summary><c>d / n</c></summary>
    Divide,
}

public sealed class ScaledDuration(TextSpan span, BoundDuration duration, ValueNode factor, ScaleForm form) : BoundDuration(span)
{
    public BoundDuration Duration { get; } = duration;

    public ValueNode Factor { get; } = factor;

    public ScaleForm Form { get; } = form;
}

/// <summary><c>rest</c>, or an omitted segment duration.</summary>
public sealed class RestDuration(TextSpan span) : BoundDuration(span);

public enum SegmentKind
{
    Lin,
    Cos,
    Exp,
    Poly,
    Const,
    Fn,
}

/// <summary>A track expression after name resolution and def expansion, before layout.</summary>
public abstract class TrackNode
{
    protected TrackNode(TextSpan span)
    {
        Span = span;
    }

    /// <summary>Where diagnostics about this node point: its text, or the call of the def it came from.</summary>
    public TextSpan Span { get; }
}

public sealed class SegmentNode(TextSpan span, SegmentKind kind, ValueNode from, ValueNode? to, ValueNode? power, BoundDuration duration)
    : TrackNode(span)
{
    public SegmentKind Kind { get; } = kind;

    /// <summary>The start value; for const the value, for fn the expression.</summary>
    public ValueNode From { get; } = from;

    public ValueNode? To { get; } = to;

    public ValueNode? Power { get; } = power;

    public BoundDuration Duration { get; } = duration;
}

public sealed class ConcatNode(TextSpan span, TrackNode[] parts) : TrackNode(span)
{
    public TrackNode[] Parts { get; } = parts;
}

public sealed class ModulateNode(TextSpan span, TrackNode inner, ValueNode multiplier) : TrackNode(span)
{
    public TrackNode Inner { get; } = inner;

    public ValueNode Multiplier { get; } = multiplier;
}

public sealed class RepeatNode(TextSpan span, ValueNode? count, ValueNode? mult, BoundDuration? every, TrackNode body) : TrackNode(span)
{
    public ValueNode? Count { get; } = count;

    public ValueNode? Mult { get; } = mult;

    public BoundDuration? Every { get; } = every;

    public TrackNode Body { get; } = body;
}

/// <summary><c>A by epoch</c> (<see cref="Block"/> null) or <c>A by 10it</c>.</summary>
public sealed class QuantizeNode(TextSpan span, TrackNode inner, BoundDuration? block) : TrackNode(span)
{
    public TrackNode Inner { get; } = inner;

    public BoundDuration? Block { get; } = block;
}

/// <summary><c>A from d</c>: A without its first d, evaluated d into itself.</summary>
public sealed class SkipNode(TextSpan span, TrackNode inner, BoundDuration offset) : TrackNode(span)
{
    public TrackNode Inner { get; } = inner;

    public BoundDuration Offset { get; } = offset;
}

/// <summary>A track that is a bare value (<c>wd = 1e-4</c>): constant over the whole schedule.</summary>
public sealed class ConstantTrackNode(TextSpan span, ValueNode value) : TrackNode(span)
{
    public ValueNode Value { get; } = value;
}
