using Sched.Diagnostics;
using Sched.Language;
using Sched.Model;

namespace Sched;

/// <summary>A checked schedule, not yet laid out: lay it out for a run with <see cref="Create"/>.</summary>
public sealed class ScheduleDefinition
{
    internal ScheduleDefinition(ScheduleModel model)
    {
        Model = model;
        Parameters = model.Parameters.Select(p => new ScheduleParameter(p.Name, p.IsDuration, p.DefaultText)).ToArray();
    }

    /// <summary>The bound schedule, as the build checked it.</summary>
    internal ScheduleModel Model { get; }

    public string Name => Model.Name;

    /// <summary>The file's namespace, or null when it declares none.</summary>
    public string? Namespace => Model.Namespace;

    /// <summary>The <c>///</c> comment above the schedule, without the slashes.</summary>
    public string? Documentation => Model.Documentation;

    /// <summary>The schedule's own source text.</summary>
    public string SourceText => Model.SourceText;

    public IReadOnlyList<ScheduleParameter> Parameters { get; }

    /// <summary>Track names in declaration order, canonical.</summary>
    public IReadOnlyList<string> TrackNames => Model.TrackNames;

    /// <summary>Whether laying it out needs a steps-per-epoch (it uses <c>ep</c>, <c>epoch</c> or <c>by epoch</c>).</summary>
    public bool UsesEpochs => Model.UsesEpochs;

    /// <summary>
    /// Lays the schedule out for a run. <paramref name="stepsPerEpoch"/> is required (1 or more) when
    /// <see cref="UsesEpochs"/>; <paramref name="set"/> overrides parameters by name with text such as
    /// <c>"0.5"</c> or <c>"10ep"</c>. Throws <see cref="ScheduleException"/> when the result is invalid.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stepsPerEpoch"/> is negative, or 0 for a schedule that counts in epochs.</exception>
    /// <exception cref="ScheduleException">The arguments make the schedule invalid; every diagnostic is attached.</exception>
    public ISchedule Create(int stepsPerEpoch = 0, IReadOnlyDictionary<string, string>? set = null)
    {
        if (stepsPerEpoch < 0 || (stepsPerEpoch == 0 && UsesEpochs))
        {
            throw new ArgumentOutOfRangeException(nameof(stepsPerEpoch), stepsPerEpoch, UsesEpochs
                ? $"schedule '{Name}' counts in epochs: pass stepsPerEpoch, the number of optimizer steps in one epoch (1 or more)"
                : "stepsPerEpoch counts optimizer steps in an epoch; it cannot be negative (this schedule does not need it: leave it 0)");
        }
        var diagnostics = new List<Diagnostic>();
        var arguments = SchedCompiler.BindArguments(Model, set, diagnostics);
        var laid = arguments is null ? null : Model.Lay(stepsPerEpoch, arguments, diagnostics);
        if (laid is null || diagnostics.Any(d => d.IsError)) throw new ScheduleException(diagnostics.Where(d => d.IsError).ToArray());
        return new InterpretedSchedule(laid);
    }

    public override string ToString() => Name;
}

/// <summary>A schedule parameter: its name, whether it is a duration, and its default as written.</summary>
public sealed record ScheduleParameter(string Name, bool IsDuration, string DefaultText);
