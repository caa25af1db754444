using System.Globalization;

namespace Sched.Tests;

/// <summary>Assertions that compare schedule values with the closed-form values computed in the tests.</summary>
internal static class Expect
{
    /// <summary>Relative tolerance: the contract asks for 1e-12 relative to the formula in double precision.</summary>
    public const double Relative = 1e-12;

    /// <summary>Absolute tolerance used only where the expected value is exactly zero (relative is meaningless there).</summary>
    public const double ZeroAbsolute = 1e-18;

    /// <summary>Asserts |actual - expected| &lt;= 1e-12 * |expected| (or 1e-18 when expected is 0); NaN always fails.</summary>
    public static void Close(double expected, double actual, string context = "")
    {
        double tolerance = expected == 0 ? ZeroAbsolute : Relative * Math.Abs(expected);
        if (!(Math.Abs(actual - expected) <= tolerance))
        {
            Assert.Fail(string.Create(CultureInfo.InvariantCulture,
                $"{context}: expected {expected:R}, got {actual:R} (difference {actual - expected:R}, tolerance {tolerance:R})"));
        }
    }

    /// <summary>Checks a track at every step in [from, to] against a formula of the step.</summary>
    public static void Track(ISchedule schedule, string track, long from, long to, Func<long, double> expected)
    {
        for (long step = from; step <= to; step++)
        {
            Close(expected(step), schedule.ValueAt(track, step), $"{schedule.Name}.{track} at step {step}");
        }
    }

    /// <summary>Checks one step of a track.</summary>
    public static void At(ISchedule schedule, string track, long step, double expected) =>
        Close(expected, schedule.ValueAt(track, step), $"{schedule.Name}.{track} at step {step}");

    /// <summary>Asserts the text does not compile: Analyze reports at least one error.</summary>
    public static void Error(string text, string? messagePart = null)
    {
        var analysis = Schedule.Analyze(text);
        Assert.True(analysis.HasErrors, $"expected an error for:\n{text}");
        if (messagePart is not null)
        {
            Assert.Contains(analysis.Diagnostics, d => d.IsError && d.Message.Contains(messagePart, StringComparison.OrdinalIgnoreCase));
        }
    }
}

/// <summary>Building schedules from text in one call.</summary>
internal static class Build
{
    /// <summary>Parses one schedule and lays it out; optional overrides as name=value pairs.</summary>
    public static ISchedule Create(string text, int stepsPerEpoch = 0, params (string Name, string Value)[] set)
    {
        var definition = Schedule.Parse(text);
        var overrides = set.Length == 0 ? null : set.ToDictionary(s => s.Name, s => s.Value);
        return definition.Create(stepsPerEpoch, overrides);
    }
}

/// <summary>The segment formulas of docs/language.md §5, written out independently of the runtime's own kernel.</summary>
internal static class Formula
{
    public static double Lin(double a, double b, double p) => a + (b - a) * p;

    public static double Cos(double a, double b, double p) => b + (a - b) * (1 + Math.Cos(Math.PI * p)) / 2;

    public static double Exp(double a, double b, double p) => a * Math.Pow(b / a, p);

    public static double Poly(double a, double b, double p, double power) => b + (a - b) * Math.Pow(1 - p, power);
}
