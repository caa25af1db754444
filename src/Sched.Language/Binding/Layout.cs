using System.Globalization;
using Sched.Language.Diagnostics;
using Sched.Language.Evaluation;
using Sched.Language.Parsing;
using Sched.Language.Syntax;
using Sched.Language.Text;

namespace Sched.Language.Binding;

/// <summary>
/// Lays a bound schedule on the timeline for one steps-per-epoch and one set of parameter values:
/// durations become steps (DSL.md §4), <c>rest</c> and repeats that fill it are resolved, values are folded.
/// </summary>
internal sealed class Layout
{
    /// <summary>Smallest 'by' block: below it, x / block overflows for long runs and the quantization means nothing.</summary>
    private const double MinimumBlock = 1e-6;

    private readonly BoundSchedule _schedule;
    private readonly int _stepsPerEpoch;
    private readonly List<Diagnostic> _diagnostics;
    private readonly StandInNumbers? _standIn;
    private readonly double[] _values;
    private readonly BoundDuration?[] _durations;
    private bool _muted;
    private bool _usedRest;
    private bool _reportedEpochs;

    private Layout(BoundSchedule schedule, int stepsPerEpoch, List<Diagnostic> diagnostics, StandInNumbers? standIn)
    {
        _schedule = schedule;
        _stepsPerEpoch = stepsPerEpoch;
        _diagnostics = diagnostics;
        _standIn = standIn;
        _values = new double[schedule.Parameters.Count];
        _durations = new BoundDuration?[schedule.Parameters.Count];
    }

    /// <param name="standIn">Compile-time check with a stand-in steps-per-epoch: it names the lengths of messages.</param>
    public static LaidSchedule? Lay(BoundSchedule schedule, int stepsPerEpoch, IReadOnlyDictionary<string, string>? overrides, List<Diagnostic> diagnostics, StandInNumbers? standIn = null)
    {
        var layout = new Layout(schedule, stepsPerEpoch, diagnostics, standIn);
        int errors = diagnostics.Count(d => d.IsError);
        if (schedule.UsesEpochs && stepsPerEpoch <= 0)
        {
            layout.Report(DiagnosticDescriptors.NeedsStepsPerEpoch, schedule.FirstEpochUse ?? schedule.NameSpan, $"schedule '{schedule.Name}'");
            return null;
        }
        if (!layout.ResolveParameters(overrides)) return null;
        var laid = layout.LayTracks();
        return diagnostics.Count(d => d.IsError) > errors ? null : laid;
    }

    private bool ResolveParameters(IReadOnlyDictionary<string, string>? overrides)
    {
        var parameters = _schedule.Parameters;
        bool ok = true;
        if (overrides is not null)
        {
            foreach (var name in overrides.Keys)
            {
                if (parameters.Any(p => p.Name == name)) continue;
                string known = parameters.Count == 0 ? "it has none" : "its parameters are " + string.Join(", ", parameters.Select(p => p.Name));
                Override(name, $"schedule '{_schedule.Name}' has no parameter '{name}'; {known}{Suggestions.DidYouMean(name, parameters.Select(p => p.Name))}");
                ok = false;
            }
        }
        for (int i = 0; i < parameters.Count; i++)
        {
            var parameter = parameters[i];
            ValueNode? value = parameter.DefaultValue;
            BoundDuration? duration = parameter.DefaultDuration;
            if (overrides is not null && overrides.TryGetValue(parameter.Name, out var text))
            {
                var bound = BindOverride(parameter, text, parameters.Take(i).ToArray());
                if (bound is null)
                {
                    ok = false;
                    continue;
                }
                (value, duration) = bound.Value;
            }
            if (duration is not null)
            {
                _durations[i] = duration;
                continue;
            }
            var folded = Substitute(value!, double.NaN);
            _values[i] = folded is ConstantValue c ? c.Value : double.NaN;
            if (!IsFinite(_values[i]))
            {
                ReportNotFinite(value!.Span, _values[i]);
                ok = false;
            }
        }
        return ok;
    }

