namespace Sched.EndToEnd.Tests;

/// <summary>The files of the consumer projects, and the closed form their schedule must follow.</summary>
internal static class ConsumerSources
{
    public const int StepsPerEpoch = 10;

    /// <summary>20 epochs of 10 steps: a linear warm-up over <c>warm</c>, then cosine annealing; momentum cycled against it.</summary>
    public const string OneCycleSched = """
        /// One cycle for the end-to-end test: linear warm-up, cosine annealing, momentum cycled against it.
        schedule OneCycle(peak = 0.1, warm = 6ep) over 20ep {
            lr       = lin(peak/25 -> peak, warm) + cos(peak -> peak/1e4, rest)
            momentum = cos(0.95 -> 0.85, warm) + cos(0.85 -> 0.95, rest)
        }

        """;

    /// <summary>A second schedule for the library, with a duration parameter (an optional argument of a nullable type).</summary>
    public const string FlatSched = """
        /// Flat, then down to zero.
        schedule Flat(level = 0.01, hold = 5it) over 10it {
            lr = const(level, hold) + lin(level -> 0, rest)
        }

        """;

    /// <summary>The steps printed: the ends, both sides of the phase boundary, a fractional step, past the end.</summary>
    public static readonly double[] Steps = [0, 1, 30, 59, 59.5, 60, 61, 130, 199, 200, 250];

    /// <summary>
    /// Prints, for the defaults and for explicit arguments, one line per step:
    /// <c>label step lr momentum interpretedLr interpretedMomentum</c> in round-trip format.
    /// </summary>
    public static readonly string OneCycleProgram = $$"""
        using System.Globalization;
        using Consumer;
        using Sched;

        double[] steps = { {{string.Join(", ", Steps.Select(s => s.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}} };
        var definition = Schedule.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Schedules", "onecycle.sched")), "onecycle.sched");

        Print("default", new OneCycle(stepsPerEpoch: {{StepsPerEpoch}}), definition.Create({{StepsPerEpoch}}));
        Print("custom", new OneCycle(stepsPerEpoch: {{StepsPerEpoch}}, peak: 0.2, warm: Duration.Steps(50)),
            definition.Create({{StepsPerEpoch}}, new Dictionary<string, string> { ["peak"] = "0.2", ["warm"] = "50it" }));

        void Print(string label, OneCycle generated, ISchedule interpreted)
        {
            ISchedule schedule = generated;
            Console.WriteLine($"{label} name {schedule.Name} total {R(schedule.TotalSteps)} tracks {string.Join(",", schedule.TrackNames)}");
            int lr = interpreted.IndexOf("lr"), momentum = interpreted.IndexOf("momentum");
            foreach (double step in steps)
            {
                Console.WriteLine(string.Join(" ", label, R(step), R(generated.LearningRate(step)), R(generated.Momentum(step)),
                    R(interpreted.Evaluate(lr, step)), R(interpreted.Evaluate(momentum, step))));
            }
        }

        static string R(double value) => value.ToString("R", CultureInfo.InvariantCulture);

        """;

    /// <summary><see cref="OneCycleSched"/> by hand: the language's formulas for lin and cos, held at the end.</summary>
    public static (double Lr, double Momentum) Expected(double peak, double warm, double step)
    {
        const double total = 20 * StepsPerEpoch;
        double x = Math.Min(Math.Max(step, 0), total);
        if (x < warm)
        {
            double p = x / warm;
            return (Lin(peak / 25, peak, p), Cos(0.95, 0.85, p));
        }
        double q = (x - warm) / (total - warm);
        return (Cos(peak, peak / 1e4, q), Cos(0.85, 0.95, q));
    }

    private static double Lin(double a, double b, double p) => a + (b - a) * p;

    private static double Cos(double a, double b, double p) => b + (a - b) * (1 + Math.Cos(Math.PI * p)) / 2;

    /// <summary>A schedule whose warm-up has no unit: SCHED004 at line 3, column 37 (the <c>6</c>).</summary>
    public const string BrokenSched = """
        /// Broken on purpose: the warm-up's duration has no unit.
        schedule OneCycle(peak = 0.1) over 20ep {
            lr       = lin(peak/25 -> peak, 6) + cos(peak -> peak/1e4, rest)
        }

        """;

    /// <summary>Uses nothing generated, so that the .sched file's error is the build's only one.</summary>
    public const string PlainProgram = """
        Console.WriteLine("built");

        """;
}
