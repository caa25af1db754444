using System.Globalization;
using Sched.Diagnostics;
using Sched.Text;

namespace Sched.Model;

/// <summary>Whose reduce-on-plateau rule decides when a metric has stopped improving (docs/language.md §6).</summary>
public enum PlateauRule
{
    /// <summary>PyTorch's ReduceLROnPlateau: bad epochs counted through cooldown, reduce when they exceed patience.</summary>
    Torch,

    /// <summary>Keras's ReduceLROnPlateau: cooldown first, no bad epochs counted during it, reduce when they reach patience.</summary>
    Keras,

    /// <summary>fastai's ReduceLROnPlateau: better when <c>value + threshold</c> is below the best (max: <c>value - threshold</c> above it), reduce when waits reach patience, no cooldown.</summary>
    Fastai,
}

/// <summary>How reports are compared with the best so far.</summary>
public enum PlateauMode
{
    /// <summary>Lower is better (a loss).</summary>
    Min,

    /// <summary>Higher is better (an accuracy).</summary>
    Max,
}

/// <summary>
/// <c>plateau(value, duration, on = metric, …)</c>: a phase that starts at <c>value</c> and is multiplied by <c>factor</c>
/// each time the metric stops improving, never below <c>min_lr</c>. Its value at a step is the start value after the
/// reductions decided at or before that step: the only state is the list of those steps and the comparison state.
/// </summary>
public sealed class PlateauNode : TrackNode
{
    public PlateauNode(TextSpan span, ValueNode value, DurationNode duration, string metric, PlateauMode mode, PlateauRule rule, bool relative,
        ValueNode factor, ValueNode patience, ValueNode threshold, ValueNode cooldown, ValueNode minimum, ValueNode eps)
        : base(span)
    {
        Value = value;
        Duration = duration;
        Metric = metric;
        Mode = mode;
        Rule = rule;
        Relative = relative;
        Factor = factor;
        Patience = patience;
        Threshold = threshold;
        Cooldown = cooldown;
        Minimum = minimum;
        Eps = eps;
    }

    public ValueNode Value { get; }

    public DurationNode Duration { get; }

    /// <summary>The metric it watches: the name reports give.</summary>
    public string Metric { get; }

    public PlateauMode Mode { get; }

    public PlateauRule Rule { get; }

    /// <summary>Whether the threshold is relative to the best (PyTorch's 'rel'); absolute otherwise.</summary>
    public bool Relative { get; }

    /// <summary>The factor each reduction multiplies by, in (0, 1).</summary>
    public ValueNode Factor { get; }

    public ValueNode Patience { get; }

    public ValueNode Threshold { get; }

    public ValueNode Cooldown { get; }

    /// <summary>The floor (PyTorch's and Keras's min_lr).</summary>
    public ValueNode Minimum { get; }

    /// <summary>A reduction smaller than this is not made (PyTorch's eps).</summary>
    public ValueNode Eps { get; }

    internal override LaidNode Lay(Layout layout, Length? percentBase, Length rest)
    {
        var length = layout.NonNegative(Duration.Lay(layout, percentBase, rest), Duration is RestDuration ? Span : Duration.Span);
        double value = Number(layout, Value, percentBase, "the start value", v => true, "");
        double factor = Number(layout, Factor, percentBase, "'factor'", f => f > 0 && f < 1, "a number between 0 and 1, such as 0.1");
        double patience = Number(layout, Patience, percentBase, "'patience'", p => p >= 0 && p == Math.Floor(p), "a whole number of reports, 0 or more");
        double threshold = Number(layout, Threshold, percentBase, "'threshold'", t => t >= 0, "0 or more");
        double cooldown = Number(layout, Cooldown, percentBase, "'cooldown'", c => c >= 0 && c == Math.Floor(c), "a whole number of reports, 0 or more");
        double minimum = Number(layout, Minimum, percentBase, "'min_lr'", m => true, "");
        double eps = Number(layout, Eps, percentBase, "'eps'", e => e >= 0, "0 or more");
        var options = new PlateauOptions(Metric, Mode, Rule, Relative, factor, (int)Math.Min(patience, int.MaxValue), threshold, (int)Math.Min(cooldown, int.MaxValue), minimum, eps);
        return new LaidPlateau(Span, length, value, options);
    }

    private static double Number(Layout layout, ValueNode node, Length? percentBase, string what, Func<double, bool> valid, string expected)
    {
        double value = layout.Constant(node, percentBase);
        if (Layout.IsFinite(value) && !valid(value))
        {
            layout.Report(DiagnosticDescriptors.BadArguments, node.Span, $"{what} of plateau must be {expected}, not {Layout.Format(value)}");
        }
        return value;
    }

