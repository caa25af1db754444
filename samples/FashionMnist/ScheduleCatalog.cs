using System.Reflection;

namespace Sched.Samples.FashionMnist;

/// <summary>The generated schedules in namespace Sched.Samples, found by reflection and constructed for one run.</summary>
public static class ScheduleCatalog
{
    /// <summary>Parameter names taken as the schedule's peak learning rate, in order of preference.</summary>
    public static readonly string[] PeakParameters = ["lr_max", "peak", "max_lr", "lr"];

    public static IReadOnlyList<Type> Types { get; } = typeof(FastaiOneCycle).Assembly.GetTypes()
        .Where(t => t.Namespace == "Sched.Samples" && t.IsPublic && !t.IsAbstract && typeof(ISchedule).IsAssignableFrom(t))
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .ToArray();

    public static Type Find(string name) =>
        Types.FirstOrDefault(t => t.Name == name)
        ?? Types.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new TrainingException($"no schedule '{name}' in Sched.Samples; there are {string.Join(", ", Types.Select(t => t.Name))}");

    /// <summary>
    /// Constructs <paramref name="type"/>: <c>stepsPerEpoch</c> when it takes one, <c>epochs</c> as <c>Duration.Epochs(epochs)</c> when
    /// given and taken, the peak parameter (<see cref="PeakParameters"/>) when given; every other parameter keeps its default.
    /// </summary>
    public static ISchedule Create(Type type, int stepsPerEpoch, int? epochs, double? peak, out string description)
    {
        ConstructorInfo constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        ParameterInfo[] parameters = constructor.GetParameters();
        string? peakName = PeakParameters.FirstOrDefault(n => parameters.Any(p => p.Name == n && p.ParameterType == typeof(double)));
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
            else if (IsEpochs(p) && epochs is not null)
            {
                arguments[i] = Duration.Epochs(epochs.Value);
                shown.Add($"{p.Name} = {epochs}ep");
            }
            else if (p.Name == peakName && peak is not null)
            {
                arguments[i] = peak.Value;
                shown.Add($"{p.Name} = {peak.Value.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)}");
            }
            else if (p.HasDefaultValue)
            {
                arguments[i] = p.DefaultValue;
                if (p.DefaultValue is not null) shown.Add($"{p.Name} = {Convert.ToString(p.DefaultValue, System.Globalization.CultureInfo.InvariantCulture)}");
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

    public static bool HasEpochs(Type type) => type.GetConstructors().Any(c => c.GetParameters().Any(IsEpochs));

    public static bool HasPeak(Type type, string name) => type.GetConstructors().Any(c => c.GetParameters().Any(p => p.Name == name && p.ParameterType == typeof(double)));

    private static bool IsEpochs(ParameterInfo p) => p.Name == "epochs" && (p.ParameterType == typeof(Duration) || p.ParameterType == typeof(Duration?));
}
