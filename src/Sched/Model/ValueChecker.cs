using System.Globalization;
using Sched.Diagnostics;
using Sched.Text;

namespace Sched.Model;

/// <summary>
/// Checks that a track's values are finite and, for a known track, in its range (docs/language.md §9): exactly at the
/// ends of monotone segments, by sampling inside <c>fn</c> and modulated segments. Each node decides which of the two
/// applies to it and where its parts sit (<see cref="LaidNode.Check"/>); this class reads values and reports.
/// </summary>
internal sealed class ValueChecker
{
    public const int SamplesPerSegment = 32;

    /// <summary>Cycles checked one by one when values differ from cycle to cycle; the last cycle is always checked too.</summary>
    public const int CheckedCycles = 64;

    private readonly LaidTrack _track;
    private readonly TrackInfo? _info;
    private readonly Layout _layout;
    private bool _reportedZero;

    private ValueChecker(LaidTrack track, Layout layout)
    {
        _track = track;
        _info = TrackCatalogue.Find(track.Name);
        _layout = layout;
    }

    public static void Check(LaidTrack track, Layout layout) => new ValueChecker(track, layout).Run();

    private void Run() => _track.Root.Check(this, new Place(Length.Zero, 1, 0, modulated: false));

    /// <summary>Once an error is found in a track, the rest of it is not checked: one error per track.</summary>
    public bool Done { get; private set; }

    /// <summary>Positions before this one were skipped by <c>from</c>: their values are never seen.</summary>
    public double WindowStart { get; set; } = double.NegativeInfinity;

    public double TrackLength => _track.Length.Steps;

    /// <summary>The track's value at <paramref name="x"/>, as a run sees it.</summary>
    public double TrackValue(double x) => _track.Evaluate(x);

    /// <summary>A frame for evaluating a node's values directly, in <paramref name="cycle"/>.</summary>
    public Frame FrameAt(double x, int cycle)
    {
        var frame = _track.NewFrame(x);
        frame.Cycle = cycle;
        return frame;
    }

    /// <summary>Values of a segment or part that varies inside: read the track itself at evenly spaced positions.</summary>
    public void Sample(LaidNode node, Place place)
    {
        var length = node.Length.Times(place.Scale);
        int samples = length.Steps > 0 ? SamplesPerSegment : 0;
        for (int i = 0; i <= samples && !Done; i++)
        {
            var at = place.Start + length.Times(i).DividedBy(SamplesPerSegment);
            double x = at.Steps >= TrackLength ? TrackLength : at.Steps;
            double value = TrackValue(x);
            Value(value, at, node.Span, interior: i > 0 && i < samples && value == 0, sampled: true);
        }
    }

    /// <summary>Judges one value at position <paramref name="x"/>; <paramref name="interior"/> marks a zero inside a segment.</summary>
    public void Value(double value, Length x, TextSpan span, bool interior, bool sampled = false)
    {
        if (Done || x.Steps < WindowStart) return;
        string found = sampled ? $" (a sample of {SamplesPerSegment} per segment; values between samples are checked while the schedule runs)" : "";
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            _layout.Report(DiagnosticDescriptors.NotFinite, span, Layout.Describe(value) + $" at {_layout.FormatPosition(x)}{found}");
            Done = true;
            return;
        }
        if (_info is null) return;
        if (!_info.Allows(value))
        {
            if (_info == TrackCatalogue.LearningRate) _layout.Report(DiagnosticDescriptors.LearningRateNegative, span, Format(value), _layout.FormatPosition(x) + found);
            else _layout.Report(DiagnosticDescriptors.OutOfRange, span, _info.Name, Format(value), _layout.FormatPosition(x) + found, _info.Range);
            Done = true;
            return;
        }
        if (interior && _info.ZeroInsideWarns && !_reportedZero)
        {
            _layout.Report(DiagnosticDescriptors.LearningRateZero, span, _layout.FormatPosition(x));
            _reportedZero = true;
        }
    }

    private static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
