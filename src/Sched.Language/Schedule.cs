using Sched.Diagnostics;
using Sched.Language;

namespace Sched;

/// <summary>Run-time entry point: parse <c>.sched</c> text into definitions, then lay them out as <see cref="ISchedule"/>s.</summary>
public static class Schedule
{
    /// <summary>Checks text without throwing: every diagnostic, and the schedules when there is no error.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> or <paramref name="path"/> is null.</exception>
    public static ScheduleAnalysis Analyze(string text, string path = "<text>")
    {
        if (text is null) throw new ArgumentNullException(nameof(text), "the schedule text is null; pass the contents of a .sched file");
        if (path is null) throw new ArgumentNullException(nameof(path), "the path is null; pass the file's name, or leave the default \"<text>\"");
        var analysis = SchedCompiler.Analyze(text, path);
        var definitions = analysis.HasErrors
            ? Array.Empty<ScheduleDefinition>()
            : analysis.Schedules.Select(s => new ScheduleDefinition(s)).ToArray();
        return new ScheduleAnalysis(analysis.Diagnostics, definitions);
    }

    /// <summary>
    /// Parses text holding exactly one schedule (and any defs). Throws <see cref="ScheduleException"/>
    /// with every diagnostic when the text has errors or holds no schedule or several.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> or <paramref name="path"/> is null.</exception>
    public static ScheduleDefinition Parse(string text, string path = "<text>")
    {
        var all = ParseAll(text, path);
        if (all.Count == 1) return all[0];
        string problem = all.Count == 0
            ? "the text holds no schedule; write one as 'schedule Name over 10ep { lr = ... }'"
            : $"the text holds {all.Count} schedules ({string.Join(", ", all.Select(d => d.Name))}); use Schedule.ParseAll and pick one by name";
        throw new ScheduleException(new[]
        {
            new Diagnostic(DiagnosticDescriptors.BadArguments.Id, DiagnosticSeverity.Error, problem, path, default, new(1, 1), new(1, 1)),
        });
    }

    /// <summary>Parses text holding any number of schedules; throws <see cref="ScheduleException"/> on errors.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> or <paramref name="path"/> is null.</exception>
    public static IReadOnlyList<ScheduleDefinition> ParseAll(string text, string path = "<text>")
    {
        var analysis = Analyze(text, path);
        if (analysis.HasErrors) throw new ScheduleException(analysis.Diagnostics.Where(d => d.IsError).ToArray());
        return analysis.Schedules;
    }
}

/// <summary>What <see cref="Schedule.Analyze"/> found: diagnostics in source order, and the schedules when there is no error.</summary>
public sealed class ScheduleAnalysis
{
    internal ScheduleAnalysis(IReadOnlyList<Diagnostic> diagnostics, IReadOnlyList<ScheduleDefinition> schedules)
    {
        Diagnostics = diagnostics;
        Schedules = schedules;
    }

    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    public IReadOnlyList<ScheduleDefinition> Schedules { get; }

    public bool HasErrors => Diagnostics.Any(d => d.IsError);
}
