using System.Globalization;
using System.Text;

namespace Sched.Reference.Tests;

/// <summary>One position where the product and the oracle differ.</summary>
public sealed record Mismatch(string Track, double X, double Product, double Oracle, string? Note = null)
{
    public override string ToString()
    {
        string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        return $"track {Track} at x = {R(X)}: product {R(Product)}, oracle {R(Oracle)}" + (Note is null ? "" : $" ({Note})");
    }
}

public enum Outcome { Agree, Disagree, Rejected, Invalid }

public sealed record CheckResult(Outcome Outcome, IReadOnlyList<Mismatch> Mismatches, string? Message = null);

/// <summary>Runs one case through the product (text → Parse → Create → Evaluate) and the oracle, and compares.</summary>
public static class Differential
{
    /// <summary>Stopwatch ticks spent in the product's Parse and Create, for the run summary.</summary>
    public static long ParseTicks;
    /// <summary>
    /// The comparison rule: equal when both are NaN, or |a − b| ≤ 1e-12 × max(1e-300, |a|, |b|) (§7: "agrees with
    /// Sched to rounding of the formulas (1e-12 relative)"). A NaN or infinity on one side only never agrees.
    /// </summary>
    public static bool Same(double product, double oracle)
    {
        if (double.IsNaN(product) || double.IsNaN(oracle)) return double.IsNaN(product) && double.IsNaN(oracle);
        if (double.IsInfinity(product) || double.IsInfinity(oracle)) return product == oracle;
        return Math.Abs(product - oracle) <= 1e-12 * Math.Max(1e-300, Math.Max(Math.Abs(product), Math.Abs(oracle)));
    }

    /// <summary>The positions compared: every integer step to ceil(total) + 2, a few fractional ones, every boundary the
    /// oracle computed and the doubles either side of it, and two negative positions.</summary>
    public static List<double> Positions(Oracle oracle, Random rng)
    {
        var xs = new List<double> { -1, -0.5 };
        int last = (int)Math.Ceiling(oracle.Total) + 2;
        for (int s = 0; s <= last; s++) xs.Add(s);
        for (int i = 0; i < 5; i++) xs.Add(rng.NextDouble() * (oracle.Total + 2));
        var bounds = oracle.Boundaries();
        if (bounds.Count > 400) bounds = bounds.OrderBy(_ => rng.Next()).Take(400).ToList();
        // A reduction holds from its report's position on: each report's position is a boundary.
        bounds.AddRange(oracle.Case.Reports.Select(r => r.Position).Distinct().Take(200));
        foreach (double b in bounds)
        {
            xs.Add(b);
            xs.Add(Math.BitDecrement(b));
            xs.Add(Math.BitIncrement(b));
        }
        return xs.Distinct().ToList();
    }

    /// <summary>Whether the model is a valid run by the reference: it lays out, and every value is finite and in its track's range.</summary>
    public static bool IsValid(RunCase c)
    {
        try
        {
            var withDefaults = c.Overrides.Length == 0 ? null : new Oracle(c with { Overrides = [] });
            var oracle = new Oracle(c);
            var rng = new Random(1);
            foreach (var o in withDefaults is null ? [oracle] : new[] { oracle, withDefaults })
            {
                var xs = Positions(o, rng);
                for (int t = 0; t < o.TrackNames.Count; t++)
                {
                    string name = o.TrackNames[t];
                    foreach (double x in xs)
                    {
                        double v = o.Evaluate(t, x);
                        if (!double.IsFinite(v) || Math.Abs(v) > 1e12) return false;
                        if ((name == "lr" || name == "wd") && v < 0) return false;
                        if ((name is "momentum" or "mom" or "beta2") && !(v >= 0 && v < 1)) return false;
                    }
                }
            }
            return true;
        }
        catch (InvalidModelException)
        {
            return false;
        }
    }

