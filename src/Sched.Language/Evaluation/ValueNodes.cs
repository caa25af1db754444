using Sched.Language.Text;

namespace Sched.Language.Evaluation;

/// <summary>
/// An arithmetic value. Bound with parameter references; laid out with parameters replaced by numbers and
/// constant subtrees folded. Evaluation runs the same operations in the same order as generated code.
/// </summary>
public abstract class ValueNode
{
    protected ValueNode(TextSpan span)
    {
        Span = span;
    }

    public TextSpan Span { get; }

    /// <summary>True when the value is a number (no variable, no parameter).</summary>
    public virtual bool IsConstant => false;

    public abstract double Evaluate(ref EvalContext context);

    /// <summary>The direct operands, for walks over the tree.</summary>
    public abstract IEnumerable<ValueNode> Children { get; }
}

public sealed class ConstantValue : ValueNode
{
    public ConstantValue(TextSpan span, double value)
        : base(span)
    {
        Value = value;
    }

    public double Value { get; }

    public override bool IsConstant => true;

    public override double Evaluate(ref EvalContext context) => Value;

    public override IEnumerable<ValueNode> Children => Array.Empty<ValueNode>();
}

/// <summary>A schedule parameter of kind number; replaced by its value at layout.</summary>
public sealed class ParameterValue : ValueNode
{
    public ParameterValue(TextSpan span, int index)
        : base(span)
    {
        Index = index;
    }

    public int Index { get; }

    public override double Evaluate(ref EvalContext context) =>
        throw new InvalidOperationException("parameters are replaced by numbers before evaluation");

    public override IEnumerable<ValueNode> Children => Array.Empty<ValueNode>();
}

public sealed class VariableValue : ValueNode
{
    public VariableValue(TextSpan span, Variable variable)
        : base(span)
    {
        Variable = variable;
    }

    public Variable Variable { get; }

    public override double Evaluate(ref EvalContext context) => Variable switch
    {
        Variable.P => context.P,
        Variable.T => context.X / context.Total,
        Variable.Step => context.X,
        Variable.Epoch => context.X / context.StepsPerEpoch,
        _ => context.Cycle,
    };

    public override IEnumerable<ValueNode> Children => Array.Empty<ValueNode>();
}

/// <summary><c>-x</c>.</summary>
public sealed class NegateValue : ValueNode
{
    public NegateValue(TextSpan span, ValueNode operand)
        : base(span)
    {
        Operand = operand;
    }

    public ValueNode Operand { get; }

    public override double Evaluate(ref EvalContext context) => -Operand.Evaluate(ref context);

    public override IEnumerable<ValueNode> Children => new[] { Operand };
}

/// <summary><c>t0 ± t1 ± t2 …</c>, left to right.</summary>
public sealed class SumValue : ValueNode
{
    public SumValue(TextSpan span, ValueNode[] terms, bool[] subtract)
        : base(span)
    {
        Terms = terms;
        Subtract = subtract;
    }

    public ValueNode[] Terms { get; }

    /// <summary>Whether term i is subtracted (term 0 never is).</summary>
    public bool[] Subtract { get; }

    public override double Evaluate(ref EvalContext context)
    {
        double sum = Terms[0].Evaluate(ref context);
        for (int i = 1; i < Terms.Length; i++)
        {
            double term = Terms[i].Evaluate(ref context);
            sum = Subtract[i] ? sum - term : sum + term;
        }
        return sum;
    }

    public override IEnumerable<ValueNode> Children => Terms;
}

/// <summary><c>f0 * f1 / f2 …</c>, left to right.</summary>
public sealed class ProductValue : ValueNode
{
    public ProductValue(TextSpan span, ValueNode[] factors, bool[] divide)
        : base(span)
    {
        Factors = factors;
        Divide = divide;
    }

    public ValueNode[] Factors { get; }

    /// <summary>Whether factor i divides (factor 0 never does).</summary>
    public bool[] Divide { get; }

    public override double Evaluate(ref EvalContext context)
    {
        double product = Factors[0].Evaluate(ref context);
        for (int i = 1; i < Factors.Length; i++)
        {
            double factor = Factors[i].Evaluate(ref context);
            product = Divide[i] ? product / factor : product * factor;
        }
        return product;
    }

