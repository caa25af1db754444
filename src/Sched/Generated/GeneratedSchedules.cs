using System.ComponentModel;
using System.Globalization;
using Sched.Diagnostics;
using Sched.Model;

namespace Sched.Generated;

/// <summary>
/// What generated schedule classes call: they carry the model the build checked and lay it out here for each instance,
/// with the constructor's arguments as numbers and durations. The same layout as <c>Schedule.Parse</c>, so both hold
/// the same numbers. Not meant to be called by hand.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class GeneratedSchedules
{
    /// <summary>A number argument; NaN and infinities are refused here, since no schedule can use them.</summary>
    public static ScheduleArgument Number(double value, string parameter) =>
        double.IsNaN(value) || double.IsInfinity(value)
            ? throw new ArgumentOutOfRangeException(parameter, value, $"'{parameter}' must be a finite number")
            : ScheduleArgument.Number(value);

    /// <summary>A duration argument, or null (the parameter's default) when none was given.</summary>
    public static ScheduleArgument? Duration(Duration? value, string parameter)
    {
        if (value is not { } duration) return null;
        if (double.IsNaN(duration.Amount) || double.IsInfinity(duration.Amount))
        {
            throw new ArgumentOutOfRangeException(parameter, duration.Amount, $"'{parameter}' must be a finite duration");
        }
        return ScheduleArgument.Of(duration);
    }

    /// <summary>
    /// A generated class's <c>Create(stepsPerEpoch, arguments)</c>: arguments by parameter name, numbers as <see cref="double"/>
    /// (or another numeric type), durations as <see cref="Sched.Duration"/>; parameters not named keep their defaults.
    /// </summary>
    /// <exception cref="ArgumentException">A name the schedule has no parameter for, or a value of the wrong kind.</exception>
    public static ScheduleArgument?[] Arguments(ScheduleModel model, IReadOnlyDictionary<string, object>? arguments)
    {
        var result = new ScheduleArgument?[model.Parameters.Count];
        if (arguments is null) return result;
        foreach (var pair in arguments)
        {
            int index = -1;
            for (int i = 0; i < model.Parameters.Count; i++)
            {
                if (model.Parameters[i].Name == pair.Key) index = i;
            }
            if (index < 0)
            {
                string has = model.Parameters.Count == 0 ? "no parameters" : "the parameters " + string.Join(", ", model.Parameters.Select(p => p.Name));
                throw new ArgumentException($"schedule '{model.Name}' has no parameter '{pair.Key}'; it has {has}", nameof(arguments));
            }
            var parameter = model.Parameters[index];
            if (parameter.IsDuration)
            {
                result[index] = pair.Value is Sched.Duration duration
                    ? Duration(duration, parameter.Name)
                    : throw new ArgumentException($"'{parameter.Name}' of schedule '{model.Name}' is a duration: give a Sched.Duration (Duration.Epochs(5), Duration.Steps(100), Duration.Percent(10)), not {Describe(pair.Value)}", nameof(arguments));
            }
            else
            {
                result[index] = pair.Value is double or float or int or long or short or byte or decimal
                    ? Number(Convert.ToDouble(pair.Value, CultureInfo.InvariantCulture), parameter.Name)
                    : throw new ArgumentException($"'{parameter.Name}' of schedule '{model.Name}' is a number: give a double, not {Describe(pair.Value)}", nameof(arguments));
            }
        }
        return result;
    }

    private static string Describe(object? value) => value is null ? "null" : $"a {value.GetType().Name} ({value})";

    /// <summary>An instance evaluated by the interpreter: for a model built in code (the LR finder's sweep), not from a file.</summary>
    public static ISchedule Interpret(LaidSchedule laid) => new InterpretedSchedule(laid);

    /// <summary>
    /// Lays the model out for one instance. An invalid result throws <see cref="ArgumentOutOfRangeException"/> naming the
    /// arguments that differ from their defaults, and for each number, the range around its default that stays valid.
    /// </summary>
    public static LaidSchedule Lay(ScheduleModel model, int stepsPerEpoch, ScheduleArgument?[] arguments)
    {
        if (model.UsesEpochs && stepsPerEpoch <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(stepsPerEpoch), stepsPerEpoch,
                $"schedule '{model.Name}' counts in epochs: stepsPerEpoch must be 1 or more (the number of batches in an epoch)");
        }
        for (int i = 0; i < arguments.Length && !model.UsesEpochs; i++)
        {
            // This class was generated without a stepsPerEpoch argument: an epoch count has nothing to mean.
            if (arguments[i]?.Duration is LiteralDuration { Unit: DurationUnit.Epoch })
            {
                string name = model.Parameters[i].Name;
                throw new ArgumentOutOfRangeException(name,
                    $"schedule '{model.Name}' does not count in epochs and takes no stepsPerEpoch: give '{name}' in steps (Duration.Steps) or as a share of the total (Duration.Percent)");
            }
        }
        var diagnostics = new List<Diagnostic>();
        var laid = model.Lay(stepsPerEpoch, arguments, diagnostics);
        if (laid is not null && !diagnostics.Any(d => d.IsError)) return laid;
        var changed = Enumerable.Range(0, model.Parameters.Count).Where(i => i < arguments.Length && arguments[i] is not null && !SameAsDefault(model, i, arguments[i]!)).ToArray();
        string message = $"these arguments make schedule '{model.Name}' invalid: "
            + string.Join("; ", diagnostics.Where(d => d.IsError).Select(d => d.ToString()))
            + string.Concat(changed.Select(i => AllowedRange(model, stepsPerEpoch, arguments, i)));
        throw new ArgumentOutOfRangeException(changed.Length > 0 ? string.Join(", ", changed.Select(i => model.Parameters[i].Name)) : nameof(stepsPerEpoch), message);
    }

    /// <summary>
    /// The interval around a number parameter's default in which the schedule stays valid, the other arguments as
    /// given: found by doubling outwards, then bisecting. Only runs when construction has already failed.
    /// </summary>
    private static string AllowedRange(ScheduleModel model, int stepsPerEpoch, ScheduleArgument?[] arguments, int index)
    {
        var parameter = model.Parameters[index];
        if (parameter.IsDuration || parameter.DefaultValue is not ConstantValue { Value: var start }) return "";
        bool Valid(double value)
        {
            var trial = (ScheduleArgument?[])arguments.Clone();
            trial[index] = ScheduleArgument.Number(value);
            var diagnostics = new List<Diagnostic>();
            return model.Lay(stepsPerEpoch, trial, diagnostics) is not null && !diagnostics.Any(d => d.IsError);
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

    private static bool SameAsDefault(ScheduleModel model, int index, ScheduleArgument argument)
    {
        var parameter = model.Parameters[index];
        if (argument.Value is ConstantValue given) return parameter.DefaultValue is ConstantValue d && d.Value == given.Value;
        return argument.Duration is LiteralDuration literal && parameter.DefaultDuration is LiteralDuration dd && dd.Amount == literal.Amount && dd.Unit == literal.Unit;
    }

    /// <summary>The error for a track index a schedule does not have.</summary>
    public static ArgumentOutOfRangeException TrackOutOfRange(string schedule, int track, int count) => InterpretedSchedule.TrackOutOfRange(schedule, track, count);

    /// <summary>The error for a span too short for every track's value.</summary>
    public static ArgumentException ValuesTooShort(string schedule, int length, int count) => InterpretedSchedule.ValuesTooShort(schedule, length, count);
}
