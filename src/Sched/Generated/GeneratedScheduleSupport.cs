using System.ComponentModel;
using System.Globalization;
using Sched.Language;
using Sched.Language.Binding;
using Sched.Language.Diagnostics;
using Sched.Language.Evaluation;

namespace Sched.Generated;

/// <summary>
/// What generated schedule classes call at construction: one layout implementation for generated and
/// interpreted schedules, so both hold the same numbers. Not meant to be called by hand.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GeneratedScheduleSupport
{
    /// <summary>Binds schedule <paramref name="name"/> of a <c>.sched</c> file that the build already checked.</summary>
    public static BoundSchedule Load(string fileText, string path, string name)
    {
        var analysis = SchedCompiler.Analyze(fileText, path);
        var schedule = analysis.Schedules.FirstOrDefault(s => s.Name == name);
        if (analysis.HasErrors || schedule is null)
        {
            throw new InvalidOperationException($"the generated schedule '{name}' no longer compiles: " +
                string.Join("; ", analysis.Diagnostics.Where(d => d.IsError)));
        }
        return schedule;
    }

    /// <summary>
    /// Lays the schedule out and returns its numbers in <see cref="LaidNumbers"/> order. Parameters arrive as
    /// language text (round-trip numbers, durations like <c>10ep</c>); an invalid result throws
    /// <see cref="ArgumentOutOfRangeException"/> naming the parameters that differ from their defaults.
    /// </summary>
    public static double[] Numbers(BoundSchedule schedule, int stepsPerEpoch, string[] names, string[] values, int expectedCount)
    {
        if (schedule.UsesEpochs && stepsPerEpoch <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(stepsPerEpoch), stepsPerEpoch,
                $"schedule '{schedule.Name}' counts in epochs: stepsPerEpoch must be 1 or more");
        }
        for (int i = 0; i < names.Length && !schedule.UsesEpochs; i++)
        {
            // This class was generated without a stepsPerEpoch argument: an epoch count has nothing to mean.
            if (values[i].EndsWith("ep", StringComparison.Ordinal))
            {
                throw new ArgumentOutOfRangeException(names[i], values[i],
                    $"schedule '{schedule.Name}' does not count in epochs and takes no stepsPerEpoch: give '{names[i]}' in steps (Duration.Steps) or as a share of the total (Duration.Percent)");
            }
        }
        var overrides = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < names.Length; i++) overrides[names[i]] = values[i];
        var diagnostics = new List<Diagnostic>();
        var laid = schedule.Lay(stepsPerEpoch, overrides, diagnostics);
        if (laid is null || diagnostics.Any(d => d.IsError))
        {
            var changed = schedule.Parameters.Where((p, i) => i < values.Length && !SameAsDefault(p, values[i])).Select(p => p.Name).ToArray();
            string message = $"these arguments make schedule '{schedule.Name}' invalid: " +
                string.Join("; ", diagnostics.Where(d => d.IsError).Select(d => d.ToString()));
            throw new ArgumentOutOfRangeException(changed.Length > 0 ? string.Join(", ", changed) : nameof(stepsPerEpoch), message);
        }
        var numbers = LaidNumbers.Collect(laid);
        if (numbers.Length != expectedCount)
        {
            throw new InvalidOperationException($"schedule '{schedule.Name}' laid out with {numbers.Length} numbers where its generated class expects {expectedCount}; rebuild the project");
        }
        return numbers;
    }

    /// <summary>A number as the language reads it back exactly.</summary>
    public static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A duration argument as text, or the parameter's default when none was given.</summary>
    public static string Text(Duration? value, string defaultText) => value?.ToString() ?? defaultText;

    private static bool SameAsDefault(BoundParameter parameter, string value) =>
        parameter.DefaultText == value
        || (!parameter.IsDuration && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            && double.TryParse(parameter.DefaultText, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && v == d);
}
