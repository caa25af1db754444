using System.ComponentModel;
using System.Globalization;
using Sched.Text;

namespace Sched.Model;

/// <summary>
/// An arithmetic value (docs/language.md §5). As bound it may read schedule parameters and duration ratios; laid out
/// (<see cref="Lay"/>) those are numbers and constant parts are folded. Each node evaluates itself (the interpreter),
/// writes itself as C# (generated classes, the same operations in the same order) and as construction code (the
/// model a generated class carries).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class ValueNode
{
    private protected ValueNode(TextSpan span)
    {
        Span = span;
    }

    public TextSpan Span { get; }

    /// <summary>True when the value is a number (no variable, no parameter).</summary>
    public virtual bool IsConstant => false;

    /// <summary>The direct operands.</summary>
    public abstract IReadOnlyList<ValueNode> Children { get; }

    public abstract double Evaluate(ref Frame frame);

    /// <summary>Parameters and ratios replaced by numbers for one run, constant parts folded.</summary>
    internal abstract ValueNode Lay(Layout layout);

    /// <summary>A C# expression computing this laid value exactly as <see cref="Evaluate"/> does.</summary>
    internal abstract void Emit(CSharpWriter w);

    /// <summary>C# code constructing this bound value.</summary>
    internal abstract string WriteModel(ModelWriter w);

    /// <summary>Whether this value, or a part of it, reads <paramref name="variable"/>.</summary>
    public bool Reads(Variable variable)
    {
        if (this is VariableValue v && v.Variable == variable) return true;
        foreach (var child in Children)
        {
            if (child.Reads(variable)) return true;
        }
        return false;
    }

    /// <summary>Whether it reads the position: <c>step</c>, <c>t</c> or <c>epoch</c>.</summary>
    public bool ReadsPosition => Reads(Variable.Step) || Reads(Variable.T) || Reads(Variable.Epoch);

    /// <summary>The numbers of a laid value, named after the place that holds it (several get numbered).</summary>
    internal virtual void VisitNumbers(NumberVisitor visitor, string name)
    {
        foreach (var child in Children) child.VisitNumbers(visitor, name);
    }

    /// <summary>This value, or its number when every operand is a number: folding runs the evaluator's own operations.</summary>
    internal ValueNode Fold()
    {
        if (IsConstant || this is ParameterValue or VariableValue or DurationRatioValue) return this;
        foreach (var child in Children)
        {
            if (!child.IsConstant) return this;
        }
        var frame = default(Frame);
        return new ConstantValue(Span, Evaluate(ref frame));
    }

    internal static ValueNode[] LayAll(IReadOnlyList<ValueNode> values, Layout layout)
    {
        var laid = new ValueNode[values.Count];
        for (int i = 0; i < laid.Length; i++) laid[i] = values[i].Lay(layout);
        return laid;
    }

    private protected static readonly ValueNode[] None = Array.Empty<ValueNode>();

    /// <summary><c>((o0) op o1) op o2 …</c>, parenthesized as evaluated: left to right, <paramref name="inverse"/> choosing each operator.</summary>
    private protected static void EmitLeftToRight(CSharpWriter w, ValueNode[] operands, bool[] inverse, string op, string inverseOp)
    {
        w.Write(new string('(', operands.Length));
        operands[0].Emit(w);
        w.Write(")");
        for (int i = 1; i < operands.Length; i++)
        {
            w.Write(inverse[i] ? inverseOp : op);
            operands[i].Emit(w);
            w.Write(")");
        }
    }
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

    public override IReadOnlyList<ValueNode> Children => None;

    public override double Evaluate(ref Frame frame) => Value;

    internal override ValueNode Lay(Layout layout) => this;

    internal override void Emit(CSharpWriter w) => w.Write(w.Number(this));

    internal override string WriteModel(ModelWriter w) => w.New("ConstantValue", Span, w.Double(Value));

    internal override void VisitNumbers(NumberVisitor visitor, string name) => visitor.Add(this, "", name, Value);
}

/// <summary>A schedule parameter of kind number; a number once laid out.</summary>
public sealed class ParameterValue : ValueNode
{
    public ParameterValue(TextSpan span, int index)
        : base(span)
    {
        Index = index;
    }

