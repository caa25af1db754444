using System.Diagnostics;
using System.Globalization;
using Microsoft.CodeAnalysis;

namespace Sched.Generators.Tests;

/// <summary>A 20,000-segment track builds, and its generated class gives the segments' values; the emitted size per segment stays small.</summary>
public sealed class LargeFileTests(Xunit.Abstractions.ITestOutputHelper output)
{
    public const int Segments = 20_000;

    /// <summary>Segment i lasts 1 step: lin(a_i -> a_i + 0.01) for even i, cos(a_i -> a_i / 2) for odd i, with a_i = 0.1 + (i mod 7) / 100.</summary>
    public static string Text()
    {
        var parts = new List<string>(Segments);
        for (int i = 0; i < Segments; i++)
        {
            string a = Start(i).ToString("R", CultureInfo.InvariantCulture);
            parts.Add(i % 2 == 0 ? $"lin({a} -> {a} + 0.01, 1it)" : $"cos({a} -> {a} / 2, 1it)");
        }
        return "schedule Long {\n    lr = " + string.Join("\n       + ", parts) + "\n}\n";
    }

    private static double Start(int i) => 0.1 + (i % 7) / 100.0;

    [Fact]
    public void A_20000_segment_track_generates_a_class_that_compiles_and_evaluates_each_segment()
    {
        string text = Text();
        var clock = Stopwatch.StartNew();
        var outcome = GeneratorHarness.Run(new[] { new InMemoryAdditionalText("Schedules/Long.sched", text) }, fast: true);
        double generated = clock.Elapsed.TotalSeconds;

        Assert.Empty(outcome.Result.Diagnostics);
        string source = Assert.Single(outcome.Result.GeneratedSources).SourceText.ToString();
        using var loaded = GeneratorHarness.Load(outcome.Output);
        double compiled = clock.Elapsed.TotalSeconds;
        var schedule = (ISchedule)Activator.CreateInstance(loaded.Assembly.GetType(GeneratorHarness.RootNamespace + ".Long", throwOnError: true)!)!;

        output.WriteLine($"{text.Length:N0} characters of .sched; {source.Length:N0} of C# ({(double)source.Length / Segments:F0} per segment); generated in {generated:F1} s, compiled and loaded by {compiled:F1} s");
        Assert.True(source.Length < 400 * Segments, $"{source.Length / Segments} characters of C# per segment");
        Assert.Equal(Segments, schedule.TotalSteps);
        foreach (int i in new[] { 0, 1, 2, 3, 9_999, 10_000, 19_998, 19_999 })
        {
            double a = Start(i);
            // Half-way through segment i: lin's midpoint a + 0.005, or cos's a * 3/4 (cos(pi/2) = 0, so (a + a/2)/2).
            double expected = i % 2 == 0 ? a + (a + 0.01 - a) * 0.5 : a / 2 + (a - a / 2) * (1 + Math.Cos(Math.PI * 0.5)) / 2;
            Assert.Equal(expected, schedule.Evaluate(0, i + 0.5), 12);
            Assert.Equal(a, schedule.Evaluate(0, i), 12);
        }
    }
}
