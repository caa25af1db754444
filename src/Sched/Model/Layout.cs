using System.Globalization;
using Sched.Diagnostics;
using Sched.Text;

namespace Sched.Model;

/// <summary>
/// One layout of a schedule: its parameters' values, the steps per epoch, and what was found. Durations become
/// <see cref="Length"/>s (docs/language.md §4); each node lays itself out through this object and reports here.
/// </summary>
/// <remarks>
/// Lengths are judged in one of two ways. For a run (<see cref="StepsPerEpochKnown"/>), with the run's steps. At build
/// time, for a schedule that counts in epochs, the steps per epoch is unknown: a length rule is an error only if no
/// steps per epoch satisfies it (lengths are affine in it, <see cref="Length"/>), and the steps per epoch that satisfy
/// every rule so far are kept in <see cref="FeasibleLow"/>..<see cref="FeasibleHigh"/>.
/// </remarks>
internal sealed class Layout
{
    /// <summary>Smallest 'by' block: below it, x / block overflows for long runs and the quantization means nothing.</summary>
    internal const double MinimumBlock = 1e-6;

    /// <summary>Relative and absolute slack of length rules, so that rounding of fractional steps never makes an error.</summary>
    private const double Relative = 1e-12, Absolute = 1e-9;

    private readonly ScheduleModel _schedule;
    private readonly double[] _numbers;
    private readonly DurationNode?[] _durations;
    private readonly Length?[] _durationLengths;
    private readonly SourceText?[] _durationSources;
    private readonly List<Diagnostic> _diagnostics;
    private SourceText? _source;
    private bool _reportedEpochs;

    public Layout(ScheduleModel schedule, int stepsPerEpoch, bool stepsPerEpochKnown, List<Diagnostic> diagnostics)
    {
        _schedule = schedule;
        StepsPerEpoch = stepsPerEpoch;
        StepsPerEpochKnown = stepsPerEpochKnown;
        _diagnostics = diagnostics;
        _numbers = new double[schedule.Parameters.Count];
        _durations = new DurationNode?[schedule.Parameters.Count];
        _durationLengths = new Length?[schedule.Parameters.Count];
        _durationSources = new SourceText?[schedule.Parameters.Count];
    }

    public ScheduleModel Schedule => _schedule;

    public string ScheduleName => _schedule.Name;

    /// <summary>Where reports point: the schedule's file, or a parameter's text while its value is laid out.</summary>
    public SourceText Source => _source ?? _schedule.Source;

    /// <summary>Runs <paramref name="lay"/> with reports pointing into <paramref name="source"/> (a <c>--set</c> value), when given.</summary>
    public T WithSource<T>(SourceText? source, Func<T> lay)
    {
        var saved = _source;
        _source = source ?? saved;
        try
        {
            return lay();
        }
        finally
        {
            _source = saved;
        }
    }

    public int StepsPerEpoch { get; }

    /// <summary>False at build time for a schedule that counts in epochs: <see cref="StepsPerEpoch"/> is then a stand-in.</summary>
    public bool StepsPerEpochKnown { get; }

    /// <summary>The lowest and highest steps per epoch that satisfy every length rule met so far (build time).</summary>
    public double FeasibleLow { get; private set; } = 1;

    public double FeasibleHigh { get; private set; } = double.PositiveInfinity;

    /// <summary>Set by <c>rest</c> when it is read: the track (or the body) fills what remains.</summary>
    public bool UsedRest { get; set; }

    /// <summary>While measuring what a track needs besides its rest, nothing is reported.</summary>
    public bool Muted { get; set; }

    /// <summary>
    /// A build-time layout at a stand-in steps per epoch that may not fit the schedule: it only finds the steps per
    /// epoch that do (<see cref="FeasibleLow"/>..<see cref="FeasibleHigh"/>) and reports the length rules no steps
    /// per epoch satisfies, whose verdicts hold for every steps per epoch. Everything else is judged afterwards, at
    /// steps per epoch that fit.
    /// </summary>
    public bool Probing { get; init; }

    /// <summary>What <c>%</c> means where a value is being laid out (for a ratio of durations): the total or the cycle.</summary>
    public Length? PercentBase { get; private set; }

    /// <summary>Ratios met whose value depends on the steps per epoch; lengths scaled by them are not affine.</summary>
    public int RatiosDependingOnEpochs { get; private set; }

    /// <summary>Number parameter <paramref name="index"/>'s value for this layout.</summary>
    public double Number(int index) => _numbers[index];

    public void SetNumber(int index, double value) => _numbers[index] = value;

    public void SetDuration(int index, DurationNode duration, SourceText? source)
    {
        _durations[index] = duration;
        _durationSources[index] = source;
    }