    public override IEnumerable<ValueNode> Children => Factors;
}

/// <summary><c>o0 ^ (±o1 ^ (±o2 …))</c>: right-associative, each exponent negated an odd or even number of times.</summary>
public sealed class PowerValue : ValueNode
{
    public PowerValue(TextSpan span, ValueNode[] operands, bool[] negate)
        : base(span)
    {
        Operands = operands;
        Negate = negate;
    }

    public ValueNode[] Operands { get; }

    /// <summary>Whether the exponent starting at operand i is negated (operand 0 never is).</summary>
    public bool[] Negate { get; }

    public override double Evaluate(ref EvalContext context)
    {
        int last = Operands.Length - 1;
        double exponent = Operands[last].Evaluate(ref context);
        if (Negate[last]) exponent = -exponent;
        for (int i = last - 1; i >= 1; i--)
        {
            exponent = Math.Pow(Operands[i].Evaluate(ref context), exponent);
            if (Negate[i]) exponent = -exponent;
        }
        return Math.Pow(Operands[0].Evaluate(ref context), exponent);
    }

    public override IEnumerable<ValueNode> Children => Operands;
}

public enum MathFunction
{
    Min,
    Max,
    Abs,
    Sqrt,
    Exp,
    Log,
    Sin,
    Cos,
    Tanh,
    Floor,
}

public sealed class CallValue : ValueNode
{
    public CallValue(TextSpan span, MathFunction function, ValueNode[] arguments)
        : base(span)
    {
        Function = function;
        Arguments = arguments;
    }

    public MathFunction Function { get; }

    public ValueNode[] Arguments { get; }

    public override double Evaluate(ref EvalContext context)
    {
        double x = Arguments[0].Evaluate(ref context);
        switch (Function)
        {
            case MathFunction.Min:
                for (int i = 1; i < Arguments.Length; i++) x = Math.Min(x, Arguments[i].Evaluate(ref context));
                return x;
            case MathFunction.Max:
                for (int i = 1; i < Arguments.Length; i++) x = Math.Max(x, Arguments[i].Evaluate(ref context));
                return x;
            case MathFunction.Abs: return Math.Abs(x);
            case MathFunction.Sqrt: return Math.Sqrt(x);
            case MathFunction.Exp: return Math.Exp(x);
            case MathFunction.Log: return Math.Log(x);
            case MathFunction.Sin: return Math.Sin(x);
            case MathFunction.Cos: return Math.Cos(x);
            case MathFunction.Tanh: return Math.Tanh(x);
            default: return Math.Floor(x);
        }
    }

    public override IEnumerable<ValueNode> Children => Arguments;
}

/// <summary><c>bisect(list, x)</c>: how many items are at most x (Python's <c>bisect_right(sorted(list), x)</c>).</summary>
public sealed class BisectValue : ValueNode
{
    public BisectValue(TextSpan span, ValueNode[] items, ValueNode position)
        : base(span)
    {
        Items = items;
        Position = position;
    }

    public ValueNode[] Items { get; }

    public ValueNode Position { get; }

    public override double Evaluate(ref EvalContext context)
    {
        double x = Position.Evaluate(ref context);
        int count = 0;
        for (int i = 0; i < Items.Length; i++)
        {
            if (Items[i].Evaluate(ref context) <= x) count++;
        }
        return count;
    }

    public override IEnumerable<ValueNode> Children => Items.Concat(new[] { Position });
}

/// <summary><c>d1 / d2</c>: a ratio of two durations, a number once both are laid out in steps.</summary>
public sealed class DurationRatioValue : ValueNode
{
    public DurationRatioValue(TextSpan span, Binding.BoundDuration numerator, Binding.BoundDuration denominator)
        : base(span)
    {
        Numerator = numerator;
        Denominator = denominator;
    }

    public Binding.BoundDuration Numerator { get; }

    public Binding.BoundDuration Denominator { get; }

    public override double Evaluate(ref EvalContext context) =>
        throw new InvalidOperationException("duration ratios are replaced by numbers at layout");

    public override IEnumerable<ValueNode> Children => Array.Empty<ValueNode>();
}
