using System.ComponentModel;
using Sched.Diagnostics;
using Sched.Text;

namespace Sched.Model;

/// <summary>A schedule parameter: a number or a duration, with its default as bound and as written.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ParameterModel
{
    public ParameterModel(string name, TextSpan nameSpan, ValueNode? defaultValue, DurationNode? defaultDuration, string defaultText)
    {
        Name = name;
        NameSpan = nameSpan;
        DefaultValue = defaultValue;
        DefaultDuration = defaultDuration;
        DefaultText = defaultText;
    }

    public string Name { get; }

    public TextSpan NameSpan { get; }

    public bool IsDuration => DefaultDuration is not null;

    public ValueNode? DefaultValue { get; }

    public DurationNode? DefaultDuration { get; }

    public string DefaultText { get; }

    internal string WriteModel(ModelWriter w) =>
        $"new global::Sched.Model.ParameterModel({w.String(Name)}, {w.Span(NameSpan)}, {w.Value(DefaultValue)}, {w.Duration(DefaultDuration)}, {w.String(DefaultText)})";
}

/// <summary>One track of a schedule: its canonical name and its expression, bound.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class TrackModel
{
    public TrackModel(string name, TextSpan nameSpan, TextSpan valueSpan, TrackNode root)
    {
        Name = name;
        NameSpan = nameSpan;
        ValueSpan = valueSpan;
        Root = root;
    }

    /// <summary>Canonical name (<c>mom</c> is <c>momentum</c>).</summary>
    public string Name { get; }

    public TextSpan NameSpan { get; }

    public TextSpan ValueSpan { get; }

    public TrackNode Root { get; }

    internal string WriteModel(ModelWriter w) =>
        $"new global::Sched.Model.TrackModel({w.String(Name)}, {w.Span(NameSpan)}, {w.Span(ValueSpan)}, {w.Track(Root)})";
}

/// <summary>
/// A value given for a schedule parameter at run time: a number or a duration as bound nodes, from a generated
/// class's constructor argument or from <c>--set name=text</c> (then <see cref="Source"/> locates its problems).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ScheduleArgument
{
    public ScheduleArgument(ValueNode? value, DurationNode? duration, SourceText? source = null)
    {
        Value = value;
        Duration = duration;
        Source = source;
    }

    public ValueNode? Value { get; }

    public DurationNode? Duration { get; }

    /// <summary>Where the argument was written, when it was written as text; null for a constructor argument.</summary>
    public SourceText? Source { get; }

    public static ScheduleArgument Number(double value) => new(new ConstantValue(default, value), null);

    public static ScheduleArgument Of(Sched.Duration duration) =>
        new(null, new LiteralDuration(default, duration.Amount, duration.Unit == DurationUnit.None ? DurationUnit.Iteration : duration.Unit));
}

