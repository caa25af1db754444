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
            var changed = schedule.Parameters.Where(p => overrides.TryGetValue(p.Name, out var v) && !SameAsDefault(p, v)).ToArray();
            string message = $"these arguments make schedule '{schedule.Name}' invalid: " +
                string.Join("; ", diagnostics.Where(d => d.IsError).Select(d => d.ToString())) +
                string.Concat(changed.Select(p => AllowedRange(schedule, stepsPerEpoch, overrides, p)));
            throw new ArgumentOutOfRangeException(changed.Length > 0 ? string.Join(", ", changed.Select(p => p.Name)) : nameof(stepsPerEpoch), message);
        }
        var numbers = LaidNumbers.Collect(laid);
        if (numbers.Length != expectedCount)
        {
            throw new InvalidOperationException($"schedule '{schedule.Name}' laid out with {numbers.Length} numbers where its generated class expects {expectedCount}; rebuild the project");
        }
        return numbers;
    }

    /// <summary>
    /// The interval around a number parameter's default in which the schedule stays valid, the other arguments
    /// as given: found by doubling outwards, then bisecting. Only runs when construction has already failed.
    /// </summary>
    private static string AllowedRange(BoundSchedule schedule, int stepsPerEpoch, Dictionary<string, string> overrides, BoundParameter parameter)
    {
        if (parameter.IsDuration || parameter.DefaultValue is not ConstantValue { Value: var start }) return "";
        bool Valid(double value)
        {
            var trial = new Dictionary<string, string>(overrides, StringComparer.Ordinal) { [parameter.Name] = Text(value) };
            var diagnostics = new List<Diagnostic>();
            return schedule.Lay(stepsPerEpoch, trial, diagnostics) is not null && !diagnostics.Any(d => d.IsError);
        }
        double Limit(double direction)
        {
            double inside = start, outside = double.NaN, step = Math.Max(Math.Abs(start), 1e-3);
            for (int doubling = 0; doubling < 64 && double.IsNaN(outside); doubling++, step *= 2)
            {
                double value = start + direction * step;
                if (Valid(value)) inside = value;
                else outside = value;
            }
            if (double.IsNaN(outside)) return direction * double.PositiveInfinity;
            for (int halving = 0; halving < 60; halving++)
            {
                double middle = (inside + outside) / 2;
                if (Valid(middle)) inside = middle;
                else outside = middle;
            }
            return inside;
        }
        if (!Valid(start)) return "";
        double low = Limit(-1), high = Limit(+1);
        string Show(double value) => double.IsInfinity(value) ? (value > 0 ? "+infinity" : "-infinity") : value.ToString("G6", CultureInfo.InvariantCulture);
        return $"; with the other arguments as given, '{parameter.Name}' keeps the schedule valid from {Show(low)} to {Show(high)}";
    }

    /// <summary>A number as the language reads it back exactly.</summary>
    public static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A number argument as text; NaN and infinities are refused here, since the language has no words for them.</summary>
    public static string Text(double value, string parameter) =>
        double.IsNaN(value) || double.IsInfinity(value)
            ? throw new ArgumentOutOfRangeException(parameter, value, $"'{parameter}' must be a finite number")
            : Text(value);

    /// <summary>A duration argument as text, or the parameter's default when none was given.</summary>
    public static string Text(Duration? value, string defaultText) => value?.ToString() ?? defaultText;

    private static bool SameAsDefault(BoundParameter parameter, string value) =>
        parameter.DefaultText == value
        || (!parameter.IsDuration && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)
            && double.TryParse(parameter.DefaultText, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && v == d);
}