    internal override string WriteModel(ModelWriter w) =>
        w.New("PlateauNode", Span, w.Value(Value), w.Duration(Duration), w.String(Metric), "global::Sched.Model.PlateauMode." + Mode,
            "global::Sched.Model.PlateauRule." + Rule, w.Bool(Relative), w.Value(Factor), w.Value(Patience), w.Value(Threshold),
            w.Value(Cooldown), w.Value(Minimum), w.Value(Eps));

    internal override DurationUse Uses => Duration.Uses;

    internal override void FindRests(RestFinder finder)
    {
        if (Duration is RestDuration) finder.Rest(Span);
    }
}

/// <summary>The numbers of a plateau phase for one run.</summary>
public sealed record PlateauOptions(string Metric, PlateauMode Mode, PlateauRule Rule, bool Relative, double Factor, int Patience,
    double Threshold, int Cooldown, double Minimum, double Eps);

/// <summary>
/// A plateau phase laid out, with its state: the positions from which each reduction holds, and the values after each.
/// A report at a position decides (by the phase's rule) whether to reduce from there on; evaluation is a binary search
/// over the reductions (O(log reductions), no allocation).
/// </summary>
public sealed class LaidPlateau : LaidNode
{
    private readonly List<double> _positions = new();
    private readonly List<double> _values = new();
    private double _best;
    private int _bad;
    private int _cooldown;

    internal LaidPlateau(TextSpan span, Length length, double start, PlateauOptions options)
        : base(span, length)
    {
        Start = start;
        Options = options;
        _values.Add(start);
        _best = WorstBest;
    }

    /// <summary>The value before any reduction.</summary>
    public double Start { get; }

    public PlateauOptions Options { get; }

    /// <summary>The reductions so far: from which position each holds.</summary>
    public IReadOnlyList<double> ReductionPositions => _positions;

    /// <summary>Where the phase starts and ends in the track, for deciding which reports are its own (set when the track is placed).</summary>
    internal double From { get; set; } = double.NaN;

    internal double To { get; set; } = double.NaN;

    private double WorstBest => Options.Mode == PlateauMode.Min ? double.PositiveInfinity : double.NegativeInfinity;