    public static CheckResult Check(RunCase c, int seed = 0, int maxMismatches = 20, string? textOverride = null)
    {
        Oracle oracle;
        try { oracle = new Oracle(c); }
        catch (InvalidModelException e) { return new CheckResult(Outcome.Invalid, [], e.Message); }

        string text = textOverride ?? Printer.Schedule(c.Schedule);
        ISchedule run;
        ScheduleDefinition definition;
        try
        {
            long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
            definition = global::Sched.Schedule.Parse(text);
            run = definition.Create(c.StepsPerEpoch, Printer.Overrides(c));
            ParseTicks += System.Diagnostics.Stopwatch.GetTimestamp() - t0;
        }
        catch (ScheduleException e)
        {
            return new CheckResult(Outcome.Rejected, [], string.Join("; ", e.Diagnostics.Select(d => d.ToString())));
        }

        var mismatches = new List<Mismatch>();
        run = GiveReports(c, definition, run, mismatches);
        if (!Same(run.TotalSteps, oracle.Total)) mismatches.Add(new Mismatch("(total)", double.NaN, run.TotalSteps, oracle.Total, "TotalSteps"));
        var xs = Positions(oracle, new Random(seed));
        for (int t = 0; t < oracle.TrackNames.Count && mismatches.Count < maxMismatches; t++)
        {
            string name = oracle.TrackNames[t];
            int index = run.IndexOf(name);
            if (index < 0) { mismatches.Add(new Mismatch(name, double.NaN, double.NaN, double.NaN, "the product has no such track")); continue; }
            foreach (double x in xs)
            {
                double expected = oracle.Evaluate(t, x), actual;
                try { actual = run.Evaluate(index, x); }
                catch (Exception e) { mismatches.Add(new Mismatch(name, x, double.NaN, expected, "threw " + e.GetType().Name + ": " + e.Message)); continue; }
                if (!Same(actual, expected)) mismatches.Add(new Mismatch(name, x, actual, expected));
                if (mismatches.Count >= maxMismatches) break;
            }
        }
        return new CheckResult(mismatches.Count == 0 ? Outcome.Agree : Outcome.Disagree, mismatches);
    }

    /// <summary>
    /// The case's reports, in order, through the product's public API: at the resume index the state is saved (and written to
    /// bytes and read back when asked) and restored into a fresh schedule that takes the rest; each refused report must throw
    /// an ArgumentException where it is given. Returns the schedule to compare.
    /// </summary>
    static ISchedule GiveReports(RunCase c, ScheduleDefinition definition, ISchedule run, List<Mismatch> mismatches)
    {
        for (int i = 0; i <= c.Reports.Length; i++)
        {
            if (c.ResumeAt == i)
            {
                var state = run.SaveState();
                if (c.ResumeThroughBytes)
                {
                    using var stream = new MemoryStream();
                    using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true)) state.WriteTo(writer);
                    stream.Position = 0;
                    using var reader = new BinaryReader(stream);
                    state = ScheduleState.ReadFrom(reader);
                }
                run = definition.Create(c.StepsPerEpoch, Printer.Overrides(c));
                try { run.RestoreState(state); }
                catch (Exception e) { mismatches.Add(new Mismatch("(state)", i, double.NaN, double.NaN, "RestoreState threw " + e.GetType().Name + ": " + e.Message)); }
            }
            foreach (var (index, bad) in c.BadReports)
            {
                if (index != i) continue;
                Exception? thrown = null;
                try { run.Report(bad.Metric, bad.Value, bad.Position); }
                catch (Exception e) { thrown = e; }
                if (thrown is not ArgumentException)
                    mismatches.Add(new Mismatch("(report)", bad.Position, double.NaN, double.NaN,
                        $"report #{i} of {bad.Metric} at {bad.Position.ToString("R", CultureInfo.InvariantCulture)} is an error (§6), but " + (thrown is null ? "it was taken" : "it threw " + thrown.GetType().Name)));
            }
            if (i == c.Reports.Length) break;
            var r = c.Reports[i];
            try { run.Report(r.Metric, r.Value, r.Position); }
            catch (Exception e) { mismatches.Add(new Mismatch("(report)", r.Position, double.NaN, double.NaN, $"report #{i} threw " + e.GetType().Name + ": " + e.Message)); }
        }
        return run;
    }

    /// <summary>A readable report of a disagreement: the text, the run's arguments, and the first mismatches.</summary>
    public static string Report(RunCase c, CheckResult r, int lines = 8)
    {
        var sb = new StringBuilder();
        sb.Append(Printer.Describe(c)).Append('\n');
        foreach (var m in r.Mismatches.Take(lines)) sb.Append("  ").Append(m).Append('\n');
        if (r.Mismatches.Count > lines) sb.Append($"  … {r.Mismatches.Count - lines} more\n");
        return sb.ToString();
    }
}