/// <summary>
/// A schedule as the front end bound it: names resolved, defs expanded, kinds decided. The build checks it, the
/// interpreter and generated classes lay it out for a run (<see cref="Lay"/>); generated classes carry it as C#
/// construction code (<see cref="WriteModel"/>), so nothing is parsed at run time.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ScheduleModel
{
    /// <summary>A large steps per epoch, the upper stand-in of build-time checks of values.</summary>
    private const int LargeStepsPerEpoch = 1 << 16;

    public ScheduleModel(SourceText source, string name, TextSpan nameSpan, TextSpan span, string? ns, string? documentation,
        ParameterModel[] parameters, DurationNode? over, TrackModel[] tracks, TextSpan? firstEpochUse, bool countsInEpochs)
    {
        Source = source;
        Name = name;
        NameSpan = nameSpan;
        Span = span;
        Namespace = ns;
        Documentation = documentation;
        Parameters = parameters;
        Over = over;
        Tracks = tracks;
        FirstEpochUse = firstEpochUse;
        CountsInEpochs = countsInEpochs;
        TrackNames = tracks.Select(t => t.Name).ToArray();
    }

    public SourceText Source { get; }

    public string Name { get; }

    public TextSpan NameSpan { get; }

    public TextSpan Span { get; }

    public string? Namespace { get; }

    public string? Documentation { get; }

    /// <summary>The schedule's own text, from <c>schedule</c> to its closing brace; empty when the model came without its text.</summary>
    public string SourceText => Source.Text.Length >= Span.End ? Source[Span] : "";

    public IReadOnlyList<ParameterModel> Parameters { get; }

    public DurationNode? Over { get; }

    public IReadOnlyList<TrackModel> Tracks { get; }

    public IReadOnlyList<string> TrackNames { get; }

    /// <summary>Whether it needs a steps-per-epoch: it uses <c>ep</c>, <c>epoch</c> or <c>by epoch</c>.</summary>
    public bool UsesEpochs => FirstEpochUse is not null;

    /// <summary>Whether it writes durations in epochs (<c>ep</c>), so that messages give lengths in epochs.</summary>
    public bool CountsInEpochs { get; }

    /// <summary>Where the schedule first counts in epochs, for the error when no steps-per-epoch is given.</summary>
    public TextSpan? FirstEpochUse { get; }

    /// <summary>Segments and other nodes in all tracks, for the size limits of generated code.</summary>
    public int Size => Tracks.Sum(t => Count(t.Root));

    private static int Count(TrackNode node) => node switch
    {
        ConcatNode concat => concat.Parts.Sum(Count),
        ModulateNode modulate => 1 + Count(modulate.Inner),
        RepeatNode repeat => 1 + Count(repeat.Body),
        QuantizeNode quantize => 1 + Count(quantize.Inner),
        SkipNode skip => 1 + Count(skip.Inner),
        _ => 1,
    };

    /// <summary>
    /// Lays the schedule out for a run with <paramref name="stepsPerEpoch"/> (0 when it counts no epochs) and
    /// <paramref name="arguments"/> by parameter index (null entries keep the default). Reports to
    /// <paramref name="diagnostics"/>; null when it cannot be laid out or any check fails.
    /// </summary>
    public LaidSchedule? Lay(int stepsPerEpoch, IReadOnlyList<ScheduleArgument?>? arguments, List<Diagnostic> diagnostics, bool checkValues = true)
    {
        if (UsesEpochs && stepsPerEpoch <= 0)
        {
            diagnostics.Add(DiagnosticDescriptors.NeedsStepsPerEpoch.Create(Source, FirstEpochUse ?? NameSpan, $"schedule '{Name}'"));
            return null;
        }
        // A steps per epoch given to a schedule that counts none still serves an argument in epochs ('--set warm=2ep').
        var layout = new Layout(this, Math.Max(0, stepsPerEpoch), stepsPerEpochKnown: true, diagnostics);
        return LayWith(layout, arguments, checkValues);
    }

    /// <summary>
    /// The build's checks, with the defaults: lengths for every steps per epoch (an error only if none lays the schedule
    /// out), values at the smallest steps per epoch that does and at a large one (an error only if both show it).
    /// </summary>
    public IReadOnlyList<Diagnostic> Check()
    {
        if (!UsesEpochs)
        {
            var diagnostics = new List<Diagnostic>();
            LayWith(new Layout(this, 0, stepsPerEpochKnown: true, diagnostics), null, checkValues: true);
            return diagnostics;
        }
        var first = new List<Diagnostic>();
        var layout = new Layout(this, 1, stepsPerEpochKnown: false, first) { Probing = true };
        LayWith(layout, null, checkValues: false);
        if (first.Any(d => d.IsError) || layout.FeasibleLow > layout.FeasibleHigh) return first;
        int low = (int)Math.Min(LargeStepsPerEpoch, Math.Ceiling(layout.FeasibleLow));
        int high = (int)Math.Max(low, Math.Min(LargeStepsPerEpoch, Math.Floor(layout.FeasibleHigh)));
        var runs = new[] { low, high }.Distinct().Select(spe =>
        {
            var found = new List<Diagnostic>();
            LayWith(new Layout(this, spe, stepsPerEpochKnown: false, found), null, checkValues: true);
            return found;
        }).ToArray();
        var inAll = runs.Skip(1).Aggregate(
            new HashSet<(string, TextSpan)>(runs[0].Select(d => (d.Id, d.Span))),
            (set, run) => { set.IntersectWith(run.Select(d => (d.Id, d.Span))); return set; });
        return runs[runs.Length - 1].Where(d => inAll.Contains((d.Id, d.Span))).ToArray();
    }

    private LaidSchedule? LayWith(Layout layout, IReadOnlyList<ScheduleArgument?>? arguments, bool checkValues)
    {
        int errors = layout.ErrorCount;
        if (!ResolveParameters(layout, arguments)) return null;
        var (laid, failed) = LayTracks(layout);
        if (checkValues)
        {
            foreach (var track in laid.Tracks)
            {
                if (!failed.Contains(track.Name)) ValueChecker.Check(track, layout);
            }
        }
        return layout.ErrorCount > errors ? null : laid;
    }

    private bool ResolveParameters(Layout layout, IReadOnlyList<ScheduleArgument?>? arguments)
    {
        bool ok = true;
        for (int i = 0; i < Parameters.Count; i++)
        {
            var parameter = Parameters[i];
            var argument = arguments is not null && i < arguments.Count ? arguments[i] : null;
            if (parameter.IsDuration)
            {
                layout.SetDuration(i, argument?.Duration ?? parameter.DefaultDuration!, argument?.Source);
                continue;
            }
            var value = argument?.Value ?? parameter.DefaultValue!;
            int errors = layout.ErrorCount;
            double number = layout.WithSource(argument?.Source, () => layout.Value(value, null) is ConstantValue c ? c.Value : double.NaN);
            layout.SetNumber(i, number);
            ok &= layout.ErrorCount == errors && Layout.IsFinite(number);
        }
        return ok;
    }

    private (LaidSchedule Laid, HashSet<string> Failed) LayTracks(Layout layout)
    {
        var total = Length.Zero;
        if (Over is not null)
        {
            total = layout.NonNegative(Over.Lay(layout, null, Length.Zero), Over.Span);
        }

        // First pass, silent, with rest = 0: what each track needs besides its rest.
        var measured = new Length[Tracks.Count];
        var usesRest = new bool[Tracks.Count];
        layout.Muted = true;
        for (int i = 0; i < Tracks.Count; i++)
        {
            layout.UsedRest = false;
            measured[i] = Tracks[i].Root.Lay(layout, Over is null ? null : total, Length.Zero).Length;
            usesRest[i] = layout.UsedRest;
        }
        layout.Muted = false;
        if (Over is null) total = Longest(measured);

        // % outside a cycle is a share of 'over'; without it, the longest track sets the total but no percentage.
        Length? percentBase = Over is null ? null : total;
        var laid = new LaidTrack[Tracks.Count];
        var failed = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < Tracks.Count; i++)
        {
            var track = Tracks[i];
            int errors = layout.ErrorCount;
            var rest = Length.Zero;
            if (usesRest[i])
            {
                if (layout.Holds(measured[i], total)) rest = total - measured[i];
                else layout.ReportLength(DiagnosticDescriptors.LongerThanTotal, track.ValueSpan, $"track '{track.Name}' without its 'rest'", layout.FormatLength(measured[i]), layout.FormatLength(total));
            }
            var root = track.Root.Lay(layout, percentBase, rest);
            if (!usesRest[i] && !layout.Holds(root.Length, total))
            {
                layout.ReportLength(DiagnosticDescriptors.LongerThanTotal, track.ValueSpan, $"track '{track.Name}'", layout.FormatLength(root.Length), layout.FormatLength(total));
            }
            else if (!usesRest[i] && layout.ErrorCount == errors && !layout.Holds(root.Length, total, atLeast: true, narrow: false))
            {
                layout.ReportLength(DiagnosticDescriptors.TrackShorterThanTotal, track.NameSpan, track.Name, layout.FormatLength(root.Length), layout.FormatLength(total));
            }
            if (layout.ErrorCount > errors) failed.Add(track.Name);
            laid[i] = new LaidTrack(track.Name, track.ValueSpan, root, total.Steps, layout.StepsPerEpoch);
        }
        return (new LaidSchedule(Name, total, UsesEpochs || layout.ReadEpochs ? layout.StepsPerEpoch : 0, laid), failed);
    }

    /// <summary>The longest of the tracks' lengths; as A + B × stepsPerEpoch only when one is longest for every steps per epoch.</summary>
    private static Length Longest(Length[] lengths)
    {
        var longest = Length.Zero;
        foreach (var length in lengths)
        {
            if (Layout.IsFinite(length.Steps) && length.Steps > longest.Steps) longest = length;
        }
        bool dominates = lengths.All(l => !l.IsAffine || !longest.IsAffine || (l.A <= longest.A && l.B <= longest.B) || !Layout.IsFinite(l.Steps));
        return dominates ? longest : new Length(longest.Steps, longest.Steps, double.NaN);
    }

    /// <summary>
    /// A layout with the defaults, for the shape of generated code: which members it reads depends on the model, not on
    /// the numbers, so any steps per epoch that lays the schedule out will do. Null when none does (the checks say why).
    /// </summary>
    internal LaidSchedule? LayForShape()
    {
        var diagnostics = new List<Diagnostic>();
        if (!UsesEpochs) return LayWith(new Layout(this, 0, stepsPerEpochKnown: true, diagnostics), null, checkValues: false);
        var probe = new Layout(this, 1, stepsPerEpochKnown: false, diagnostics) { Probing = true };
        var laid = LayWith(probe, null, checkValues: false);
        if (laid is not null || probe.FeasibleLow > probe.FeasibleHigh) return laid;
        int spe = (int)Math.Min(LargeStepsPerEpoch, Math.Ceiling(probe.FeasibleLow));
        return LayWith(new Layout(this, spe, stepsPerEpochKnown: false, new List<Diagnostic>()), null, checkValues: false);
    }

    /// <summary>C# code constructing this model, for a generated class (with the helpers <c>__S(start, length)</c> and <c>__source</c> in scope).</summary>
    internal string WriteModel(ModelWriter w)
    {
        // One line per parameter and per track: long, but each reads on its own.
        string parameters = Parameters.Count == 0 ? "new global::Sched.Model.ParameterModel[0]"
            : $"new global::Sched.Model.ParameterModel[]\n    {{\n        {string.Join(",\n        ", Parameters.Select(p => p.WriteModel(w)))},\n    }}";
        string tracks = $"new global::Sched.Model.TrackModel[]\n    {{\n        {string.Join(",\n        ", Tracks.Select(t => t.WriteModel(w)))},\n    }}";
        string firstEpoch = FirstEpochUse is { } at ? w.Span(at) : "null";
        return $"new global::Sched.Model.ScheduleModel(__source, {w.String(Name)}, {w.Span(NameSpan)}, {w.Span(Span)}, {(Namespace is null ? "null" : w.String(Namespace))}, {(Documentation is null ? "null" : w.String(Documentation))},\n    "
            + $"{parameters},\n    {w.Duration(Over)},\n    {tracks},\n    {firstEpoch}, {w.Bool(CountsInEpochs)})";
    }

    public override string ToString() => Name;
}
