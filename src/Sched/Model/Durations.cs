using System.ComponentModel;
using System.Globalization;
using Sched.Text;

namespace Sched.Model;

/// <summary>The unit a duration literal carries: <c>41ep</c>, <c>500it</c>, <c>25%</c>.</summary>
public enum DurationUnit
{
    None,
    Epoch,
    Iteration,
    Percent,
}

/// <summary>
/// A length in steps for one run (<see cref="Steps"/>, computed by docs/language.md §4's arithmetic in source order), and
/// the same length as <c>A + B × stepsPerEpoch</c>, exact for every steps per epoch. The second form is how checks
/// judge a schedule whose steps per epoch is not known yet, and how messages say lengths in the units written.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct Length
{
    public Length(double steps, double a, double b)
    {
        Steps = steps;
        A = a;
        B = b;
    }

    /// <summary>Steps at this run's steps per epoch.</summary>
    public double Steps { get; }

    /// <summary>Steps that do not depend on the steps per epoch.</summary>
    public double A { get; }

    /// <summary>Epochs: steps per steps-per-epoch; NaN when the length is not of the form A + B × stepsPerEpoch (it was scaled by a ratio).</summary>
    public double B { get; }

    public bool IsAffine => !double.IsNaN(B);

    public static Length FromSteps(double steps) => new(steps, steps, 0);

    public static readonly Length Zero = new(0, 0, 0);

    public static Length operator +(Length x, Length y) => new(x.Steps + y.Steps, x.A + y.A, x.B + y.B);

    public static Length operator -(Length x, Length y) => new(x.Steps - y.Steps, x.A - y.A, x.B - y.B);

    /// <summary>Scaled by a number; <paramref name="affine"/> false when the number depends on the steps per epoch.</summary>
    public Length Times(double factor, bool affine = true) => new(Steps * factor, A * factor, affine ? B * factor : double.NaN);

    public Length DividedBy(double divisor, bool affine = true) => new(Steps / divisor, A / divisor, affine ? B / divisor : double.NaN);

    /// <summary>This length at another steps per epoch (for an affine length).</summary>
    public double At(double stepsPerEpoch) => A + B * stepsPerEpoch;

    public override string ToString() => Steps.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>A duration as written (docs/language.md §4), a <see cref="Length"/> once laid out.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class DurationNode
{
    private protected DurationNode(TextSpan span)
    {
        Span = span;
    }

    public TextSpan Span { get; }

    /// <summary>The length for this run. <paramref name="percentBase"/> is what 100% means here; <paramref name="rest"/> what <c>rest</c> is.</summary>
    internal abstract Length Lay(Layout layout, Length? percentBase, Length rest);

    internal abstract string WriteModel(ModelWriter w);

    /// <summary>Which kinds of duration it is made of: %, absolute, rest.</summary>
    internal abstract DurationUse Uses { get; }
}

[Flags]
internal enum DurationUse
{
    None = 0,
    Percent = 1,
    Absolute = 2,
    Rest = 4,
}

/// <summary><c>41ep</c>, <c>500it</c> or <c>25%</c>.</summary>
public sealed class LiteralDuration : DurationNode
{
    public LiteralDuration(TextSpan span, double amount, DurationUnit unit)
        : base(span)
    {
        Amount = amount;
        Unit = unit;
    }

    public double Amount { get; }

    public DurationUnit Unit { get; }

    internal override Length Lay(Layout layout, Length? percentBase, Length rest)
    {
        switch (Unit)
        {
            case DurationUnit.Epoch:
                return new Length(Amount * layout.EpochLength(Span), 0, Amount);
            case DurationUnit.Percent:
                if (percentBase is not { } b)
                {
                    layout.Report(Diagnostics.DiagnosticDescriptors.NeedsTotal, Span, "a percentage", layout.ScheduleName);
                    return Length.Zero;
                }
                return new Length(Amount * b.Steps / 100, Amount * b.A / 100, Amount * b.B / 100);
            default:
                return Length.FromSteps(Amount);
        }
    }

    internal override string WriteModel(ModelWriter w) => w.New("LiteralDuration", Span, w.Double(Amount), "global::Sched.Model.DurationUnit." + Unit);

    internal override DurationUse Uses => Unit == DurationUnit.Percent ? DurationUse.Percent : DurationUse.Absolute;
}

/// <summary>A schedule parameter of kind duration.</summary>
public sealed class ParameterDuration : DurationNode
{
    public ParameterDuration(TextSpan span, int index)
        : base(span)
    {
        Index = index;
    }

    public int Index { get; }

    internal override Length Lay(Layout layout, Length? percentBase, Length rest) => layout.Duration(Index, percentBase);

    internal override string WriteModel(ModelWriter w) => w.New("ParameterDuration", Span, w.Int(Index));

    internal override DurationUse Uses => DurationUse.Absolute;
}

/// <summary><c>d0 ± d1 ± …</c>, left to right.</summary>
public sealed class SumDuration : DurationNode
{
    private readonly DurationNode[] _terms;
    private readonly bool[] _subtract;

    public SumDuration(TextSpan span, DurationNode[] terms, bool[] subtract)
        : base(span)
    {
        _terms = terms;
        _subtract = subtract;
    }

    public IReadOnlyList<DurationNode> Terms => _terms;

    internal override Length Lay(Layout layout, Length? percentBase, Length rest)
    {
        var total = _terms[0].Lay(layout, percentBase, rest);
        for (int i = 1; i < _terms.Length; i++)
        {
            var term = _terms[i].Lay(layout, percentBase, rest);
            total = _subtract[i] ? total - term : total + term;
        }
        return total;
    }

    internal override string WriteModel(ModelWriter w) => w.New("SumDuration", Span, w.Durations(_terms), w.Bools(_subtract));

    internal override DurationUse Uses => _terms.Aggregate(DurationUse.None, (use, t) => use | t.Uses);
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

public sealed class ScaledDuration : DurationNode
{
    public ScaledDuration(TextSpan span, DurationNode duration, ValueNode factor, ScaleForm form)
        : base(span)
    {
        Duration = duration;
        Factor = factor;
        Form = form;
    }

    public DurationNode Duration { get; }

    public ValueNode Factor { get; }

    public ScaleForm Form { get; }

    internal override Length Lay(Layout layout, Length? percentBase, Length rest)
    {
        var length = Duration.Lay(layout, percentBase, rest);
        int ratios = layout.RatiosDependingOnEpochs;
        double factor = layout.Constant(Factor, percentBase);
        bool affine = layout.RatiosDependingOnEpochs == ratios;
        // Multiplication commutes exactly in IEEE arithmetic: 'n * d' and 'd * n' give the same steps.
        return Form == ScaleForm.Divide ? length.DividedBy(factor, affine) : length.Times(factor, affine);
    }

    internal override string WriteModel(ModelWriter w) => w.New("ScaledDuration", Span, w.Duration(Duration), w.Value(Factor), "global::Sched.Model.ScaleForm." + Form);

    internal override DurationUse Uses => Duration.Uses;
}

/// <summary><c>rest</c>, or an omitted segment duration.</summary>
public sealed class RestDuration : DurationNode
{
    public RestDuration(TextSpan span)
        : base(span)
    {
    }

    internal override Length Lay(Layout layout, Length? percentBase, Length rest)
    {
        layout.UsedRest = true;
        return rest;
    }

    internal override string WriteModel(ModelWriter w) => w.New("RestDuration", Span);

    internal override DurationUse Uses => DurationUse.Rest;
}
