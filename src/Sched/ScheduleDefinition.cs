using Sched.Language.Binding;

namespace Sched;

/// <summary>A checked schedule, not yet laid out: lay it out for a run with <see cref="Create"/>.</summary>
public sealed class ScheduleDefinition
{
    private readonly BoundSchedule _bound;

    internal ScheduleDefinition(BoundSchedule bound)
    {
        _bound = bound;
        Parameters = bound.Parameters.Select(p => new ScheduleParameter(p.Name, p.IsDuration, p.DefaultText)).ToArray();
    }

    public string Name => _bound.Name;

    /// <summary>The file's namespace, or null when it declares none.</summary>
    public string? Namespace => _bound.Namespace;

    /// <summary>The <c>///</c> comment above the schedule, without the slashes.</summary>
    public string? Documentation => _bound.Documentation;

    /// <summary>The schedule's own source text.</summary>
    public string SourceText => _bound.SourceText;

    public IReadOnlyList<ScheduleParameter> Parameters { get; }

    /// <summary>Track names in declaration order, canonical.</summary>
    public IReadOnlyList<string> TrackNames => _bound.TrackNames;

    /// <summary>Whether laying it out needs a steps-per-epoch (it uses <c>ep</c>, <c>epoch</c> or <c>by epoch</c>).</summary>
    public bool UsesEpochs => _bound.UsesEpochs;

    /// <summary>
    /// Lays the schedule out for a run. <paramref name="stepsPerEpoch"/> is required (positive) when
    /// <see cref="UsesEpochs"/>; <paramref name="set"/> overrides parameters by name with text such as
    /// <c>"0.5"</c> or <c>"10ep"</c>. Throws <see cref="ScheduleException"/> when the result is invalid.
    /// </summary>
    public ISchedule Create(int stepsPerEpoch = 0, IReadOnlyDictionary<string, string>? set = null)
    {
        if (stepsPerEpoch < 0) throw new ArgumentOutOfRangeException(nameof(stepsPerEpoch), stepsPerEpoch, "steps per epoch must be positive");
        var diagnostics = new List<Sched.Language.Diagnostics.Diagnostic>();
        var laid = _bound.Lay(stepsPerEpoch, set, diagnostics);
        if (laid is null || diagnostics.Any(d => d.IsError)) throw new ScheduleException(diagnostics.Where(d => d.IsError).ToArray());
        return new InterpretedSchedule(laid);
    }

    public override string ToString() => Name;
}

/// <summary>A schedule parameter: its name, whether it is a duration, and its default as written.</summary>
public sealed record ScheduleParameter(string Name, bool IsDuration, string DefaultText);
