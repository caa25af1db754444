using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Sched.Reference.Tests;

/// <summary>
/// Random schedules, evaluated by the product and by the oracle at every integer step, random fractional positions
/// and every boundary (and the doubles either side). CI runs a fixed seed; a long run takes its size and seed from
/// SCHED_ORACLE_COUNT and SCHED_ORACLE_SEED.
/// </summary>
public class RandomDifferentialTests(ITestOutputHelper output)
{
    const int DefaultCount = 2000;
    const int DefaultSeed = 20250611;
    const double MaxRejectionRate = 0.05;

    [Fact]
    public void Product_agrees_with_the_oracle_on_random_schedules()
    {
        int count = int.TryParse(Environment.GetEnvironmentVariable("SCHED_ORACLE_COUNT"), out int n) ? n : DefaultCount;
        int seed = int.TryParse(Environment.GetEnvironmentVariable("SCHED_ORACLE_SEED"), out int s) ? s : DefaultSeed;
        int shrinkLimit = int.TryParse(Environment.GetEnvironmentVariable("SCHED_ORACLE_SHRINK"), out int k) ? k : 4;
        var summary = Run(count, seed, shrinkLimit);
        output.WriteLine(summary.Text);
        Assert.True(summary.Rejected <= MaxRejectionRate * count,
            $"the product rejected {summary.Rejected} of {count} generated schedules (bound {MaxRejectionRate:P0}): the generator drifts from the language\n{summary.Text}");
        Assert.True(summary.Disagreed == 0, $"{summary.Disagreed} of {count} schedules disagree with the reference\n{summary.Text}");
    }

    public sealed record Summary(int Count, int Agreed, int Disagreed, int Rejected, string Text);

    /// <summary>Generates and checks <paramref name="count"/> cases; shrinks the first disagreements of each kind.</summary>
    public static Summary Run(int count, int seed, int shrinkLimit)
    {
        var clock = Stopwatch.StartNew();
        var gen = new Generator(seed);
        int agreed = 0, disagreed = 0, rejected = 0;
        long genTicks = 0;
        var rejections = new Dictionary<string, (int Count, string Example)>();
        var failures = new List<(RunCase Case, CheckResult Result, int Index)>();
        int withPlateaus = 0, plateaus = 0, reports = 0, reductions = 0, reduced = 0, resumed = 0, throughBytes = 0, refused = 0;
        for (int i = 0; i < count; i++)
        {
            long t0 = clock.ElapsedTicks;
            var c = gen.Next("R" + i);
            long t1 = clock.ElapsedTicks;
            var r = Differential.Check(c, seed + i);
            genTicks += t1 - t0;
            var o = new Oracle(c);
            if (o.PlateauCount > 0)
            {
                withPlateaus++;
                plateaus += o.PlateauCount;
                reports += c.Reports.Length;
                reductions += o.ReductionCount;
                if (o.ReductionCount > 0) reduced++;
                if (c.ResumeAt >= 0) { resumed++; if (c.ResumeThroughBytes) throughBytes++; }
                refused += c.BadReports.Length;
            }
            switch (r.Outcome)
            {
                case Outcome.Agree: agreed++; break;
                case Outcome.Rejected:
                    rejected++;
                    // One example per kind of diagnostic (numbers masked), with how often it came.
                    string key = Regex.Replace(r.Message ?? "", @"\(\d+,\d+\)|\d+(\.\d+)?|'[^']*'", "#");
                    if (rejections.TryGetValue(key, out var seen)) rejections[key] = (seen.Count + 1, seen.Example);
                    else rejections[key] = (1, Printer.Describe(c) + "\n  → " + r.Message);
                    break;
                case Outcome.Disagree:
                    disagreed++;
                    failures.Add((c, r, i));
                    break;
                default: throw new InvalidOperationException("the generator handed out an invalid case: " + r.Message);
            }
        }
        double checkSeconds = clock.Elapsed.TotalSeconds;
        var sb = new StringBuilder();
        sb.Append($"seed {seed}: {count} schedules in {checkSeconds:F1} s: {agreed} agree, {disagreed} disagree, {rejected} rejected by the product (generating: {(double)genTicks / Stopwatch.Frequency:F1} s, parsing {(double)Differential.ParseTicks / Stopwatch.Frequency:F1} s)\n");
        sb.Append($"plateau phases: {withPlateaus} schedules with {plateaus} phases, {reports} reports, {reductions} reductions (in {reduced} schedules); {resumed} resumed ({throughBytes} through bytes); {refused} reports refused\n");
        foreach (var (count1, example) in rejections.Values.OrderByDescending(v => v.Count).Take(8))
            sb.Append($"rejected ({count1}×), for example:\n").Append(example).Append('\n');
        // Shrink the first failures, and print each shrunk shape once (numbers masked) to keep the report short.
        var shapes = new Dictionary<string, int>();
        foreach (var (c, r, index) in failures.Take(shrinkLimit))
        {
            var (small, sr) = Shrinker.Shrink(c, r);
            string shape = Regex.Replace(Printer.Schedule(small.Schedule).Replace(small.Schedule.Name, "S"), @"\d+(\.\d+)?(E-?\d+)?", "#");
            if (shapes.TryGetValue(shape, out int seen)) { shapes[shape] = seen + 1; continue; }
            shapes[shape] = 1;
            sb.Append($"\n--- disagreement in schedule #{index}, shrunk to:\n").Append(Differential.Report(small, sr));
        }
        if (failures.Count > 0)
            sb.Append($"\n{Math.Min(failures.Count, shrinkLimit)} of {failures.Count} disagreements shrunk, to {shapes.Count} distinct shapes\n");
        sb.Append($"total time {clock.Elapsed.TotalSeconds:F1} s\n");
        return new Summary(count, agreed, disagreed, rejected, sb.ToString());
    }
}