    private (ValueNode? Value, BoundDuration? Duration)? BindOverride(BoundParameter parameter, string text, IReadOnlyList<BoundParameter> earlier)
    {
        var source = new SourceText(text, $"--set {parameter.Name}");
        var diagnostics = new List<Diagnostic>();
        var expr = SchedParser.ParseExpression(source, diagnostics);
        var bound = expr is null ? null : Binder.BindStandalone(expr, source, earlier, diagnostics);
        foreach (var d in diagnostics.Where(d => d.IsError))
        {
            Override(parameter.Name, $"'{parameter.Name}={text}': {d.Message}");
        }
        if (bound is null || diagnostics.Any(d => d.IsError)) return null;
        if (bound.Value.Duration is not null && !parameter.IsDuration)
        {
            Override(parameter.Name, $"'{parameter.Name}' is a number (default {parameter.DefaultText}); write a number without a unit, e.g. '{parameter.Name}=0.5'");
            return null;
        }
        if (bound.Value.Value is not null && parameter.IsDuration)
        {
            Override(parameter.Name, $"'{parameter.Name}' is a duration (default {parameter.DefaultText}); give a unit, e.g. '{parameter.Name}={text}ep'");
            return null;
        }
        return bound;
    }

    private void Override(string name, string message) =>
        _diagnostics.Add(DiagnosticDescriptors.BadOverride.Create(new SourceText("", $"--set {name}"), default, message));

    private LaidSchedule LayTracks()
    {
        var tracks = _schedule.Tracks;
        double total = double.NaN;
        if (_schedule.Over is not null)
        {
            total = Steps(_schedule.Over, double.NaN);
            if (total < 0)
            {
                Report(DiagnosticDescriptors.NegativeDuration, _schedule.Over.Span, FormatLength(total));
                total = 0;
            }
            else if (!IsFinite(total))
            {
                ReportNotFinite(_schedule.Over.Span, total);
                total = 0;
            }
        }

        // First pass, silent, with rest = 0: what each track needs besides its rest.
        var measured = new double[tracks.Count];
        var usesRest = new bool[tracks.Count];
        _muted = true;
        for (int i = 0; i < tracks.Count; i++)
        {
            _usedRest = false;
            measured[i] = tracks[i].Root is ConstantTrackNode ? 0 : Lay(tracks[i].Root, total, rest: 0).Length;
            usesRest[i] = _usedRest;
        }
        _muted = false;
        if (double.IsNaN(total))
        {
            total = 0;
            for (int i = 0; i < tracks.Count; i++)
            {
                if (IsFinite(measured[i])) total = Math.Max(total, measured[i]);
            }
        }

        // % outside a cycle is a share of 'over'; without it, the longest track sets the total but no percentage.
        double percentBase = _schedule.Over is null ? double.NaN : total;
        var laid = new List<LaidTrack>();
        for (int i = 0; i < tracks.Count; i++)
        {
            var track = tracks[i];
            int errorsBefore = _diagnostics.Count(d => d.IsError);
            double rest = usesRest[i] ? total - measured[i] : 0;
            if (rest < 0)
            {
                Report(DiagnosticDescriptors.LongerThanTotal, track.ValueSpan, $"track '{track.Name}' without its 'rest'", FormatLength(measured[i]), FormatLength(total));
                rest = 0;
            }
            LaidNode root = track.Root is ConstantTrackNode constant
                ? new LaidConstant(constant.Span, total, CheckedValue(constant.Value, percentBase))
                : Lay(track.Root, percentBase, rest);
            if (!usesRest[i] && root.Length > total * (1 + 1e-12) + 1e-9)
            {
                Report(DiagnosticDescriptors.LongerThanTotal, track.ValueSpan, $"track '{track.Name}'", FormatLength(root.Length), FormatLength(total));
            }
            else if (!usesRest[i] && track.Root is not ConstantTrackNode && root.Length < total * (1 - 1e-12) - 1e-9
                && _diagnostics.Count(d => d.IsError) == errorsBefore)
            {
                Report(DiagnosticDescriptors.TrackShorterThanTotal, track.NameSpan, track.Name, FormatLength(root.Length), FormatLength(total));
            }
            laid.Add(new LaidTrack(track.Name, track.ValueSpan, root, total, _stepsPerEpoch));
        }
        return new LaidSchedule(_schedule.Name, total, _schedule.UsesEpochs ? _stepsPerEpoch : 0, laid);
    }

