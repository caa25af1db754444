using System.ComponentModel;

namespace Sched.Model;

/// <summary>
/// The segment shapes, one row each: name, arguments, formula of the progress <c>p</c>, whether the ends bound
/// every value (so checks read the ends exactly instead of sampling), and what the ends must satisfy. The binder
/// reads names and arguments from here, the interpreter calls <see cref="Formula"/>, generated classes call the
/// kernel method named <see cref="Kernel"/> with the same arguments, and checks read the rest. A new shape is a
/// new row and, when its formula is new, a kernel method below (docs/language.md §5 lists them for users).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class Shape
{
    private Shape(string name, bool isTransition, string kernel, ShapeFormula formula, string? extra = null, double extraDefault = 0,
        Func<double, double, double, bool>? isMonotone = null, Func<double, double, string?>? endsProblem = null, bool readsProgress = false)
    {
        Name = name;
        IsTransition = isTransition;
        Kernel = kernel;
        Formula = formula;
        Extra = extra;
        ExtraDefault = extraDefault;
        _isMonotone = isMonotone ?? ((_, _, _) => true);
        _endsProblem = endsProblem;
        ReadsProgress = readsProgress;
    }

    private readonly Func<double, double, double, bool> _isMonotone;
    private readonly Func<double, double, string?>? _endsProblem;

    /// <summary>The value at progress <c>p</c> from the start value <c>a</c>, the end value <c>b</c> and the extra argument.</summary>
    public delegate double ShapeFormula(double a, double b, double p, double extra);

    public string Name { get; }

    /// <summary><c>lin(a -> b, d)</c>; otherwise one value: <c>const(v, d)</c>, <c>fn(expr, d)</c>.</summary>
    public bool IsTransition { get; }

    /// <summary>The kernel method of <see cref="Shapes"/> that generated code calls.</summary>
    public string Kernel { get; }

    public ShapeFormula Formula { get; }

    /// <summary>An optional third argument after the duration (<c>poly</c>'s power), or null.</summary>
    public string? Extra { get; }

    public double ExtraDefault { get; }

    /// <summary>Whether the value expression reads <c>p t step epoch</c> (<c>fn</c>): values are then sampled, not read at the ends.</summary>
    public bool ReadsProgress { get; }

    /// <summary>Whether every value of the segment lies between its two ends, so the ends bound it.</summary>
    public bool IsMonotone(double a, double b, double extra) => !ReadsProgress && _isMonotone(a, b, extra);

    /// <summary>Why these ends cannot make this shape (<c>exp</c> across zero), or null.</summary>
    public string? EndsProblem(double a, double b) => _endsProblem?.Invoke(a, b);

    /// <summary>How users write it, for messages.</summary>
    public string Usage => IsTransition
        ? $"{Name}(a -> b, duration{(Extra is null ? "" : ", " + Extra)})"
        : ReadsProgress ? $"{Name}(expression of p, t, step or epoch, duration)" : $"{Name}(value, duration)";

    public static readonly Shape Lin = new("lin", true, nameof(Shapes.Lin), (a, b, p, _) => Shapes.Lin(a, b, p));

    public static readonly Shape Cos = new("cos", true, nameof(Shapes.Cos), (a, b, p, _) => Shapes.Cos(a, b, p));

    public static readonly Shape Exp = new("exp", true, nameof(Shapes.Exp), (a, b, p, _) => Shapes.Exp(a, b, p),
        endsProblem: (a, b) => (a > 0 && b > 0) || (a < 0 && b < 0) ? null : "ends of the same sign");

    public static readonly Shape Poly = new("poly", true, nameof(Shapes.Poly), Shapes.Poly, extra: "power", extraDefault: 1,
        isMonotone: (_, _, power) => power > 0);

    /// <summary>Warmup-stable-decay's "1-sqrt" decay (Hägele et al. 2024; Hugging Face's wsd decay_type '1-sqrt'): a + (b − a)·√p.</summary>
    public static readonly Shape Sqrt = new("sqrt", true, nameof(Shapes.Sqrt), (a, b, p, _) => Shapes.Sqrt(a, b, p));

    /// <summary>timm's cosine with k-decay (timm/scheduler/cosine_lr.py, k_decay): the cosine of p^k, falling sooner for k &lt; 1.</summary>
    public static readonly Shape KCos = new("kcos", true, nameof(Shapes.KCos), Shapes.KCos, extra: "k", extraDefault: 1,
        isMonotone: (_, _, k) => k > 0);

    public static readonly Shape Const = new("const", false, nameof(Shapes.Const), (a, _, _, _) => a);

    public static readonly Shape Fn = new("fn", false, nameof(Shapes.Const), (a, _, _, _) => a, readsProgress: true);

    /// <summary>Every shape, by name.</summary>
    public static IReadOnlyList<Shape> All { get; } = new[] { Lin, Cos, Exp, Poly, Sqrt, KCos, Const, Fn };

    /// <summary>The shape of this name, or null.</summary>
    public static Shape? Find(string name)
    {
        foreach (var shape in All)
        {
            if (shape.Name == name) return shape;
        }
        return null;
    }

    public override string ToString() => Name;
}

/// <summary>
/// The formulas of docs/language.md §5, as functions of the progress <c>p</c> in [0, 1]. Interpreted and generated
/// schedules both call these, so they agree bit for bit.
/// </summary>
public static class Shapes
{
    /// <summary><c>lin(a -> b)</c>: <c>a + (b - a) * p</c>.</summary>
    public static double Lin(double a, double b, double p) => a + (b - a) * p;

    /// <summary><c>cos(a -> b)</c>: <c>b + (a - b) * (1 + cos(pi * p)) / 2</c>.</summary>
    public static double Cos(double a, double b, double p) => b + (a - b) * (1 + Math.Cos(Math.PI * p)) / 2;

    /// <summary><c>exp(a -> b)</c>: <c>a * (b / a)^p</c>; a and b nonzero, of the same sign.</summary>
    public static double Exp(double a, double b, double p) => a * Math.Pow(b / a, p);

    /// <summary><c>poly(a -> b, d, power)</c>: <c>b + (a - b) * (1 - p)^power</c>.</summary>
    public static double Poly(double a, double b, double p, double power) => b + (a - b) * Math.Pow(1 - p, power);

    /// <summary><c>sqrt(a -> b)</c>: <c>a + (b - a) * sqrt(p)</c>.</summary>
    public static double Sqrt(double a, double b, double p) => a + (b - a) * Math.Sqrt(p);

    /// <summary><c>kcos(a -> b, d, k)</c>: <c>b + (a - b) * (1 + cos(pi * p^k)) / 2</c>.</summary>
    public static double KCos(double a, double b, double p, double k) => b + (a - b) * (1 + Math.Cos(Math.PI * Math.Pow(p, k))) / 2;

    /// <summary><c>const(v)</c> and <c>fn(expr)</c>: the value itself.</summary>
    public static double Const(double value) => value;
}
