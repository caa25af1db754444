using Sched.Diagnostics;
using Sched.Text;

namespace Sched.Model;

/// <summary>
/// <c>repeat(n, mult = m, every = D) { A }</c>: cycle k lasts the cycle length times <c>m^k</c> and shows A with every length
/// multiplied by <c>m^k</c>; a body shorter than its cycle holds its end value; the last cycle may be cut short.
/// </summary>
public sealed class RepeatNode : TrackNode
{
    public RepeatNode(TextSpan span, ValueNode? count, ValueNode? mult, DurationNode? every, TrackNode body)
        : base(span)
    {
        Count = count;
        Mult = mult;
        Every = every;
        Body = body;
    }

    public ValueNode? Count { get; }

    public ValueNode? Mult { get; }

    public DurationNode? Every { get; }

    public TrackNode Body { get; }

    /// <summary>A body of % durations only and no 'every': the repeat shares the rest among its cycles.</summary>
    internal bool SharesRest => Every is null && Body.Uses == DurationUse.Percent;

    /// <summary>Whether the repeat is (part of) the track's <c>rest</c>.</summary>
    internal bool FillsRest => (Count is null) || SharesRest;

    internal override LaidNode Lay(Layout layout, Length? percentBase, Length rest)
    {
        double? count = Count is null ? null : layout.Constant(Count, percentBase);
        double mult = Mult is null ? 1 : layout.Constant(Mult, percentBase);
        var fallback = new LaidRepeat(Span, Length.Zero, new LaidConstant(Span, Length.Zero, new ConstantValue(Span, 0)), Length.Zero, 1, 0, 1);
        if (count is { } n && !(n > 0 && Layout.IsFinite(n)))
        {
            layout.Report(DiagnosticDescriptors.BadRepeat, Count!.Span, $"a repeat count must be a positive number, not {Layout.Format(n)}");
            return fallback;
        }
        if (!(mult > 0 && Layout.IsFinite(mult)))
        {
            layout.Report(DiagnosticDescriptors.BadRepeat, Mult!.Span, $"'mult' must be a positive number, not {Layout.Format(mult)}");
            return fallback;
        }

        Length cycle;
        LaidNode body;
        bool fillsRest;
        if (Every is not null)
        {
            cycle = Every.Lay(layout, percentBase, Length.Zero);
            if (double.IsInfinity(cycle.Steps))
            {
                layout.CheckFinite(Every.Span, cycle.Steps);
                return fallback;
            }
            if (!layout.Positive(cycle))
            {
                layout.ReportLength(DiagnosticDescriptors.BadRepeat, Every.Span, $"'every' must be a positive duration, not {layout.FormatLength(cycle)}");
                return fallback;
            }
            body = LayBody(layout, cycle);
            fillsRest = count is null;
        }
        else if (SharesRest)
        {
            // Ten cycles over the run: the rest is shared among the cycles in proportion to mult^k.
            layout.UsedRest = true;
            cycle = rest.DividedBy(Weight(count!.Value, mult));
            body = Body.Lay(layout, cycle, Length.Zero);
            fillsRest = false;
        }
        else
        {
            body = Body.Lay(layout, null, Length.Zero);
            cycle = body.Length;
            fillsRest = count is null;
        }
        if (!layout.Holds(body.Length, cycle))
        {
            layout.ReportLength(DiagnosticDescriptors.BodyLongerThanCycle, Span, layout.FormatLength(body.Length), layout.FormatLength(cycle));
        }

        double cycles;
        int last;
        double fraction;
        if (fillsRest)
        {
            layout.UsedRest = true;
            if (!(cycle.Steps > 0))
            {
                layout.Report(DiagnosticDescriptors.BadRepeat, Span, "a repeat that fills the rest needs a cycle longer than 0 steps");
                return fallback;
            }
            if (mult < 1 && rest.Steps >= cycle.Steps / (1 - mult))
            {
                layout.Report(DiagnosticDescriptors.BadRepeat, Span,
                    $"cycles shrink (mult = {Layout.Format(mult)}) and together last only {layout.FormatLength(cycle.DividedBy(1 - mult))}, less than the {layout.FormatLength(rest)} to fill; use mult >= 1 or give a count");
                return fallback;
            }
            cycles = rest.Steps / cycle.Steps;
            // With mult > 1 cycles grow, so far fewer fill the rest: only a constant cycle can make too many.
            if (mult == 1 && !TooMany(layout, cycles)) return fallback;
            (last, fraction) = CyclesIn(rest.Steps, cycle.Steps, mult);
        }
        else
        {
            cycles = count ?? 1;
            if (!TooMany(layout, cycles)) return fallback;
            last = Math.Max(0, (int)Math.Ceiling(cycles) - 1);
            fraction = cycles - last;
        }
        var length = fillsRest || SharesRest ? rest : Offset(last, cycle, mult) + cycle.Times(fraction).Times(Math.Pow(mult, last));
        if (!Layout.IsFinite(length.Steps))
        {
            layout.Report(DiagnosticDescriptors.BadRepeat, Span, $"this repeat's {Layout.Format(cycles)} cycles, each mult = {Layout.Format(mult)} times longer, last longer than any run; lower the count or 'mult'");
            return fallback;
        }
        return new LaidRepeat(Span, length, body, cycle, mult, last, fraction);
    }