    private LaidNode Lay(TrackNode node, double percentBase, double rest)
    {
        switch (node)
        {
            case SegmentNode segment:
                return LaySegment(segment, percentBase, rest);
            case ConcatNode concat:
            {
                var parts = new LaidNode[concat.Parts.Length];
                var starts = new double[parts.Length];
                double position = 0;
                for (int i = 0; i < parts.Length; i++)
                {
                    parts[i] = Lay(concat.Parts[i], percentBase, rest);
                    starts[i] = position;
                    position += parts[i].Length;
                }
                return new LaidConcat(concat.Span, parts, starts, position);
            }
            case ModulateNode modulate:
                return new LaidModulate(modulate.Span, Lay(modulate.Inner, percentBase, rest), CheckedValue(modulate.Multiplier, percentBase));
            case QuantizeNode quantize:
            {
                double block = quantize.Block is null ? EpochLength(quantize.Span) : Steps(quantize.Block, percentBase);
                if (!(block > 0))
                {
                    Report(DiagnosticDescriptors.WrongKind, quantize.Span, $"'by' needs a positive block such as 'by 10it' or 'by epoch', not {FormatLength(block)}");
                    block = 1;
                }
                else if (!(block >= MinimumBlock && IsFinite(block)))
                {
                    Report(DiagnosticDescriptors.WrongKind, quantize.Span, $"'by' needs a block between {MinimumBlock} steps and the schedule's length, such as 'by 10it' or 'by epoch'");
                    block = 1;
                }
                return new LaidQuantize(quantize.Span, Lay(quantize.Inner, percentBase, rest), block);
            }
            case RepeatNode repeat:
                return LayRepeat(repeat, percentBase, rest);
            case SkipNode skip:
                return LaySkip(skip, percentBase, rest);
            case ConstantTrackNode constant:
                return new LaidConstant(constant.Span, 0, CheckedValue(constant.Value, percentBase));
            default:
                Report(DiagnosticDescriptors.Internal, node.Span, $"unexpected node {node.GetType().Name}");
                return new LaidConstant(node.Span, 0, new ConstantValue(node.Span, 0));
        }
    }

    private LaidNode LaySegment(SegmentNode segment, double percentBase, double rest)
    {
        double length = Steps(segment.Duration, percentBase, rest);
        if (length < 0)
        {
            Report(DiagnosticDescriptors.NegativeDuration, segment.Duration is RestDuration ? segment.Span : segment.Duration.Span, FormatLength(length));
            length = 0;
        }
        else if (!IsFinite(length))
        {
            if (!double.IsNaN(length)) ReportNotFinite(segment.Duration.Span, length);
            length = 0;
        }
        var from = CheckedValue(segment.From, percentBase);
        var to = segment.To is null ? null : CheckedValue(segment.To, percentBase);
        var power = segment.Power is null ? null : CheckedValue(segment.Power, percentBase);
        if (segment.Kind == SegmentKind.Exp && from is ConstantValue a && to is ConstantValue b && !((a.Value > 0 && b.Value > 0) || (a.Value < 0 && b.Value < 0)))
        {
            Report(DiagnosticDescriptors.ExpAcrossZero, segment.Span, Format(a.Value), Format(b.Value));
        }
        return new LaidSegment(segment.Span, length, segment.Kind, from, to, power);
    }

    /// <summary>
    /// <c>A from d</c> lasts A's length minus d. A keeps the rest it is given: in the silent measuring pass (rest 0) the
    /// difference may be negative, and the rest computed from it then gives A exactly the length the track needs.
    /// </summary>
    private LaidNode LaySkip(SkipNode skip, double percentBase, double rest)
    {
        double offset = Steps(skip.Offset, percentBase);
        var inner = Lay(skip.Inner, percentBase, rest);
        if (!IsFinite(offset))
        {
            if (!double.IsNaN(offset)) ReportNotFinite(skip.Offset.Span, offset);
            offset = 0;
        }
        else if (offset < 0)
        {
            Report(DiagnosticDescriptors.NegativeDuration, skip.Offset.Span, FormatLength(offset));
            offset = 0;
        }
        else if (!_muted && offset > inner.Length * (1 + 1e-12) + 1e-9)
        {
            Report(DiagnosticDescriptors.SkipsPastEnd, skip.Offset.Span, FormatLength(offset), FormatLength(inner.Length));
            offset = inner.Length;
        }
        return new LaidSkip(skip.Span, inner, offset);
    }

