namespace Sched.Cli;

/// <summary>The options that lay a schedule out for a run: <c>--schedule</c>, <c>--steps-per-epoch</c>, <c>--set</c>, <c>--metrics</c>.</summary>
internal sealed record RunSettings(string? ScheduleName, int StepsPerEpoch, IReadOnlyDictionary<string, string>? Set, string? Metrics)
{
    public const string ScheduleOption = "--schedule";
    public const string StepsPerEpochOption = "--steps-per-epoch";
    public const string SetOption = "--set";

    public static readonly string[] Options = { ScheduleOption, StepsPerEpochOption, SetOption, MetricReplay.Option };

    public static RunSettings From(CommandLine line) =>
        new(line.Single(ScheduleOption), line.PositiveInt(StepsPerEpochOption, fallback: 0), ParseSet(line.All(SetOption)), line.Single(MetricReplay.Option));

    /// <summary>
    /// <c>name=value</c> pairs, split on the first '=' (values such as <c>warm=2*5ep</c> keep theirs);
    /// a later <c>--set</c> of the same name wins, as with most command lines.
    /// </summary>
    private static IReadOnlyDictionary<string, string>? ParseSet(IReadOnlyList<string> pairs)
    {
        if (pairs.Count == 0) return null;
        var set = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string pair in pairs)
        {
            int equals = pair.IndexOf('=');
            string name = equals < 0 ? "" : pair.Substring(0, equals).Trim();
            string value = equals < 0 ? "" : pair.Substring(equals + 1).Trim();
            if (name.Length == 0 || value.Length == 0)
                throw CliException.Usage($"sched: --set needs name=value, not '{pair}'; e.g. --set peak=0.5 or --set warm=5ep");
            set[name] = value;
        }

        return set;
    }
}
