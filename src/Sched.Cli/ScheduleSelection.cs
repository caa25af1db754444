using Sched.Diagnostics;

namespace Sched.Cli;

/// <summary>What <c>eval</c> and <c>plot</c> share: load a file, pick a schedule, lay it out for a run.</summary>
internal static class ScheduleSelection
{
    /// <summary>
    /// Analyzes <paramref name="path"/> and writes its diagnostics (errors and warnings) to stderr;
    /// any error stops the command with exit code 1.
    /// </summary>
    public static IReadOnlyList<ScheduleDefinition> Load(string path, TextWriter stderr)
    {
        var analysis = ScheduleFiles.Analyze(path);
        WriteDiagnostics(analysis.Diagnostics, stderr);
        if (analysis.HasErrors) throw CliException.Failed();
        return analysis.Schedules;
    }

    /// <summary>
    /// The schedule called <paramref name="name"/>, or the file's only schedule when no name is given;
    /// <paramref name="chooseWith"/> is what the user writes to name one.
    /// </summary>
    public static ScheduleDefinition Select(IReadOnlyList<ScheduleDefinition> schedules, string? name, string path, string chooseWith = "--schedule NAME")
    {
        if (schedules.Count == 0)
            throw CliException.Failed($"{path}: error: the file holds no schedule; add one, e.g. 'schedule Warmup over 10ep {{ lr = lin(0 -> 0.1) }}'");

        if (name is null)
        {
            if (schedules.Count == 1) return schedules[0];
            throw CliException.Failed($"{path}: error: the file holds {schedules.Count} schedules ({Names(schedules)}); choose one with {chooseWith}");
        }

        foreach (var schedule in schedules)
            if (schedule.Name == name) return schedule;
        throw CliException.Failed($"{path}: error: no schedule named '{name}'; the file holds {Names(schedules)}");
    }

    /// <summary>
    /// Lays a schedule out with the run's settings; what makes it invalid (a missing steps-per-epoch, a
    /// bad <c>--set</c>) comes back from the runtime as diagnostics, written to stderr (exit 1).
    /// </summary>
    public static ISchedule Create(ScheduleDefinition definition, int stepsPerEpoch, IReadOnlyDictionary<string, string>? set, TextWriter stderr)
    {
        if (definition.UsesEpochs && stepsPerEpoch <= 0)
        {
            throw CliException.Failed($"sched: error SCHED031: schedule '{definition.Name}' counts in epochs; give the number of steps in one epoch with --steps-per-epoch N");
        }
        try
        {
            return definition.Create(stepsPerEpoch, set);
        }
        catch (ScheduleException e)
        {
            WriteDiagnostics(e.Diagnostics, stderr);
            throw CliException.Failed(e.Diagnostics.Count == 0 ? $"sched: schedule '{definition.Name}' is invalid with these settings" : "");
        }
    }

    public static void WriteDiagnostics(IEnumerable<Diagnostic> diagnostics, TextWriter writer)
    {
        foreach (var diagnostic in diagnostics) writer.Write(diagnostic + "\n");
    }

    private static string Names(IEnumerable<ScheduleDefinition> schedules) => string.Join(", ", schedules.Select(s => s.Name));
}