    private LaidNode LayRepeat(RepeatNode repeat, double percentBase, double rest)
    {
        double? count = repeat.Count is null ? null : ConstantOf(repeat.Count, percentBase);
        double mult = repeat.Mult is null ? 1 : ConstantOf(repeat.Mult, percentBase);
        var fallback = new LaidRepeat(repeat.Span, 0, new LaidConstant(repeat.Span, 0, new ConstantValue(repeat.Span, 0)), 0, 1, 0);
        if (count is { } n && !(n > 0 && IsFinite(n)))
        {
            Report(DiagnosticDescriptors.BadRepeat, repeat.Count!.Span, $"a repeat count must be a positive number, not {Format(n)}");
            return fallback;
        }
        if (!(mult > 0 && IsFinite(mult)))
        {
            Report(DiagnosticDescriptors.BadRepeat, repeat.Mult!.Span, $"'mult' must be a positive number, not {Format(mult)}");
            return fallback;
        }

        bool fillsRest;
        double cycle;
        LaidNode body;
        bool sharesRest = repeat.Every is null && Binder.IsPercentOnly(repeat.Body);
        if (repeat.Every is not null)
        {
            cycle = Steps(repeat.Every, percentBase);
            if (double.IsInfinity(cycle))
            {
                ReportNotFinite(repeat.Every.Span, cycle);
                return fallback;
            }
            if (!(cycle > 0))
            {
                Report(DiagnosticDescriptors.BadRepeat, repeat.Every.Span, $"'every' must be a positive duration, not {FormatLength(cycle)}");
                return fallback;
            }
            body = LayBody(repeat.Body, cycle);
            fillsRest = count is null;
        }
        else if (sharesRest)
        {
            // Ten cycles over the run: the rest is shared among the cycles in proportion to mult^k.
            fillsRest = false;
            double share = rest / CycleWeight(count!.Value, mult);
            _usedRest = true;
            cycle = share;
            body = Lay(repeat.Body, share, 0);
        }
        else
        {
            body = Lay(repeat.Body, double.NaN, 0);
            cycle = body.Length;
            fillsRest = count is null;
        }
        if (body.Length > cycle * (1 + 1e-12) + 1e-9)
        {
            Report(DiagnosticDescriptors.BodyLongerThanCycle, repeat.Span, FormatLength(body.Length), FormatLength(cycle));
        }

        double cycles;
        if (fillsRest)
        {
            _usedRest = true;
            if (!(cycle > 0))
            {
                Report(DiagnosticDescriptors.BadRepeat, repeat.Span, "a repeat that fills the rest needs a cycle longer than 0 steps");
                return fallback;
            }
            if (mult < 1 && rest >= cycle / (1 - mult))
            {
                Report(DiagnosticDescriptors.BadRepeat, repeat.Span,
                    $"cycles shrink (mult = {Format(mult)}) and together last only {FormatLength(cycle / (1 - mult))}, less than the {FormatLength(rest)} to fill; use mult >= 1 or give a count");
                return fallback;
            }
            cycles = CyclesIn(rest, cycle, mult);
        }
        else
        {
            cycles = count ?? 1;
        }
        if (cycles > int.MaxValue / 2)
        {
            Report(DiagnosticDescriptors.BadRepeat, repeat.Span, $"this repeat has {Format(cycles)} cycles; at most {int.MaxValue / 2} are supported");
            return fallback;
        }

        int last = Math.Max(0, (int)Math.Ceiling(cycles) - 1);
        double fraction = cycles - last;
        double length = fillsRest ? rest : Shapes.CycleStart(last, cycle, mult) + fraction * cycle * Math.Pow(mult, last);
        if (sharesRest) length = rest;
        if (!IsFinite(length))
        {
            Report(DiagnosticDescriptors.BadRepeat, repeat.Span, $"this repeat's {Format(cycles)} cycles, each mult = {Format(mult)} times longer, last longer than any run; lower the count or 'mult'");
            return fallback;
        }
        return new LaidRepeat(repeat.Span, length, body, cycle, mult, last);
    }

