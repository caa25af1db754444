using System.Globalization;
using System.Reflection;

namespace Sched.Samples.FashionMnist;

/// <summary>
/// The generated schedules in namespace Sched.Samples, found by reflection and constructed for one run, with the sample's defaults;
/// training and <c>compare</c> both construct them here.
/// </summary>
public static class ScheduleCatalog
{
    /// <summary>Parameter names taken as the schedule's peak learning rate, in order of preference.</summary>
    public static readonly string[] PeakParameters = ["lr_max", "peak", "max_lr", "lr"];

    /// <summary>FastaiOneCycle's peak when none is given: tuned for this CNN with SGD + momentum (docs/experiments.md), not the class's Adam-sized 0.001.</summary>
    public const double OneCyclePeak = 0.1;

    public static IReadOnlyList<Type> Types { get; } = typeof(FastaiOneCycle).Assembly.GetTypes()
        .Where(t => t.Namespace == "Sched.Samples" && t.IsPublic && !t.IsAbstract && typeof(ISchedule).IsAssignableFrom(t))
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .ToArray();

    public static Type Find(string name) =>
        Types.FirstOrDefault(t => t.Name == name)
        ?? Types.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new TrainingException($"no schedule '{name}' in Sched.Samples; there are {string.Join(", ", Types.Select(t => t.Name))}");

    /// <summary>The run's length in epochs when none is given: the sample's 3 for a schedule with an <c>epochs</c> duration, else its own.</summary>
    public static int? DefaultEpochs(Type type) => HasEpochs(type) ? TrainingOptions.DefaultEpochs : null;

    /// <summary>The peak when none is given: <see cref="OneCyclePeak"/> for FastaiOneCycle, else the class's own default.</summary>
    public static double? DefaultPeak(Type type) => type == typeof(FastaiOneCycle) ? OneCyclePeak : null;

    /// <summary>The peak parameter <paramref name="type"/> takes (<see cref="PeakParameters"/>), if any.</summary>
    public static string? PeakParameter(Type type)
    {
        ParameterInfo[] parameters = Constructor(type).GetParameters();
        return PeakParameters.FirstOrDefault(n => parameters.Any(p => p.Name == n && p.ParameterType == typeof(double)));
    }

    /// <summary>Checks that every name in <paramref name="names"/> is a number or duration parameter of <paramref name="type"/>.</summary>
    public static void CheckSettable(Type type, IEnumerable<string> names)
    {
        ParameterInfo[] parameters = Constructor(type).GetParameters().Where(p => p.Name != "stepsPerEpoch").ToArray();
        foreach (string name in names)
        {
            if (!parameters.Any(p => p.Name == name && (p.ParameterType == typeof(double) || IsDuration(p))))
                throw new TrainingException($"schedule '{type.Name}' has no parameter '{name}' that can be set; it has {string.Join(", ", parameters.Select(p => p.Name))}");
        }
    }

    /// <summary>
    /// Constructs <paramref name="type"/>: <c>stepsPerEpoch</c> when it takes one, <c>epochs</c> as <c>Duration.Epochs(epochs)</c> when
    /// given and taken, the peak parameter (<see cref="PeakParameters"/>) when given, the parameters named in <paramref name="set"/>
    /// (numbers, or durations in epochs such as <c>5ep</c>; they win over <paramref name="epochs"/> and <paramref name="peak"/>); every
    /// other parameter keeps its default.
    /// </summary>
    /// <param name="description">The class and its arguments, e.g. <c>FastaiOneCycle(epochs = 3ep, lr_max = 0.1, ...)</c>.</param>
    public static ISchedule Create(Type type, int stepsPerEpoch, int? epochs, double? peak, IReadOnlyDictionary<string, string>? set, out string description)
    {
        set ??= new Dictionary<string, string>();
        CheckSettable(type, set.Keys);
        ConstructorInfo constructor = Constructor(type);
        ParameterInfo[] parameters = constructor.GetParameters();
        string? peakName = PeakParameter(type);
        if (epochs is not null && !parameters.Any(IsEpochs))
            throw new TrainingException($"schedule '{type.Name}' has no 'epochs' duration parameter; its length is fixed, so --epochs cannot be given");
        if (peak is not null && peakName is null)
            throw new TrainingException($"schedule '{type.Name}' has none of the parameters {string.Join(", ", PeakParameters)}, so --lr-max cannot be given");

        var arguments = new object?[parameters.Length];
        var shown = new List<string>();
        for (int i = 0; i < parameters.Length; i++)
        {
            ParameterInfo p = parameters[i];
            if (p.Name == "stepsPerEpoch" && p.ParameterType == typeof(int)) arguments[i] = stepsPerEpoch;
            else if (set.TryGetValue(p.Name!, out string? text))
            {
                arguments[i] = p.ParameterType == typeof(double) ? ParseDouble(text, type, p.Name!) : ParseEpochs(text, type, p.Name!);
                shown.Add($"{p.Name} = {text}");
            }
            else if (IsEpochs(p) && epochs is not null)
            {
                arguments[i] = Duration.Epochs(epochs.Value);
                shown.Add($"{p.Name} = {epochs}ep");
            }
            else if (p.Name == peakName && peak is not null)
            {
                arguments[i] = peak.Value;
                shown.Add($"{p.Name} = {peak.Value.ToString("G6", CultureInfo.InvariantCulture)}");
            }
            else if (p.HasDefaultValue)
            {
                arguments[i] = p.DefaultValue;
                if (p.DefaultValue is not null) shown.Add($"{p.Name} = {Convert.ToString(p.DefaultValue, CultureInfo.InvariantCulture)}");
            }
            else throw new TrainingException($"schedule '{type.Name}' needs a value for '{p.Name}', which this sample cannot give");
        }
        try
        {
            var schedule = (ISchedule)constructor.Invoke(arguments);
            description = shown.Count == 0 ? type.Name : $"{type.Name}({string.Join(", ", shown)})";
            return schedule;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw new TrainingException($"schedule '{type.Name}': {e.InnerException.Message}");
        }
    }

    public static bool HasEpochs(Type type) => Constructor(type).GetParameters().Any(IsEpochs);

    private static ConstructorInfo Constructor(Type type) => type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();

    private static bool IsEpochs(ParameterInfo p) => p.Name == "epochs" && IsDuration(p);

    private static bool IsDuration(ParameterInfo p) => p.ParameterType == typeof(Duration) || p.ParameterType == typeof(Duration?);

    private static double ParseDouble(string text, Type type, string name) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)
            ? value
            : throw new TrainingException($"schedule '{type.Name}': {name} = '{text}' is not a number");

    private static Duration ParseEpochs(string text, Type type, string name) =>
        text.EndsWith("ep", StringComparison.Ordinal) && int.TryParse(text[..^2], NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n > 0
            ? Duration.Epochs(n)
            : throw new TrainingException($"schedule '{type.Name}': {name} = '{text}' is not a number of epochs; write e.g. {name}=5ep");
}