    /// <summary>The value after the reductions that hold at <paramref name="x"/>.</summary>
    public double At(double x)
    {
        int lo = 0, hi = _positions.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >> 1;
            if (_positions[mid] <= x) lo = mid + 1;
            else hi = mid;
        }
        return _values[lo];
    }

    public override double Value(ref Frame frame, double start, double scale, double x) => At(x);

    public override double End(ref Frame frame, double start, double scale, double end) => At(end);

    public override double Left(ref Frame frame, double start, double scale, double x) => At(x);

    /// <summary>
    /// A report of the watched metric at <paramref name="position"/>: compared with the best by the phase's rule, it may
    /// reduce the value from <paramref name="position"/> on. A NaN report is never better (PyTorch's comparison): it counts
    /// as a report without improvement.
    /// </summary>
    internal void Report(double metric, double position)
    {
        var o = Options;
        switch (o.Rule)
        {
            case PlateauRule.Torch:
                if (IsBetter(metric)) { _best = metric; _bad = 0; }
                else _bad++;
                if (_cooldown > 0) { _cooldown--; _bad = 0; }
                if (_bad > o.Patience) { Reduce(position); _cooldown = o.Cooldown; _bad = 0; }
                break;
            case PlateauRule.Keras:
                if (_cooldown > 0) { _cooldown--; _bad = 0; }
                if (IsBetter(metric)) { _best = metric; _bad = 0; }
                else if (_cooldown == 0)
                {
                    _bad++;
                    if (_bad >= o.Patience)
                    {
                        if (Current > o.Minimum) Reduce(position);
                        _cooldown = o.Cooldown;
                        _bad = 0;
                    }
                }
                break;
            default:
                if (IsBetter(metric)) { _best = metric; _bad = 0; }
                else
                {
                    _bad++;
                    if (_bad >= o.Patience) { Reduce(position); _bad = 0; }
                }
                break;
        }
    }

    private double Current => _values[_values.Count - 1];

    private bool IsBetter(double metric)
    {
        var o = Options;
        if (o.Rule == PlateauRule.Fastai)
        {
            // fastai's TrackerCallback negates min_delta for np.less and compares value - min_delta: value + threshold < best in min mode.
            return o.Mode == PlateauMode.Min ? metric + o.Threshold < _best : metric - o.Threshold > _best;
        }
        if (o.Rule == PlateauRule.Keras)
        {
            return o.Mode == PlateauMode.Min ? metric < _best - o.Threshold : metric > _best + o.Threshold;
        }
        if (o.Mode == PlateauMode.Min)
        {
            return o.Relative ? metric < _best * (1 - o.Threshold) : metric < _best - o.Threshold;
        }
        return o.Relative ? metric > _best * (o.Threshold + 1) : metric > _best + o.Threshold;
    }

    /// <summary><c>max(old × factor, min)</c>, kept only if it lowers the value by more than eps (PyTorch's rule; the others have eps 0).</summary>
    private void Reduce(double position)
    {
        double old = Current;
        double reduced = Math.Max(old * Options.Factor, Options.Minimum);
        if (!(old - reduced > Options.Eps)) return;
        _positions.Add(position);
        _values.Add(reduced);
    }

    /// <summary>The state a checkpoint keeps: reductions, best, bad reports, cooldown left.</summary>
    internal void Write(BinaryWriter writer)
    {
        writer.Write(_positions.Count);
        for (int i = 0; i < _positions.Count; i++)
        {
            writer.Write(_positions[i]);
            writer.Write(_values[i + 1]);
        }
        writer.Write(_best);
        writer.Write(_bad);
        writer.Write(_cooldown);
    }

    /// <summary>A phase's saved state, read whole before any phase takes it, so that a damaged state changes nothing.</summary>
    internal sealed record Saved(double[] Positions, double[] Values, double Best, int Bad, int Cooldown);

    internal Saved Read(BinaryReader reader)
    {
        int count = reader.ReadInt32();
        if (count < 0 || count > 1_000_000) throw new InvalidDataException($"a plateau state with {count} reductions");
        var positions = new double[count];
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            positions[i] = reader.ReadDouble();
            values[i] = reader.ReadDouble();
            if (!Layout.IsFinite(positions[i]) || !Layout.IsFinite(values[i]) || (i > 0 && positions[i] < positions[i - 1]))
            {
                throw new InvalidDataException("a plateau state whose reductions are not finite and in order");
            }
        }
        double best = reader.ReadDouble();
        int bad = reader.ReadInt32(), cooldown = reader.ReadInt32();
        if (bad < 0 || cooldown < 0) throw new InvalidDataException("a plateau state with negative counters");
        return new Saved(positions, values, best, bad, cooldown);
    }

    internal void Restore(Saved saved)
    {
        _positions.Clear();
        _positions.AddRange(saved.Positions);
        _values.RemoveRange(1, _values.Count - 1);
        _values.AddRange(saved.Values);
        _best = saved.Best;
        _bad = saved.Bad;
        _cooldown = saved.Cooldown;
    }

    /// <summary>What identifies the phase in a saved state, so that a state is never restored into another schedule.</summary>
    internal string Signature => string.Format(CultureInfo.InvariantCulture,
        "plateau({0:R},{1},{2},{3},{4},{5:R},{6},{7:R},{8},{9:R},{10:R})",
        Start, Options.Metric, Options.Mode, Options.Rule, Options.Relative, Options.Factor, Options.Patience, Options.Threshold, Options.Cooldown, Options.Minimum, Options.Eps);

    /// <summary>
    /// Every value a run can reach lies between the start and the floor: reductions multiply by a factor in (0, 1) and never
    /// go below min_lr (nor below 0 from a positive start). Where the floor is reached depends on the reports: it is judged
    /// at the phase's start.
    /// </summary>
    internal override void Check(ValueChecker checker, Place place)
    {
        checker.Value(Start, place.Start, Span, interior: false);
        double floor = Options.Minimum < Start ? Math.Max(Options.Minimum, Start > 0 ? 0 : Start) : Start;
        checker.Value(floor, place.Start, Span, interior: false);
    }

    /// <summary>The phase's value depends on reports: generated code asks the phase itself.</summary>
    internal override string Emit(CSharpWriter w, Placement at) => $"{w.Number(this, "Node")}.At({w.Position})";

    internal override void VisitMembers(NumberVisitor visitor, string name) =>
        visitor.AddObject(this, "Node", name + "Plateau", this, "global::Sched.Model.LaidPlateau");

    internal override bool Reads(Variable variable) => false;

    internal override IEnumerable<LaidNode> Parts => Array.Empty<LaidNode>();

    internal override void Place(double start, double scale, List<LaidPlateau> plateaus)
    {
        From = start;
        To = start + Length.Steps * scale;
        plateaus.Add(this);
    }

    internal bool Owns(double position) => position >= From && position < To;
}