    /// <summary>A body inside <c>every</c>: % and <c>rest</c> refer to the cycle.</summary>
    private LaidNode LayBody(TrackNode body, double cycle)
    {
        bool outerUsed = _usedRest;
        bool muted = _muted;
        _usedRest = false;
        _muted = true;
        double measured = Lay(body, cycle, 0).Length;
        bool bodyUsesRest = _usedRest;
        _muted = muted;
        var laid = Lay(body, cycle, bodyUsesRest ? Math.Max(0, cycle - measured) : 0);
        _usedRest = outerUsed;
        return laid;
    }

    /// <summary><c>sum of mult^k</c> over the cycles, a fractional last cycle weighing its fraction.</summary>
    private static double CycleWeight(double count, double mult)
    {
        int last = Math.Max(0, (int)Math.Ceiling(count) - 1);
        double fraction = count - last;
        return Shapes.CycleStart(last, 1, mult) + fraction * Math.Pow(mult, last);
    }

    /// <summary>How many cycles (fractional) fill <paramref name="length"/> when cycle k lasts <c>cycle * mult^k</c>.</summary>
    private static double CyclesIn(double length, double cycle, double mult)
    {
        if (length <= 0) return 0;
        if (mult == 1) return length / cycle;
        int k = Shapes.CycleIndex(length, cycle, mult, int.MaxValue / 2);
        double start = Shapes.CycleStart(k, cycle, mult);
        return k + (length - start) / (cycle * Math.Pow(mult, k));
    }

    private double Steps(BoundDuration duration, double percentBase) => Steps(duration, percentBase, 0);

    /// <summary>A duration in steps: <c>N ep</c> is N × steps-per-epoch, <c>N %</c> is N × base / 100, then arithmetic in source order.</summary>
    private double Steps(BoundDuration duration, double percentBase, double rest)
    {
        switch (duration)
        {
            case LiteralDuration { Unit: DurationUnit.Epoch } literal:
                return literal.Amount * EpochLength(literal.Span);
            case LiteralDuration { Unit: DurationUnit.Percent } literal:
                if (double.IsNaN(percentBase))
                {
                    Report(DiagnosticDescriptors.NeedsTotal, literal.Span, "a percentage", _schedule.Name);
                    return 0;
                }
                return literal.Amount * percentBase / 100;
            case LiteralDuration literal:
                return literal.Amount;
            case ParameterDuration parameter:
                return _durations[parameter.Index] is { } bound ? Steps(bound, percentBase, rest) : 0;
            case SumDuration sum:
            {
                double total = Steps(sum.Terms[0], percentBase, rest);
                for (int i = 1; i < sum.Terms.Length; i++)
                {
                    double term = Steps(sum.Terms[i], percentBase, rest);
                    total = sum.Subtract[i] ? total - term : total + term;
                }
                return total;
            }
            case ScaledDuration scaled:
            {
                double steps = Steps(scaled.Duration, percentBase, rest);
                double factor = ConstantOf(scaled.Factor, percentBase);
                return scaled.Form switch
                {
                    ScaleForm.FactorFirst => factor * steps,
                    ScaleForm.FactorLast => steps * factor,
                    _ => steps / factor,
                };
            }
            case RestDuration:
                _usedRest = true;
                return rest;
            default:
                return 0;
        }
    }

    private double EpochLength(TextSpan span)
    {
        if (_stepsPerEpoch > 0) return _stepsPerEpoch;
        if (!_reportedEpochs && !_muted)
        {
            Report(DiagnosticDescriptors.NeedsStepsPerEpoch, span, $"schedule '{_schedule.Name}'");
            _reportedEpochs = true;
        }
        return 0;
    }