    /// <summary>A duration parameter's length; its value is laid out once, where the schedule starts, with the total as 100%.</summary>
    public Length Duration(int index, Length? percentBase)
    {
        if (_durations[index] is not { } duration) return Length.Zero;
        // A '%' default means a share of the place where the parameter is used, as if written there.
        if ((duration.Uses & DurationUse.Percent) != 0) return WithSource(_durationSources[index], () => duration.Lay(this, percentBase, Length.Zero));
        return _durationLengths[index] ??= WithSource(_durationSources[index], () => duration.Lay(this, percentBase, Length.Zero));
    }

    /// <summary>Whether an epoch was laid out: the schedule counts in epochs, or an argument does.</summary>
    public bool ReadEpochs { get; private set; }

    public double EpochLength(TextSpan span)
    {
        ReadEpochs = true;
        if (StepsPerEpoch > 0) return StepsPerEpoch;
        if (!_reportedEpochs && !Muted)
        {
            Report(DiagnosticDescriptors.NeedsStepsPerEpoch, span, $"schedule '{ScheduleName}'");
            _reportedEpochs = true;
        }
        return 0;
    }

    /// <summary>A value that must be a number at layout (counts, factors): parameters in, folded; NaN when it still varies.</summary>
    public double Constant(ValueNode value, Length? percentBase)
    {
        var laid = Value(value, percentBase);
        if (laid is ConstantValue constant) return constant.Value;
        Report(DiagnosticDescriptors.WrongKind, value.Span, "this must be a fixed number: 'cycle', 'p', 't', 'step' and 'epoch' cannot set a duration, a count or 'mult'");
        return double.NaN;
    }

    /// <summary>
    /// Parameters replaced and constants folded; a constant that is not finite is reported. <paramref name="percentBase"/>
    /// is what 100% means where the value is written, for a ratio of durations in it.
    /// </summary>
    public ValueNode Value(ValueNode value, Length? percentBase)
    {
        var saved = PercentBase;
        PercentBase = percentBase;
        var laid = value.Lay(this);
        PercentBase = saved;
        CheckFiniteParts(laid);
        return laid;
    }

    /// <summary>A ratio of durations: its value depends on the steps per epoch unless both are proportional.</summary>
    public void NoteRatio(Length numerator, Length denominator)
    {
        if (!numerator.IsAffine || !denominator.IsAffine || numerator.A * denominator.B != numerator.B * denominator.A) RatiosDependingOnEpochs++;
    }

    /// <summary>SCHED010 at a number in a laid value that is not finite (<c>2^1024 - t</c>), even where it varies.</summary>
    private void CheckFiniteParts(ValueNode value)
    {
        if (value is ConstantValue constant) CheckFinite(value.Span, constant.Value);
        foreach (var child in value.Children) CheckFiniteParts(child);
    }

    /// <summary>SCHED010 once, at the innermost value that is not finite.</summary>
    public void CheckFinite(TextSpan span, double value)
    {
        if (IsFinite(value) || _diagnostics.Any(d => d.Id == DiagnosticDescriptors.NotFinite.Id && span.Contains(d.Span))) return;
        Report(DiagnosticDescriptors.NotFinite, span, Describe(value));
    }

    /// <summary>A length that must be 0 or more (and finite): reported at <paramref name="span"/>, and 0 used instead.</summary>
    public Length NonNegative(Length length, TextSpan span)
    {
        if (double.IsNaN(length.Steps)) return Length.Zero;
        if (double.IsInfinity(length.Steps))
        {
            CheckFinite(span, length.Steps);
            return Length.Zero;
        }
        // Within rounding of 0 a length is 0 (a negative one would move what follows backwards); at build time it keeps
        // its form in steps and epochs, for it may be positive at the steps per epoch that fit.
        if (Holds(length, Length.Zero, atLeast: true)) return length.Steps < 0 ? new Length(0, length.A, length.B) : length;
        ReportLength(DiagnosticDescriptors.NegativeDuration, span, FormatLength(length));
        return Length.Zero;
    }

    /// <summary>Whether a length is more than 0: at the run's steps, or at build time for some steps per epoch (which it then narrows to).</summary>
    public bool Positive(Length length)
    {
        if (StepsPerEpochKnown || !length.IsAffine) return length.Steps > 0;
        if (length.B == 0) return length.A > 0;
        // A + B * E > 0 beyond (B > 0) or below (B < 0) the steps per epoch where it is 0.
        double zero = -length.A / length.B;
        double low = FeasibleLow, high = FeasibleHigh;
        if (length.B > 0)
        {
            if (!(high > zero)) return false;
            low = Math.Max(low, zero);
        }
        else
        {
            if (!(low < zero)) return false;
            high = Math.Min(high, zero);
        }
        if (!Muted)
        {
            FeasibleLow = low;
            FeasibleHigh = high;
        }
        return true;
    }

