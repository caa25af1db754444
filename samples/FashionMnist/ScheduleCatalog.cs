using System.Globalization;
using Sched.Model;

namespace Sched.Samples.FashionMnist;

/// <summary>
/// A generated schedule class as the sample uses it: its name, the parameters its <c>Create</c> takes, whether it counts in
/// epochs, and its <c>Create</c> itself (steps per epoch and arguments by name to an instance).
/// </summary>
public sealed record CatalogueSchedule(
    string Name,
    IReadOnlyList<ParameterModel> Parameters,
    bool UsesEpochs,
    Func<int, IReadOnlyDictionary<string, object>?, ISchedule> Create)
{
    /// <summary>Whether the class takes an <c>epochs</c> duration: the run's length, which <c>--epochs</c> sets.</summary>
    public bool HasEpochs => Parameters.Any(p => p.Name == "epochs" && p.IsDuration);
}

/// <summary>
/// The generated schedules in namespace Sched.Samples, constructed for one run with the sample's defaults through each
/// class's generated <c>Create</c> and <c>Parameters</c>; training and <c>compare</c> both construct them here.
/// </summary>
public static class ScheduleCatalog
{
    /// <summary>Parameter names taken as the schedule's peak learning rate, in order of preference.</summary>
    public static readonly string[] PeakParameters = ["lr_max", "peak", "max_lr", "lr"];

    /// <summary>FastaiOneCycle's peak when none is given: tuned for this CNN with SGD + momentum (docs/experiments.md), not the class's Adam-sized 0.001.</summary>
    public const double OneCyclePeak = 0.1;

    /// <summary>Every schedule class of the sample's <c>.sched</c> files, by name.</summary>
    public static IReadOnlyList<CatalogueSchedule> All { get; } =
    [
        new(nameof(CosinePerEpoch), CosinePerEpoch.Parameters, CosinePerEpoch.UsesEpochs, CosinePerEpoch.Create),
        new(nameof(CyclicalHalfCycle), CyclicalHalfCycle.Parameters, CyclicalHalfCycle.UsesEpochs, CyclicalHalfCycle.Create),
        new(nameof(CyclicalHalving), CyclicalHalving.Parameters, CyclicalHalving.UsesEpochs, CyclicalHalving.Create),
        new(nameof(FastaiOneCycle), FastaiOneCycle.Parameters, FastaiOneCycle.UsesEpochs, FastaiOneCycle.Create),
        new(nameof(FastaiOneCycleEma), FastaiOneCycleEma.Parameters, FastaiOneCycleEma.UsesEpochs, FastaiOneCycleEma.Create),
        new(nameof(FastaiOneCycleSwa), FastaiOneCycleSwa.Parameters, FastaiOneCycleSwa.UsesEpochs, FastaiOneCycleSwa.Create),
        new(nameof(FlatCos), FlatCos.Parameters, FlatCos.UsesEpochs, FlatCos.Create),
        new(nameof(MultiStep), MultiStep.Parameters, MultiStep.UsesEpochs, MultiStep.Create),
        new(nameof(OneCycleSwa), OneCycleSwa.Parameters, OneCycleSwa.UsesEpochs, OneCycleSwa.Create),
        new(nameof(SmithOneCycle), SmithOneCycle.Parameters, SmithOneCycle.UsesEpochs, SmithOneCycle.Create),
        new(nameof(Spikes), Spikes.Parameters, Spikes.UsesEpochs, Spikes.Create),
        new(nameof(TorchOneCycle), TorchOneCycle.Parameters, TorchOneCycle.UsesEpochs, TorchOneCycle.Create),
        new(nameof(WarmRestarts), WarmRestarts.Parameters, WarmRestarts.UsesEpochs, WarmRestarts.Create),
        new(nameof(WarmupPlateau), WarmupPlateau.Parameters, WarmupPlateau.UsesEpochs, WarmupPlateau.Create),
        new(nameof(WarmupStableDecay), WarmupStableDecay.Parameters, WarmupStableDecay.UsesEpochs, WarmupStableDecay.Create),
    ];

    public static CatalogueSchedule Find(string name) =>
        All.FirstOrDefault(s => s.Name == name)
        ?? All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new TrainingException($"no schedule '{name}' in Sched.Samples; there are {string.Join(", ", All.Select(s => s.Name))}");

    /// <summary>The run's length in epochs when none is given: the sample's 3 for a schedule with an <c>epochs</c> duration, else its own.</summary>
    public static int? DefaultEpochs(CatalogueSchedule schedule) => schedule.HasEpochs ? TrainingOptions.DefaultEpochs : null;