    /// <summary>A body inside <c>every</c>: % and <c>rest</c> refer to the cycle.</summary>
    private LaidNode LayBody(Layout layout, Length cycle)
    {
        bool outerUsed = layout.UsedRest, muted = layout.Muted;
        layout.UsedRest = false;
        layout.Muted = true;
        var measured = Body.Lay(layout, cycle, Length.Zero).Length;
        bool bodyUsesRest = layout.UsedRest;
        layout.Muted = muted;
        var laid = Body.Lay(layout, cycle, bodyUsesRest ? cycle - measured : Length.Zero);
        layout.UsedRest = outerUsed;
        return laid;
    }

    /// <summary>Offset of cycle k from the repeat's start, in both forms of <see cref="Length"/> (the steps as <see cref="Timeline.CycleOffset"/> computes them).</summary>
    internal static Length Offset(int k, Length cycle, double mult) =>
        mult == 1 ? cycle.Times(k) : cycle.Times(Math.Pow(mult, k) - 1).DividedBy(mult - 1);

    /// <summary><c>sum of mult^k</c> over the cycles, a fractional last cycle weighing its fraction.</summary>
    private static double Weight(double count, double mult)
    {
        int last = Math.Max(0, (int)Math.Ceiling(count) - 1);
        double fraction = count - last;
        return Timeline.CycleOffset(last, 1, mult) + fraction * Math.Pow(mult, last);
    }

    private bool TooMany(Layout layout, double cycles)
    {
        if (!(cycles > int.MaxValue / 2)) return true;
        layout.Report(DiagnosticDescriptors.BadRepeat, Span, $"this repeat has {Layout.Format(cycles)} cycles; at most {int.MaxValue / 2} are supported");
        return false;
    }

    /// <summary>
    /// The cycles that fill <paramref name="length"/>, as the last cycle K and how much of it runs (docs/language.md §7):
    /// without mult, n = length / cycle; with mult, K is the last cycle starting before the length. Kept apart, not as
    /// K + f, so that a sliver of a last cycle is not rounded away.
    /// </summary>
    private static (int Last, double Fraction) CyclesIn(double length, double cycle, double mult)
    {
        if (length <= 0) return (0, 0);
        if (mult == 1)
        {
            double n = length / cycle;
            int k = Math.Max(0, (int)Math.Ceiling(n) - 1);
            return (k, n - k);
        }
        int last = Timeline.CycleBefore(length, 0, cycle, mult, int.MaxValue / 2);
        return (last, (length - Timeline.CycleOffset(last, cycle, mult)) / (cycle * Math.Pow(mult, last)));
    }

    internal override string WriteModel(ModelWriter w) =>
        w.New("RepeatNode", Span, w.Value(Count), w.Value(Mult), w.Duration(Every), w.Track(Body));

    internal override DurationUse Uses => Every is not null ? Every.Uses : Body.Uses;