    /// <summary>A value that must be a number at layout (counts, factors): parameters in, folded; NaN when it still varies.</summary>
    private double ConstantOf(ValueNode value, double percentBase)
    {
        var folded = CheckedValue(value, percentBase);
        if (folded is ConstantValue constant) return constant.Value;
        Report(DiagnosticDescriptors.WrongKind, value.Span, "this must be a fixed number: 'cycle', 'p', 't', 'step' and 'epoch' cannot set a duration, a count or 'mult'");
        return double.NaN;
    }

    /// <summary>Parameters replaced and constants folded; reports a constant that is not finite.</summary>
    private ValueNode CheckedValue(ValueNode value, double percentBase)
    {
        var folded = Substitute(value, percentBase);
        if (folded is ConstantValue constant) ReportNotFinite(value.Span, constant.Value);
        return folded;
    }

    /// <param name="percentBase">What % means in a duration ratio here: the total, or the enclosing cycle.</param>
    private ValueNode Substitute(ValueNode value, double percentBase)
    {
        ValueNode[] All(IEnumerable<ValueNode> values) => values.Select(v => Substitute(v, percentBase)).ToArray();
        ValueNode result = value switch
        {
            ParameterValue parameter => new ConstantValue(parameter.Span, _values[parameter.Index]),
            DurationRatioValue ratio => Ratio(ratio, percentBase),
            NegateValue negate => new NegateValue(negate.Span, Substitute(negate.Operand, percentBase)),
            SumValue sum => new SumValue(sum.Span, All(sum.Terms), sum.Subtract),
            ProductValue product => new ProductValue(product.Span, All(product.Factors), product.Divide),
            PowerValue power => new PowerValue(power.Span, All(power.Operands), power.Negate),
            CallValue call => new CallValue(call.Span, call.Function, All(call.Arguments)),
            BisectValue bisect => new BisectValue(bisect.Span, CheckedItems(All(bisect.Items)), Substitute(bisect.Position, percentBase)),
            _ => value,
        };
        return Binder.Fold(result);
    }

    /// <summary>A list item that is not a finite number is an error like any such value, though bisect's count stays finite.</summary>
    private ValueNode[] CheckedItems(ValueNode[] items)
    {
        foreach (var item in items)
        {
            if (item is ConstantValue constant) ReportNotFinite(item.Span, constant.Value);
        }
        return items;
    }

    /// <summary>A ratio by a zero duration is reported where it is written, even where the value it makes stays finite.</summary>
    private ConstantValue Ratio(DurationRatioValue ratio, double percentBase)
    {
        double value = Steps(ratio.Numerator, percentBase) / Steps(ratio.Denominator, percentBase);
        ReportNotFinite(ratio.Span, value);
        return new ConstantValue(ratio.Span, value);
    }

    /// <summary>SCHED010 once, at the innermost value that is not finite.</summary>
    private void ReportNotFinite(TextSpan span, double value)
    {
        if (IsFinite(value) || _diagnostics.Any(d => d.Id == DiagnosticDescriptors.NotFinite.Id && span.Contains(d.Span))) return;
        Report(DiagnosticDescriptors.NotFinite, span, Describe(value));
    }

    /// <summary>Silent in the measuring pass, and after a missing steps-per-epoch, whose zero lengths would only cascade.</summary>
    private void Report(DiagnosticDescriptor descriptor, TextSpan span, params object?[] args)
    {
        if (!_muted && !_reportedEpochs) _diagnostics.Add(descriptor.Create(_schedule.Source, span, args));
    }

    /// <summary>A length for messages: steps, or epochs when the schedule counts in epochs.</summary>
    internal string FormatLength(double steps)
    {
        if (!_schedule.CountsInEpochs || _stepsPerEpoch <= 0) return $"{Format(steps)} steps";
        return _standIn?.Length(steps) ?? $"{Format(steps)} steps ({Format(steps / _stepsPerEpoch)} epochs)";
    }

    /// <summary>How SCHED010 names a value that is not a finite number.</summary>
    internal static string Describe(double value) => double.IsNaN(value) ? "not a number (NaN)" : value > 0 ? "infinite" : "negative infinity";

    private static string Format(double value) => value.ToString("G10", CultureInfo.InvariantCulture);

    private static bool IsFinite(double value) => !double.IsNaN(value) && !double.IsInfinity(value);
}
