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
        DiagnosticReport.Write(analysis.Diagnostics, stderr);
        if (analysis.HasErrors) throw CliException.Failed();
        return analysis.Schedules;
    }

    /// <summary>What <c>check</c>, <c>eval</c> and <c>plot</c> all say of a file without a schedule.</summary>
    public static string NoScheduleMessage(string path) =>
        $"{path}: error: the file holds no schedule; add one, e.g. 'schedule Warmup over 10ep {{ lr = lin(0 -> 0.1) }}'";

    /// <summary>
    /// The schedule called <paramref name="name"/>, or the file's only schedule when no name is given;
    /// <paramref name="chooseWith"/> is what the user writes to name one.
    /// </summary>
    public static ScheduleDefinition Select(IReadOnlyList<ScheduleDefinition> schedules, string? name, string path, string chooseWith = "--schedule NAME")
    {
        if (schedules.Count == 0) throw CliException.Failed(NoScheduleMessage(path));

        if (name is null)
        {
            if (schedules.Count == 1) return schedules[0];
            throw CliException.Failed($"{path}: error: the file holds {schedules.Count} schedules ({Names(schedules)}); choose one with {chooseWith}");
        }

        foreach (var schedule in schedules)
            if (schedule.Name == name) return schedule;
        throw CliException.Failed($"{path}: error: no schedule named '{name}'; the file holds {Names(schedules)}");
    }

    /// <summary>Lays the schedule out with the run's settings and replays <c>--metrics</c> into it.</summary>
    public static ISchedule Create(ScheduleDefinition definition, RunSettings settings, TextWriter stderr)
    {
        var schedule = Create(definition, settings.StepsPerEpoch, settings.Set, stderr);
        if (settings.Metrics is { } metrics) MetricReplay.Apply(schedule, metrics);
        return schedule;
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
            DiagnosticReport.WriteLines(Describe(definition, stepsPerEpoch, set, e.Diagnostics), stderr);
            DiagnosticReport.WriteHelp(e.Diagnostics.Select(d => d.Id), stderr);
            throw CliException.Failed(e.Diagnostics.Count == 0 ? $"sched: schedule '{definition.Name}' is invalid with these settings" : "");
        }
    }

    /// <summary>
    /// The layout's diagnostics as lines, each about what caused it: a bad <c>--set</c> value is reported at the option
    /// (<c>--set peak=1e400: error SCHED010: ...</c>), as is a problem in the file that only that value brings about;
    /// the file's own problems keep their line and column.
    /// </summary>
    internal static IEnumerable<string> Describe(ScheduleDefinition definition, int stepsPerEpoch, IReadOnlyDictionary<string, string>? set, IReadOnlyList<Diagnostic> diagnostics)
    {
        if (set is null || set.Count == 0) return diagnostics.Select(d => d.ToString());

        var withoutSet = Diagnose(definition, stepsPerEpoch, null);
        var alone = set.ToDictionary(pair => pair.Key, pair => Diagnose(definition, stepsPerEpoch, new Dictionary<string, string> { [pair.Key] = pair.Value }));
        var lines = new List<string>();
        foreach (var diagnostic in diagnostics)
        {
            const string SetPrefix = "--set ";
            if (diagnostic.Path.StartsWith(SetPrefix, StringComparison.Ordinal))
            {
                string name = diagnostic.Path.Substring(SetPrefix.Length);
                string pair = set.TryGetValue(name, out var value) ? name + "=" + value : name;
                lines.Add(DiagnosticReport.AtOption(SetPrefix + pair, diagnostic, repeated: $"'{pair}': "));
            }
            else if (withoutSet.Contains(diagnostic))
            {
                lines.Add(diagnostic.ToString());
            }
            else
            {
                // Brought about by the overrides: name the one that does it alone, else all of them.
                var cause = set.Keys.Where(name => alone[name].Contains(diagnostic)).Take(1).DefaultIfEmpty().ToArray();
                var pairs = cause[0] is { } one ? new[] { one } : set.Keys.ToArray();
                lines.Add(DiagnosticReport.AtOption(string.Join(" ", pairs.Select(name => $"{SetPrefix}{name}={set[name]}")), diagnostic));
            }
        }
        return lines;
    }

    private static HashSet<Diagnostic> Diagnose(ScheduleDefinition definition, int stepsPerEpoch, IReadOnlyDictionary<string, string>? set)
    {
        try
        {
            definition.Create(stepsPerEpoch, set);
            return new HashSet<Diagnostic>();
        }
        catch (ScheduleException e)
        {
            return new HashSet<Diagnostic>(e.Diagnostics);
        }
    }

    private static string Names(IEnumerable<ScheduleDefinition> schedules) => string.Join(", ", schedules.Select(s => s.Name));
}
