namespace Sched.Samples.FashionMnist;

/// <summary>A schedule to compare: its label, and how to lay it out for a number of steps per epoch and an epoch budget.</summary>
/// <param name="Create">(steps per epoch, epochs) to the schedule and its description (its parameters and their values).</param>
public sealed record CompareEntry(string Label, Func<int, int, (ISchedule Schedule, string Description)> Create)
{
    /// <summary>NAME or PATH.sched, optionally followed by <c>:name=value,...</c>; checked now, constructed once the data is known.</summary>
    public static CompareEntry Resolve(string spec)
    {
        string target = spec;
        var set = new Dictionary<string, string>(StringComparer.Ordinal);
        int colon = spec.LastIndexOf(':');
        if (colon > 0 && spec[(colon + 1)..].Contains('='))
        {
            target = spec[..colon];
            foreach (string pair in spec[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                int eq = pair.IndexOf('=');
                if (eq <= 0) throw new TrainingException($"'{pair}' in '{spec}' is not name=value");
                set[pair[..eq].Trim()] = pair[(eq + 1)..].Trim();
            }
        }
        string setText = set.Count == 0 ? "" : $"({string.Join(", ", set.Select(kv => $"{kv.Key}={kv.Value}"))})";
        if (target.EndsWith(".sched", StringComparison.OrdinalIgnoreCase) || File.Exists(target)) return FromFile(target, set, setText);

        // A class: constructed as training constructs it, with the sample's defaults (ScheduleCatalog.DefaultPeak).
        CatalogueSchedule scheduleClass = ScheduleCatalog.Find(target);
        ScheduleCatalog.CheckSettable(scheduleClass, set.Keys);
        int? Epochs(int budget) => scheduleClass.HasEpochs ? budget : null;
        return new CompareEntry(scheduleClass.Name + setText, (stepsPerEpoch, epochs) =>
        {
            ISchedule schedule = ScheduleCatalog.Create(scheduleClass, stepsPerEpoch, Epochs(epochs), ScheduleCatalog.DefaultPeak(scheduleClass), set, out string description);
            return (schedule, description);
        });
    }

    private static CompareEntry FromFile(string path, Dictionary<string, string> set, string setText)
    {
        if (!File.Exists(path)) throw new TrainingException($"schedule file '{path}' does not exist");
        ScheduleDefinition definition;
        try { definition = Schedule.Parse(File.ReadAllText(path), path); }
        catch (ScheduleException e) { throw new TrainingException($"schedule file '{path}': {e.Message}"); }
        foreach (string name in set.Keys)
        {
            if (definition.Parameters.All(p => p.Name != name))
                throw new TrainingException($"schedule '{definition.Name}' has no parameter '{name}'; it has {string.Join(", ", definition.Parameters.Select(p => p.Name))}");
        }
        bool hasEpochs = definition.Parameters.Any(p => p.Name == "epochs" && p.IsDuration);
        return new CompareEntry(definition.Name + setText, (stepsPerEpoch, epochs) =>
        {
            var values = new Dictionary<string, string>(set);
            if (hasEpochs && !values.ContainsKey("epochs")) values["epochs"] = $"{epochs}ep";
            string description = $"{path}: {string.Join(", ", definition.Parameters.Select(p => $"{p.Name} = {(values.TryGetValue(p.Name, out string? v) ? v : p.DefaultText)}"))}";
            try { return (definition.Create(stepsPerEpoch, values), description); }
            catch (ScheduleException e) { throw new TrainingException($"schedule '{definition.Name + setText}': {e.Message}"); }
        });
    }
}
