using System.Reflection;
using Sched.Samples;

namespace Sched.Generators.Tests;

/// <summary>The sample classes built by the real build (samples/Schedules) against the interpreter on the same text (docs/language.md §10).</summary>
public sealed class SampleDifferentialTests
{
    private static readonly Assembly Samples = typeof(SmithOneCycle).Assembly;

    public static TheoryData<string> SampleSchedules()
    {
        var data = new TheoryData<string>();
        foreach (var (name, _) in SampleTexts()) data.Add(name);
        return data;
    }

    /// <summary>Every schedule of every sample file, with the file's text.</summary>
    private static IEnumerable<(string Name, string Text)> SampleTexts()
    {
        foreach (var file in Directory.GetFiles(SnapshotTests.SamplesDirectory, "*.sched").Order(StringComparer.Ordinal))
        {
            string text = File.ReadAllText(file);
            foreach (var definition in Schedule.ParseAll(text, file)) yield return (definition.Name, text);
        }
    }

    [Fact]
    public void EverySampleSchedule_HasAGeneratedClass_AndNoClassIsExtra()
    {
        var classes = Samples.GetTypes().Where(t => typeof(ISchedule).IsAssignableFrom(t) && t.Namespace == "Sched.Samples").Select(t => t.Name).Order(StringComparer.Ordinal);
        Assert.Equal(SampleTexts().Select(s => s.Name).Order(StringComparer.Ordinal), classes);
        Assert.Equal(15, classes.Count());
    }

    [Theory]
    [MemberData(nameof(SampleSchedules))]
    public void GeneratedClass_EqualsInterpreter_BitForBit(string name)
    {
        string text = SampleTexts().Single(s => s.Name == name).Text;
        var definition = Schedule.ParseAll(text).Single(d => d.Name == name);
        var type = Samples.GetType("Sched.Samples." + name, throwOnError: true)!;
        // 1: an epoch is one step; 7: epoch boundaries off the quarter grid's multiples of 4; 32: a realistic count.
        int[] stepsPerEpoch = definition.UsesEpochs ? [1, 7, 32] : [0];
        foreach (int spe in stepsPerEpoch)
        {
            var interpreted = definition.Create(spe);
            var generated = Construct(type, definition.UsesEpochs, spe, overrides: null);
            string? difference = Differential.FirstDifference(interpreted, generated);
            Assert.True(difference is null, $"{name}, stepsPerEpoch {spe}: {difference}");
        }
    }

    // Non-default arguments reach the same layout through the constructor as through Create(set): numbers doubled, durations kept.
    [Theory]
    [MemberData(nameof(SampleSchedules))]
    public void GeneratedClass_WithArguments_EqualsInterpreter(string name)
    {
        string text = SampleTexts().Single(s => s.Name == name).Text;
        var definition = Schedule.ParseAll(text).Single(d => d.Name == name);
        var type = Samples.GetType("Sched.Samples." + name, throwOnError: true)!;
        var numbers = definition.Parameters.Where(p => !p.IsDuration && double.TryParse(p.DefaultText, System.Globalization.CultureInfo.InvariantCulture, out _))
            .ToDictionary(p => p.Name, p => double.Parse(p.DefaultText, System.Globalization.CultureInfo.InvariantCulture) * 0.5);
        if (numbers.Count == 0) return;
        int spe = definition.UsesEpochs ? 9 : 0;
        var interpreted = definition.Create(spe, numbers.ToDictionary(kv => kv.Key, kv => Differential.R(kv.Value)));
        var generated = Construct(type, definition.UsesEpochs, spe, numbers);
        string? difference = Differential.FirstDifference(interpreted, generated);
        Assert.True(difference is null, $"{name} with {string.Join(", ", numbers.Select(kv => $"{kv.Key}={Differential.R(kv.Value)}"))}: {difference}");
    }

    [Fact]
    public void Constructor_RejectsMissingStepsPerEpoch_AndInvalidArguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SmithOneCycle(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SmithOneCycle(10, peak: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WarmRestarts(10, lr_max: double.NaN));
    }

    /// <summary>Calls the public constructor: stepsPerEpoch first when the schedule uses epochs, then named numbers, the rest defaulted.</summary>
    internal static ISchedule Construct(Type type, bool usesEpochs, int stepsPerEpoch, IReadOnlyDictionary<string, double>? overrides)
    {
        var constructor = type.GetConstructors().Single();
        var parameters = constructor.GetParameters();
        var arguments = new object?[parameters.Length];
        for (int i = 0; i < parameters.Length; i++)
        {
            if (i == 0 && usesEpochs)
            {
                Assert.Equal(("stepsPerEpoch", typeof(int)), (parameters[0].Name, parameters[0].ParameterType));
                arguments[0] = stepsPerEpoch;
                continue;
            }
            Assert.True(parameters[i].HasDefaultValue, $"{type.Name}'s parameter {parameters[i].Name} has no default");
            arguments[i] = overrides is not null && overrides.TryGetValue(parameters[i].Name!, out double value) ? value : parameters[i].DefaultValue;
        }
        try
        {
            return (ISchedule)constructor.Invoke(arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
            throw;
        }
    }
}