    /// <summary>The peak when none is given: <see cref="OneCyclePeak"/> for FastaiOneCycle, else the class's own default.</summary>
    public static double? DefaultPeak(CatalogueSchedule schedule) => schedule.Name == nameof(FastaiOneCycle) ? OneCyclePeak : null;

    /// <summary>The peak parameter <paramref name="schedule"/> takes (<see cref="PeakParameters"/>), if any.</summary>
    public static string? PeakParameter(CatalogueSchedule schedule) =>
        PeakParameters.FirstOrDefault(n => schedule.Parameters.Any(p => p.Name == n && !p.IsDuration));

    /// <summary>Checks that every name in <paramref name="names"/> is a parameter of <paramref name="schedule"/>.</summary>
    public static void CheckSettable(CatalogueSchedule schedule, IEnumerable<string> names)
    {
        foreach (string name in names)
        {
            if (schedule.Parameters.All(p => p.Name != name))
                throw new TrainingException($"schedule '{schedule.Name}' has no parameter '{name}' that can be set; it has {string.Join(", ", schedule.Parameters.Select(p => p.Name))}");
        }
    }

    /// <summary>
    /// Constructs <paramref name="schedule"/> for <paramref name="stepsPerEpoch"/>: <c>epochs</c> as <c>Duration.Epochs(epochs)</c>
    /// when given and taken, the peak parameter (<see cref="PeakParameters"/>) when given, the parameters named in
    /// <paramref name="set"/> (numbers, or durations such as <c>5ep</c>, <c>100it</c>, <c>10%</c>; they win over
    /// <paramref name="epochs"/> and <paramref name="peak"/>); every other parameter keeps its default.
    /// </summary>
    /// <param name="description">The class and its arguments, e.g. <c>FastaiOneCycle(lr_max = 0.1, epochs = 3ep)</c>.</param>
    public static ISchedule Create(CatalogueSchedule schedule, int stepsPerEpoch, int? epochs, double? peak, IReadOnlyDictionary<string, string>? set, out string description)
    {
        set ??= new Dictionary<string, string>();
        CheckSettable(schedule, set.Keys);
        string? peakName = PeakParameter(schedule);
        if (epochs is not null && !schedule.HasEpochs)
            throw new TrainingException($"schedule '{schedule.Name}' has no 'epochs' duration parameter; its length is fixed, so --epochs cannot be given");
        if (peak is not null && peakName is null)
            throw new TrainingException($"schedule '{schedule.Name}' has none of the parameters {string.Join(", ", PeakParameters)}, so --lr-max cannot be given");

        var arguments = new Dictionary<string, object>(StringComparer.Ordinal);
        var shown = new List<string>();
        foreach (ParameterModel p in schedule.Parameters)
        {
            if (set.TryGetValue(p.Name, out string? text))
            {
                arguments[p.Name] = p.IsDuration ? ParseDuration(text, schedule.Name, p.Name) : ParseDouble(text, schedule.Name, p.Name);
                shown.Add($"{p.Name} = {text}");
            }
            else if (p.Name == "epochs" && p.IsDuration && epochs is not null)
            {
                arguments[p.Name] = Duration.Epochs(epochs.Value);
                shown.Add($"{p.Name} = {epochs}ep");
            }
            else if (p.Name == peakName && peak is not null)
            {
                arguments[p.Name] = peak.Value;
                shown.Add($"{p.Name} = {peak.Value.ToString("G6", CultureInfo.InvariantCulture)}");
            }
            // A number keeps its default and is shown with it; a duration's default may depend on the others, so it is left unsaid.
            else if (!p.IsDuration) shown.Add($"{p.Name} = {p.DefaultText}");
        }
        try
        {
            ISchedule created = schedule.Create(stepsPerEpoch, arguments);
            description = shown.Count == 0 ? schedule.Name : $"{schedule.Name}({string.Join(", ", shown)})";
            return created;
        }
        catch (ArgumentException e)
        {
            throw new TrainingException($"schedule '{schedule.Name}': {e.Message}");
        }
    }

    private static double ParseDouble(string text, string schedule, string name) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)
            ? value
            : throw new TrainingException($"schedule '{schedule}': {name} = '{text}' is not a number");

    private static Duration ParseDuration(string text, string schedule, string name)
    {
        (string suffix, Func<double, Duration> unit)[] units = [("ep", Duration.Epochs), ("it", Duration.Steps), ("%", Duration.Percent)];
        foreach (var (suffix, unit) in units)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out double amount)
                && double.IsFinite(amount) && amount >= 0)
            {
                return unit(amount);
            }
        }
        throw new TrainingException($"schedule '{schedule}': {name} = '{text}' is not a duration; write e.g. {name}=5ep, {name}=1000it or {name}=10%");
    }
}
