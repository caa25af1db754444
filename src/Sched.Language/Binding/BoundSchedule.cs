using Sched.Language.Diagnostics;
using Sched.Language.Evaluation;
using Sched.Language.Text;

namespace Sched.Language.Binding;

/// <summary>A schedule parameter: a number or a duration, with its default as bound and as written.</summary>
public sealed class BoundParameter
{
    internal BoundParameter(string name, TextSpan nameSpan, ValueNode? defaultValue, BoundDuration? defaultDuration, string defaultText)
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

    public BoundDuration? DefaultDuration { get; }

    public string DefaultText { get; }
}

/// <summary>One track of a schedule: its canonical name and its expression, resolved.</summary>
public sealed class BoundTrack
{
    internal BoundTrack(string name, TextSpan nameSpan, TextSpan valueSpan, TrackNode root)
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
}

/// <summary>A schedule whose names are resolved and defs expanded: laid out for a run by <see cref="Lay"/>.</summary>
public sealed class BoundSchedule
{
    internal BoundSchedule(
        SourceText source,
        string name,
        TextSpan nameSpan,
        TextSpan span,
        string? ns,
        string? documentation,
        IReadOnlyList<BoundParameter> parameters,
        BoundDuration? over,
        IReadOnlyList<BoundTrack> tracks,
        TextSpan? firstEpochUse,
        bool countsInEpochs)
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

    /// <summary>The schedule's own text, from <c>schedule</c> to its closing brace.</summary>
    public string SourceText => Source[Span];

    public IReadOnlyList<BoundParameter> Parameters { get; }

    public BoundDuration? Over { get; }

    public IReadOnlyList<BoundTrack> Tracks { get; }

    public IReadOnlyList<string> TrackNames { get; }

    /// <summary>Whether it needs a steps-per-epoch: it uses <c>ep</c>, <c>epoch</c> or <c>by epoch</c>.</summary>
    public bool UsesEpochs => FirstEpochUse is not null;

    /// <summary>Whether it writes durations in epochs (<c>ep</c>), so that messages give lengths in epochs.</summary>
    public bool CountsInEpochs { get; }

    /// <summary>Where the schedule first counts in epochs, for the error when no steps-per-epoch is given.</summary>
    public TextSpan? FirstEpochUse { get; }

    /// <summary>
    /// Lays the schedule out for <paramref name="stepsPerEpoch"/> (0 when unknown) with parameter overrides
    /// written as text (<c>"0.5"</c>, <c>"10ep"</c>). Reports problems to <paramref name="diagnostics"/>; null when it cannot be laid out.
    /// Without <paramref name="checkValues"/> the tracks' ranges are not checked (the generator only needs the tree's shape).
    /// </summary>
    public LaidSchedule? Lay(int stepsPerEpoch, IReadOnlyDictionary<string, string>? overrides, List<Diagnostic> diagnostics, bool checkValues = true)
    {
        var laid = Layout.Lay(this, stepsPerEpoch, overrides, diagnostics);
        if (laid is null || !checkValues) return laid;
        int errors = diagnostics.Count(d => d.IsError);
        ValueChecks.Check(laid, Source, x => SchedCompiler.FormatPosition(this, stepsPerEpoch, null, x), diagnostics);
        return diagnostics.Count(d => d.IsError) > errors ? null : laid;
    }
}