    /// <summary>
    /// Whether <paramref name="length"/> ≤ <paramref name="limit"/> (or ≥ with <paramref name="atLeast"/>), with slack for
    /// rounding. For a run: at its steps. At build time: false only when no steps per epoch satisfies it, and then the
    /// rule narrows the steps per epoch that can.
    /// </summary>
    public bool Holds(Length length, Length limit, bool atLeast = false, bool narrow = true)
    {
        var (small, large) = atLeast ? (limit, length) : (length, limit);
        if (StepsPerEpochKnown || !small.IsAffine || !large.IsAffine) return Fits(small.Steps, large.Steps);
        // small(E) <= large(E) where d(E) = large - small = dA + dB * E, for E >= 1.
        double dA = large.A - small.A, dB = large.B - small.B;
        double slack = Relative * Math.Max(Math.Abs(large.A) + Math.Abs(large.B), 0) + Absolute;
        double low = 1, high = double.PositiveInfinity;
        if (Math.Abs(dB) <= Relative * (Math.Abs(large.B) + Math.Abs(small.B)))
        {
            if (dA < -slack) return false;
        }
        else if (dB > 0)
        {
            low = Math.Max(1, (-slack - dA) / dB);
        }
        else
        {
            high = (-slack - dA) / dB;
        }
        // Each rule alone, then with the others met so far: no steps per epoch may satisfy them together.
        if (low > high || Math.Max(FeasibleLow, low) > Math.Min(FeasibleHigh, high)) return false;
        if (!Muted && narrow)
        {
            FeasibleLow = Math.Max(FeasibleLow, low);
            FeasibleHigh = Math.Min(FeasibleHigh, high);
        }
        return true;
    }

    private static bool Fits(double small, double large) => small <= large * (1 + Relative * Math.Sign(large)) + Absolute;

    /// <summary>Silent while measuring or probing, and after a missing steps-per-epoch, whose zero lengths would only cascade.</summary>
    public void Report(DiagnosticDescriptor descriptor, TextSpan span, params object?[] args)
    {
        if (!Muted && !Probing && !_reportedEpochs) _diagnostics.Add(descriptor.Create(Source, span, args));
    }

    /// <summary>A length rule broken (<see cref="Holds"/> false): reported while probing too, since its verdict holds for every steps per epoch.</summary>
    public void ReportLength(DiagnosticDescriptor descriptor, TextSpan span, params object?[] args)
    {
        if (!Muted && !_reportedEpochs) _diagnostics.Add(descriptor.Create(Source, span, args));
    }

    public bool HasErrors => _diagnostics.Any(d => d.IsError);

    public int ErrorCount => _diagnostics.Count(d => d.IsError);

    /// <summary>A length in the units written: "40 steps", "2 epochs", "2 epochs + 3 steps"; for a run, the steps too.</summary>
    public string FormatLength(Length length)
    {
        if (!length.IsAffine || !_schedule.CountsInEpochs || (length.B == 0 && length.A != 0)) return $"{Format(length.Steps)} steps";
        string written = Affine(length, position: false);
        return StepsPerEpochKnown && length.B != 0 ? $"{written} ({Format(length.Steps)} steps)" : written;
    }

    /// <summary>A position in the units written: "step 6", "epoch 2", "epoch 2 + 3 steps"; for a run, the step first.</summary>
    public string FormatPosition(Length x)
    {
        string step = $"step {Format(Math.Round(x.Steps, 6))}";
        if (!x.IsAffine || !_schedule.CountsInEpochs) return step;
        if (StepsPerEpochKnown) return x.B == 0 ? step : $"{step} ({Affine(x, position: true)})";
        return x.B == 0 && x.A != 0 ? step : Affine(x, position: true);
    }

    /// <summary>"2 epochs", "epoch 2", "2 epochs - 3 steps", "epoch 2 + 3 steps".</summary>
    private static string Affine(Length x, bool position)
    {
        double epochs = Math.Round(x.B, 6), steps = Math.Round(x.A, 6);
        string head = position ? $"epoch {Format(epochs)}" : $"{Format(epochs)} epochs";
        if (steps == 0) return head;
        return $"{head} {(steps < 0 ? "-" : "+")} {Format(Math.Abs(steps))} steps";
    }

    /// <summary>How SCHED010 names a value that is not a finite number.</summary>
    public static string Describe(double value) => double.IsNaN(value) ? "not a number (NaN)" : value > 0 ? "infinite" : "negative infinity";

    public static string Format(double value) => (value + 0.0).ToString("G10", CultureInfo.InvariantCulture);

    public static bool IsFinite(double value) => !double.IsNaN(value) && !double.IsInfinity(value);
}