    internal override void FindRests(RestFinder finder)
    {
        if (Every is not null)
        {
            var inner = new List<TextSpan>();
            var bodyFinder = finder.Inner(inner, insideRepeat: false);
            Body.FindRests(bodyFinder);
            for (int i = 1; i < inner.Count; i++) finder.Twice(inner[i]);
        }
        else
        {
            Body.FindRests(finder.Inner(new List<TextSpan>(), insideRepeat: true));
        }
        if (FillsRest) finder.RepeatFillingRest(Span);
    }
}

/// <summary>A repeat laid out: cycle k starts at <c>start + CycleOffset(k)</c>, computed, and holds the body scaled by <c>mult^k</c>.</summary>
public sealed class LaidRepeat : LaidNode
{
    internal LaidRepeat(TextSpan span, Length length, LaidNode body, Length cycle, double mult, int lastCycle, double lastFraction)
        : base(span, length)
    {
        Body = body;
        Cycle = cycle;
        Mult = mult;
        LastCycle = lastCycle;
        LastFraction = lastFraction;
    }

    public LaidNode Body { get; }

    /// <summary>Length of cycle 0: the body's, <c>every</c>, or a share of the rest.</summary>
    public Length Cycle { get; }

    public double Mult { get; }

    /// <summary>Index of the last cycle.</summary>
    public int LastCycle { get; }

    /// <summary>How much of the last cycle is run: 1 when it is whole.</summary>
    public double LastFraction { get; }

    public override double Value(ref Frame frame, double start, double scale, double x)
    {
        double cycle = Cycle.Steps * scale;
        int k = Timeline.CycleAt(x, start, cycle, Mult, LastCycle);
        return InCycle(ref frame, start + Timeline.CycleOffset(k, cycle, Mult), Timeline.CycleScale(k, scale, Mult), k, x, left: false);
    }

    public override double End(ref Frame frame, double start, double scale, double end)
    {
        if (LastFraction < 1)
        {
            // Cut short: the value from the left at the cut, with the position variables there.
            double x = frame.X;
            frame.X = end;
            double value = Left(ref frame, start, scale, end);
            frame.X = x;
            return value;
        }
        double cycle = Cycle.Steps * scale;
        int k = LastCycle;
        double cycleStart = start + Timeline.CycleOffset(k, cycle, Mult);
        double cycleScale = Timeline.CycleScale(k, scale, Mult);
        return BodyEnd(ref frame, cycleStart, cycleScale, k);
    }

    public override double Left(ref Frame frame, double start, double scale, double x)
    {
        double cycle = Cycle.Steps * scale;
        int k = Timeline.CycleBefore(x, start, cycle, Mult, LastCycle);
        double cycleStart = start + Timeline.CycleOffset(k, cycle, Mult);
        double cycleScale = Timeline.CycleScale(k, scale, Mult);
        if (k < LastCycle && start + Timeline.CycleOffset(k + 1, cycle, Mult) == x) return BodyEnd(ref frame, cycleStart, cycleScale, k);
        return InCycle(ref frame, cycleStart, cycleScale, k, x, left: true);
    }

    /// <summary>The body in cycle <paramref name="k"/> at <paramref name="x"/>: from the body's end on, its end value.</summary>
    private double InCycle(ref Frame frame, double cycleStart, double cycleScale, int k, double x, bool left)
    {
        int saved = frame.Cycle;
        frame.Cycle = k;
        double bodyEnd = cycleStart + Body.Length.Steps * cycleScale;
        double value = x >= bodyEnd ? Body.End(ref frame, cycleStart, cycleScale, bodyEnd)
            : left ? Body.Left(ref frame, cycleStart, cycleScale, x)
            : Body.Value(ref frame, cycleStart, cycleScale, x);
        frame.Cycle = saved;
        return value;
    }

    private double BodyEnd(ref Frame frame, double cycleStart, double cycleScale, int k)
    {
        int saved = frame.Cycle;
        frame.Cycle = k;
        double value = Body.End(ref frame, cycleStart, cycleScale, cycleStart + Body.Length.Steps * cycleScale);
        frame.Cycle = saved;
        return value;
    }