    public int Index { get; }

    public override IReadOnlyList<ValueNode> Children => None;

    public override double Evaluate(ref Frame frame) =>
        throw new InvalidOperationException("parameters are replaced by numbers before evaluation");

    internal override ValueNode Lay(Layout layout) => new ConstantValue(Span, layout.Number(Index));

    internal override void Emit(CSharpWriter w) => throw new InvalidOperationException("a laid value holds no parameter");

    internal override string WriteModel(ModelWriter w) => w.New("ParameterValue", Span, w.Int(Index));
}

public sealed class VariableValue : ValueNode
{
    public VariableValue(TextSpan span, Variable variable)
        : base(span)
    {
        Variable = variable;
    }

    public Variable Variable { get; }

    public override IReadOnlyList<ValueNode> Children => None;

    public override double Evaluate(ref Frame frame) => Variable switch
    {
        Variable.P => frame.P,
        Variable.T => frame.X / frame.Total,
        Variable.Step => frame.X,
        Variable.Epoch => frame.X / frame.StepsPerEpoch,
        _ => frame.Cycle,
    };

    internal override ValueNode Lay(Layout layout) => this;

    internal override void Emit(CSharpWriter w) => w.Write(Variable switch
    {
        Variable.P => w.Progress,
        Variable.T => $"({w.Position} / {w.Total})",
        Variable.Step => w.Position,
        Variable.Epoch => $"({w.Position} / {w.StepsPerEpoch})",
        _ => $"(double){w.Cycle}",
    });

    internal override string WriteModel(ModelWriter w) => w.New("VariableValue", Span, "global::Sched.Model.Variable." + Variable);
}

/// <summary><c>-x</c>.</summary>
public sealed class NegateValue : ValueNode
{
    private readonly ValueNode[] _children;

    public NegateValue(TextSpan span, ValueNode operand)
        : base(span)
    {
        _children = new[] { operand };
    }

    public ValueNode Operand => _children[0];

    public override IReadOnlyList<ValueNode> Children => _children;

    public override double Evaluate(ref Frame frame) => -Operand.Evaluate(ref frame);

    internal override ValueNode Lay(Layout layout) => new NegateValue(Span, Operand.Lay(layout)).Fold();

    internal override void Emit(CSharpWriter w)
    {
        w.Write("(-");
        Operand.Emit(w);
        w.Write(")");
    }

    internal override string WriteModel(ModelWriter w) => w.New("NegateValue", Span, w.Value(Operand));
}

/// <summary><c>t0 ± t1 ± t2 …</c>, left to right.</summary>
public sealed class SumValue : ValueNode
{
    private readonly ValueNode[] _terms;
    private readonly bool[] _subtract;

    public SumValue(TextSpan span, ValueNode[] terms, bool[] subtract)
        : base(span)
    {
        _terms = terms;
        _subtract = subtract;
    }

    public override IReadOnlyList<ValueNode> Children => _terms;

    public override double Evaluate(ref Frame frame)
    {
        double sum = _terms[0].Evaluate(ref frame);
        for (int i = 1; i < _terms.Length; i++)
        {
            double term = _terms[i].Evaluate(ref frame);
            sum = _subtract[i] ? sum - term : sum + term;
        }
        return sum;
    }

    internal override ValueNode Lay(Layout layout) => new SumValue(Span, LayAll(_terms, layout), _subtract).Fold();

    internal override void Emit(CSharpWriter w) => EmitLeftToRight(w, _terms, _subtract, " + ", " - ");

    internal override string WriteModel(ModelWriter w) => w.New("SumValue", Span, w.Values(_terms), w.Bools(_subtract));
}

/// <summary><c>f0 * f1 / f2 …</c>, left to right.</summary>
public sealed class ProductValue : ValueNode
{
    private readonly ValueNode[] _factors;
    private readonly bool[] _divide;

    public ProductValue(TextSpan span, ValueNode[] factors, bool[] divide)
        : base(span)
    {
        _factors = factors;
        _divide = divide;
    }

    public override IReadOnlyList<ValueNode> Children => _factors;

