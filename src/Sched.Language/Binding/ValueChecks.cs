using System.Globalization;
using Sched.Language.Diagnostics;
using Sched.Language.Evaluation;
using Sched.Language.Text;

namespace Sched.Language.Binding;

/// <summary>
/// Checks that known tracks stay in their range (DSL.md §8): exactly at the ends of monotone segments,
/// by sampling inside fn and modulated segments. Repeats whose values read <c>cycle</c> are checked cycle by cycle.
/// </summary>
internal sealed class ValueChecks
{
    private const int SamplesPerSegment = 32;
    private const int CheckedCycles = 64;

    private readonly LaidTrack _track;
    private readonly Rule _rule;
    private readonly SourceText _source;
    private readonly Func<double, string> _position;
    private readonly List<Diagnostic> _diagnostics;
    private bool _reportedError;
    private bool _reportedZero;
    private bool _reportedNotFinite;
    private double _windowStart = double.NegativeInfinity;

    private ValueChecks(LaidTrack track, Rule rule, SourceText source, Func<double, string> position, List<Diagnostic> diagnostics)
    {
        _track = track;
        _rule = rule;
        _source = source;
        _position = position;
        _diagnostics = diagnostics;
    }

    private enum Rule
    {
        LearningRate,
        UnitInterval,
        NonNegative,
        FiniteOnly,
    }

    public static void Check(LaidSchedule schedule, SourceText source, Func<double, string> position, List<Diagnostic> diagnostics)
    {
        foreach (var track in schedule.Tracks)
        {
            var rule = track.Name switch
            {
                "lr" => Rule.LearningRate,
                "momentum" or "beta2" => Rule.UnitInterval,
                "wd" => Rule.NonNegative,
                _ => Rule.FiniteOnly,
            };
            new ValueChecks(track, rule, source, position, diagnostics).Walk(track.Root, 0, 1, 0, modulated: false);
        }
    }

    private void Walk(LaidNode node, double start, double scale, int cycle, bool modulated)
    {
        if (_reportedError) return;
        switch (node)
        {
            case LaidSegment segment when !modulated && segment.Kind != Binding.SegmentKind.Fn && !(segment.Kind == Binding.SegmentKind.Poly && !(PowerOf(segment, cycle) > 0)):
            {
                var context = new EvalContext { Cycle = cycle, Scale = scale, X = start };
                double from = segment.At(ref context, 0);
                double to = segment.At(ref context, 1);
                double end = start + segment.Length * scale;
                CheckValue(from, start, segment.Span, interior: segment.Length > 0 && from == 0 && to == 0);
                CheckValue(to, end, segment.Span, interior: false);
                break;
            }
            case LaidSegment or LaidConstant:
                Sample(node, start, scale);
                break;
            case LaidConcat concat:
                for (int i = 0; i < concat.Parts.Length; i++) Walk(concat.Parts[i], start + concat.Starts[i] * scale, scale, cycle, modulated);
                break;
            case LaidModulate modulate:
                Walk(modulate.Inner, start, scale, cycle, modulated: true);
                break;
            case LaidQuantize quantize:
                Walk(quantize.Inner, start, scale, cycle, modulated);
                break;
            case LaidSkip skip:
            {
                // Walk all of the inner track, but judge only what is not skipped; the value where it starts is read directly.
                double window = _windowStart;
                _windowStart = Math.Max(window, start);
                if (skip.Length > 0) CheckValue(_track.Evaluate(Math.Min(start, _track.Length)), start, skip.Span, interior: false);
                Walk(skip.Inner, start - skip.Offset * scale, scale, cycle, modulated);
                _windowStart = window;
                break;
            }
            case LaidRepeat repeat:
            {
                // Cycles are alike unless values read 'cycle'; under 'from', the cycle cut by the skip and the first whole one
                // after it stand for the rest (earlier cycles are skipped entirely).
                int whole = FirstWholeCycle(repeat, start, scale);
                var cycles = new SortedSet<int> { Math.Max(0, whole - 1), whole };
                if (ReadsCycle(repeat.Body))
                {
                    for (int k = 0; k <= Math.Min(repeat.LastCycle, CheckedCycles); k++) cycles.Add(k);
                    cycles.Add(repeat.LastCycle);
                }
                foreach (int k in cycles) WalkCycle(repeat, k, start, scale, modulated);
                break;
            }
        }
    }