    internal override void Check(ValueChecker checker, Place place)
    {
        // Cycles are alike unless values differ from cycle to cycle (they read 'cycle' or the position, or lengths scale);
        // under 'from', the cycle cut by the skip and the first whole one after it stand for the rest.
        int whole = FirstWholeCycle(checker, place);
        var cycles = new SortedSet<int> { Math.Max(0, whole - 1), whole };
        if (Body.Reads(Variable.Cycle) || Body.ReadsPosition || Mult != 1)
        {
            for (int k = whole; k <= Math.Min(LastCycle, whole + ValueChecker.CheckedCycles); k++) cycles.Add(k);
            cycles.Add(LastCycle);
        }
        var end = place.Offset(Length);
        foreach (int k in cycles)
        {
            var cycleStart = place.Start + RepeatNode.Offset(k, Cycle.Times(place.Scale), Mult);
            if (cycleStart.Steps > end.Steps || checker.Done) continue;
            Body.Check(checker, place.InCycle(cycleStart, Timeline.CycleScale(k, place.Scale, Mult), k));
        }
    }

    /// <summary>The first cycle starting at or after the skipped part's end (0 when nothing is skipped), at most the last.</summary>
    private int FirstWholeCycle(ValueChecker checker, Place place)
    {
        if (!(checker.WindowStart > place.Start.Steps)) return 0;
        double cycle = Cycle.Steps * place.Scale;
        int k = Timeline.CycleAt(checker.WindowStart, place.Start.Steps, cycle, Mult, LastCycle);
        if (place.Start.Steps + Timeline.CycleOffset(k, cycle, Mult) < checker.WindowStart) k++;
        return Math.Min(k, LastCycle);
    }

    internal override string Emit(CSharpWriter w, Placement at)
    {
        string cycle = w.Local("c", at.Scaled(w.Number(this, "Every")));
        string mult = w.Number(this, "Mult");
        string k = w.Fresh("k");
        w.Line($"int {k} = global::Sched.Model.Timeline.CycleAt({w.Position}, {at.Start}, {cycle}, {mult}, (int){w.Number(this, "LastCycle")});");
        string start = w.Fresh("s");
        // Adding the start 0 changes nothing (offsets are never negative): the interpreter's number, written shorter.
        string offset = $"global::Sched.Model.Timeline.CycleOffset({k}, {cycle}, {mult})";
        w.Line($"double {start} = {(at.Start == "0" ? offset : $"{at.Start} + {offset}")};");
        string scale = w.Fresh("scale");
        w.Line($"double {scale} = global::Sched.Model.Timeline.CycleScale({k}, {at.Scale}, {mult});");
        string bodyEnd = w.Fresh("end");
        w.Line($"double {bodyEnd} = {start} + {w.Number(this, "BodyLength")} * {scale};");
        string result = w.Fresh("v");
        w.Line($"double {result};");
        string savedCycle = w.Cycle;
        w.Cycle = k;
        var inCycle = new Placement(start, scale);
        // The end value a shorter body holds until its cycle ends: the interpreter's, computed at most once a step.
        w.Open($"if ({w.Position} >= {bodyEnd})");
        w.Line($"{result} = {w.InterpretEnd(this, "Body", inCycle, bodyEnd)};");
        w.Close();
        w.Open("else");
        w.Line($"{result} = {Body.Emit(w, inCycle)};");
        w.Close();
        w.Cycle = savedCycle;
        return result;
    }

    internal override void VisitMembers(NumberVisitor visitor, string name)
    {
        visitor.Add(this, "Every", name + "Every", Cycle.Steps);
        visitor.Add(this, "Mult", name + "Mult", Mult);
        visitor.Add(this, "LastCycle", name + "LastCycle", LastCycle);
        visitor.Add(this, "BodyLength", name + "BodyLength", Body.Length.Steps);
        visitor.AddObject(this, "Body", name + "Body", Body, "global::Sched.Model.LaidNode");
        Body.VisitMembers(visitor, name + "Cycle");
    }

    internal override bool Reads(Variable variable) => Body.Reads(variable);

    /// <summary>A plateau phase does not repeat (the binder refuses it inside a repeat): nothing to place.</summary>
    internal override void Place(double start, double scale, List<LaidPlateau> plateaus)
    {
    }

    internal override IEnumerable<LaidNode> Parts => new[] { Body };
}