    public override double Evaluate(ref Frame frame)
    {
        double product = _factors[0].Evaluate(ref frame);
        for (int i = 1; i < _factors.Length; i++)
        {
            double factor = _factors[i].Evaluate(ref frame);
            product = _divide[i] ? product / factor : product * factor;
        }
        return product;
    }

    internal override ValueNode Lay(Layout layout) => new ProductValue(Span, LayAll(_factors, layout), _divide).Fold();

    internal override void Emit(CSharpWriter w) => EmitLeftToRight(w, _factors, _divide, " * ", " / ");

    internal override string WriteModel(ModelWriter w) => w.New("ProductValue", Span, w.Values(_factors), w.Bools(_divide));
}

/// <summary><c>o0 ^ (±o1 ^ (±o2 …))</c>: right-associative, each exponent negated an odd or even number of times.</summary>
public sealed class PowerValue : ValueNode
{
    private readonly ValueNode[] _operands;
    private readonly bool[] _negate;

    public PowerValue(TextSpan span, ValueNode[] operands, bool[] negate)
        : base(span)
    {
        _operands = operands;
        _negate = negate;
    }

    public override IReadOnlyList<ValueNode> Children => _operands;

    public override double Evaluate(ref Frame frame)
    {
        int last = _operands.Length - 1;
        double exponent = _operands[last].Evaluate(ref frame);
        if (_negate[last]) exponent = -exponent;
        for (int i = last - 1; i >= 1; i--)
        {
            exponent = Math.Pow(_operands[i].Evaluate(ref frame), exponent);
            if (_negate[i]) exponent = -exponent;
        }
        return Math.Pow(_operands[0].Evaluate(ref frame), exponent);
    }

    internal override ValueNode Lay(Layout layout) => new PowerValue(Span, LayAll(_operands, layout), _negate).Fold();

    /// <summary>The same nesting as <see cref="Evaluate"/>; C# evaluates arguments left to right, the interpreter exponents first, which only matters for side effects (there are none).</summary>
    internal override void Emit(CSharpWriter w) => EmitFrom(w, 0);

    private void EmitFrom(CSharpWriter w, int i)
    {
        if (i == _operands.Length - 1)
        {
            if (_negate[i]) w.Write("(-");
            _operands[i].Emit(w);
            if (_negate[i]) w.Write(")");
            return;
        }
        if (i > 0 && _negate[i]) w.Write("(-");
        w.Write("global::System.Math.Pow(");
        _operands[i].Emit(w);
        w.Write(", ");
        EmitFrom(w, i + 1);
        w.Write(")");
        if (i > 0 && _negate[i]) w.Write(")");
    }

    internal override string WriteModel(ModelWriter w) => w.New("PowerValue", Span, w.Values(_operands), w.Bools(_negate));
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
    private readonly ValueNode[] _arguments;

    public CallValue(TextSpan span, MathFunction function, ValueNode[] arguments)
        : base(span)
    {
        Function = function;
        _arguments = arguments;
    }

    public MathFunction Function { get; }

    public override IReadOnlyList<ValueNode> Children => _arguments;