    /// <summary>The first cycle starting at or after the skipped part's end (0 when nothing is skipped), at most the last.</summary>
    private int FirstWholeCycle(LaidRepeat repeat, double start, double scale)
    {
        if (!(_windowStart > start)) return 0;
        int k = Shapes.CycleIndex(_windowStart - start, repeat.CycleLength * scale, repeat.Mult, repeat.LastCycle);
        if (start + Shapes.CycleStart(k, repeat.CycleLength, repeat.Mult) * scale < _windowStart) k++;
        return Math.Min(k, repeat.LastCycle);
    }

    private void WalkCycle(LaidRepeat repeat, int k, double start, double scale, bool modulated)
    {
        double cycleStart = start + Shapes.CycleStart(k, repeat.CycleLength, repeat.Mult) * scale;
        if (cycleStart > start + repeat.Length * scale) return;
        Walk(repeat.Body, cycleStart, scale * Math.Pow(repeat.Mult, k), k, modulated);
    }

    private static double PowerOf(LaidSegment segment, int cycle)
    {
        var context = new EvalContext { Cycle = cycle, Scale = 1 };
        return segment.Power!.Evaluate(ref context);
    }

    /// <summary>Values that vary inside a segment: read the track itself at evenly spaced positions.</summary>
    private void Sample(LaidNode node, double start, double scale)
    {
        double length = node.Length * scale;
        int samples = length > 0 ? SamplesPerSegment : 0;
        for (int i = 0; i <= samples && !_reportedError; i++)
        {
            double x = start + length * i / SamplesPerSegment;
            if (x >= _track.Length) x = _track.Length;
            double value = _track.Evaluate(x);
            CheckValue(value, x, node.Span, interior: i > 0 && i < samples && value == 0);
        }
    }

    private void CheckValue(double value, double x, TextSpan span, bool interior)
    {
        if (_reportedError || x < _windowStart) return;
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            if (!_reportedNotFinite) Report(DiagnosticDescriptors.NotFinite, span, Layout.Describe(value));
            _reportedNotFinite = true;
            _reportedError = true;
            return;
        }
        switch (_rule)
        {
            case Rule.LearningRate when value < 0:
                Report(DiagnosticDescriptors.LearningRateNegative, span, Format(value), _position(x));
                _reportedError = true;
                break;
            case Rule.LearningRate when interior && !_reportedZero:
                Report(DiagnosticDescriptors.LearningRateZero, span, _position(x));
                _reportedZero = true;
                break;
            case Rule.UnitInterval when !(value >= 0 && value < 1):
                Report(DiagnosticDescriptors.OutOfRange, span, _track.Name, Format(value), _position(x), "[0, 1)");
                _reportedError = true;
                break;
            case Rule.NonNegative when value < 0:
                Report(DiagnosticDescriptors.OutOfRange, span, _track.Name, Format(value), _position(x), "[0, infinity)");
                _reportedError = true;
                break;
        }
    }

    private static bool ReadsCycle(LaidNode node) => node switch
    {
        LaidSegment s => Reads(s.From) || (s.To is not null && Reads(s.To)) || (s.Power is not null && Reads(s.Power)),
        LaidConcat c => c.Parts.Any(ReadsCycle),
        LaidModulate m => Reads(m.Multiplier) || ReadsCycle(m.Inner),
        LaidQuantize q => ReadsCycle(q.Inner),
        LaidSkip s => ReadsCycle(s.Inner),
        LaidRepeat r => ReadsCycle(r.Body),
        LaidConstant k => Reads(k.Value),
        _ => false,
    };

    private static bool Reads(ValueNode value) =>
        value is VariableValue { Variable: Variable.Cycle } || value.Children.Any(Reads);

    private void Report(DiagnosticDescriptor descriptor, TextSpan span, params object?[] args) =>
        _diagnostics.Add(descriptor.Create(_source, span, args));

    private static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