    public override double Evaluate(ref Frame frame)
    {
        double x = _arguments[0].Evaluate(ref frame);
        switch (Function)
        {
            case MathFunction.Min:
                for (int i = 1; i < _arguments.Length; i++) x = Math.Min(x, _arguments[i].Evaluate(ref frame));
                return x;
            case MathFunction.Max:
                for (int i = 1; i < _arguments.Length; i++) x = Math.Max(x, _arguments[i].Evaluate(ref frame));
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

    internal override ValueNode Lay(Layout layout) => new CallValue(Span, Function, LayAll(_arguments, layout)).Fold();

    internal override void Emit(CSharpWriter w)
    {
        string function = "global::System.Math." + Function;
        if (Function is MathFunction.Min or MathFunction.Max)
        {
            // Folded left to right, as the interpreter does.
            w.Write(string.Concat(Enumerable.Repeat(function + "(", _arguments.Length - 1)));
            _arguments[0].Emit(w);
            for (int i = 1; i < _arguments.Length; i++)
            {
                w.Write(", ");
                _arguments[i].Emit(w);
                w.Write(")");
            }
            return;
        }
        w.Write(function + "(");
        _arguments[0].Emit(w);
        w.Write(")");
    }

    internal override string WriteModel(ModelWriter w) => w.New("CallValue", Span, "global::Sched.Model.MathFunction." + Function, w.Values(_arguments));
}

/// <summary><c>bisect(list, x)</c>: how many items are at most x (Python's <c>bisect_right(sorted(list), x)</c>).</summary>
public sealed class BisectValue : ValueNode
{
    private readonly ValueNode[] _children;
    private readonly double[] _constantItems;

    public BisectValue(TextSpan span, ValueNode[] items, ValueNode position)
        : base(span)
    {
        Items = items;
        Position = position;
        _children = items.Concat(new[] { position }).ToArray();
        _constantItems = items.All(i => i.IsConstant) ? items.Select(i => ((ConstantValue)i).Value).ToArray() : Array.Empty<double>();
    }

    public IReadOnlyList<ValueNode> Items { get; }

    public ValueNode Position { get; }

    public override IReadOnlyList<ValueNode> Children => _children;

    public override double Evaluate(ref Frame frame)
    {
        double x = Position.Evaluate(ref frame);
        if (_constantItems.Length == Items.Count) return Timeline.Bisect(_constantItems, x);
        int count = 0;
        for (int i = 0; i < Items.Count; i++)
        {
            if (Items[i].Evaluate(ref frame) <= x) count++;
        }
        return count;
    }

    internal override ValueNode Lay(Layout layout)
    {
        var items = LayAll(Items, layout);
        foreach (var item in items)
        {
            if (item is ConstantValue constant) layout.CheckFinite(item.Span, constant.Value);
        }
        return new BisectValue(Span, items, Position.Lay(layout)).Fold();
    }

    internal override void Emit(CSharpWriter w)
    {
        if (_constantItems.Length == Items.Count)
        {
            w.Write($"global::Sched.Model.Timeline.Bisect({w.Array(this)}, ");
            Position.Emit(w);
            w.Write(")");
            return;
        }
        // Items that vary (they read 'cycle'): the interpreter's own evaluation, on a frame of the generated method's variables.
        w.Write(w.Interpret(this));
    }

    internal override void VisitNumbers(NumberVisitor visitor, string name)
    {
        if (_constantItems.Length == Items.Count)
        {
            visitor.AddArray(this, "Items", name + "Items", _constantItems);
            Position.VisitNumbers(visitor, name + "At");
        }
        else
        {
            visitor.AddObject(this, "Node", name, this, "global::Sched.Model.ValueNode");
        }
    }

    internal override string WriteModel(ModelWriter w) => w.New("BisectValue", Span, w.Values(Items), w.Value(Position));
}

/// <summary><c>d1 / d2</c>: a ratio of two durations, a number once both are laid out in steps.</summary>
public sealed class DurationRatioValue : ValueNode
{
    public DurationRatioValue(TextSpan span, DurationNode numerator, DurationNode denominator)
        : base(span)
    {
        Numerator = numerator;
        Denominator = denominator;
    }

    public DurationNode Numerator { get; }

    public DurationNode Denominator { get; }

    public override IReadOnlyList<ValueNode> Children => None;

    public override double Evaluate(ref Frame frame) =>
        throw new InvalidOperationException("duration ratios are replaced by numbers at layout");

    /// <summary>A ratio by a zero duration is reported where it is written, even where the value it makes stays finite.</summary>
    internal override ValueNode Lay(Layout layout)
    {
        var numerator = Numerator.Lay(layout, layout.PercentBase, rest: default);
        var denominator = Denominator.Lay(layout, layout.PercentBase, rest: default);
        double value = numerator.Steps / denominator.Steps;
        layout.CheckFinite(Span, value);
        layout.NoteRatio(numerator, denominator);
        return new ConstantValue(Span, value);
    }

    internal override void Emit(CSharpWriter w) => throw new InvalidOperationException("a laid value holds no ratio");

    internal override string WriteModel(ModelWriter w) => w.New("DurationRatioValue", Span, w.Duration(Numerator), w.Duration(Denominator));
}
