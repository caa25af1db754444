using System.Collections.Concurrent;
using CsCheck;
using Microsoft.CodeAnalysis;
using Xunit.Abstractions;

namespace Sched.Generators.Tests;

/// <summary>
/// Random valid schedules (<see cref="ScheduleGrammar"/>) through the generator, compiled with Roslyn, loaded and
/// compared bit for bit with the interpreter at every quarter step and past the end (docs/language.md §10).
/// </summary>
public sealed class RandomDifferentialTests(ITestOutputHelper output)
{
    /// <summary>Text that shows a construct of the grammar was used.</summary>
    private static readonly string[] Features =
    [
        "lin(", "cos(", "exp(", "poly(", "const(", "fn(", ") * (", " by epoch", " by 2it", "repeat(2", "repeat(2.5", "mult = 2", "mult = 0.5",
        "every = ", "repeat {", "repeat(mult = 2)", "repeat(every", "rest", "%", "cycle", "tri(", "warm(", "fade(", "half(", "0ep)", "0it)",
        "peak", "over total", "by 0.5ep", "epoch)", "step)", "t)", "p)", "plateau(",
    ];

    private const int BatchSize = 100;
    private const int Batches = 11;
    private static int s_assemblies;

    [Fact]
    public void RandomSchedules_GeneratedClassEqualsInterpreter()
    {
        var tally = new Tally();
        ScheduleGrammar.File.Array[BatchSize].Sample(batch => CheckBatch(batch, tally), iter: Batches, threads: 2,
            print: _ => "(the failing schedule is in the assertion message)");

        output.WriteLine($"{tally.Files} files: {tally.Invalid} rejected by the checker, {tally.Compared} compared; " +
            $"{tally.Layouts} layouts compared ({tally.Reported} with plateau phases, after reports), {tally.RunInvalid} layouts invalid for the chosen stepsPerEpoch in both");
        output.WriteLine("rejections by ID: " + string.Join(", ", tally.InvalidIds.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key} x{kv.Value}")));
        foreach (var example in tally.InvalidExamples.Take(8)) output.WriteLine("rejected example:\n" + example);
        output.WriteLine("compared files using: " + string.Join(", ", Features.Select(f => $"'{f}' x{tally.Features.GetValueOrDefault(f)}")));
        Assert.True(tally.Files >= 1000, $"only {tally.Files} files generated");
        // Every construct of the grammar must actually reach the comparison, or a part of the emitter goes untested.
        Assert.All(Features, f => Assert.True(tally.Features.GetValueOrDefault(f) >= 10, $"only {tally.Features.GetValueOrDefault(f)} compared files use '{f}'"));
        // The grammar is valid by construction: a rejection rate over 20 % means it drifted from the language.
        Assert.True(tally.Invalid < tally.Files / 5, $"{tally.Invalid} of {tally.Files} random files were rejected; first:\n{tally.InvalidExamples.FirstOrDefault()}");
    }

    private static void CheckBatch(string[] batch, Tally tally)
    {
        int assembly = Interlocked.Increment(ref s_assemblies);
        var texts = batch.Select((text, i) => text.Replace(ScheduleGrammar.NamePlaceholder, $"S{i}")).ToArray();
        var files = texts.Select((text, i) => new InMemoryAdditionalText($"Schedules/R{assembly}_{i}.sched", text)).ToArray();
        var outcome = GeneratorHarness.Run(files, assemblyName: $"Random{assembly}", fast: true);
        Assert.Null(outcome.Result.Exception);

        using var loaded = GeneratorHarness.Load(outcome.Output);
        var types = loaded.Assembly.GetTypes().Where(t => typeof(ISchedule).IsAssignableFrom(t)).ToDictionary(t => t.Name);
        for (int i = 0; i < texts.Length; i++)
        {
            Interlocked.Increment(ref tally.Files);
            var errors = outcome.Result.Diagnostics
                .Where(d => d.Severity == DiagnosticSeverity.Error && d.Location.GetLineSpan().Path == files[i].Path)
                .ToArray();
            ScheduleDefinition? definition = null;
            try { definition = Schedule.Parse(texts[i]); }
            catch (ScheduleException) { }
            Assert.True((definition is null) == (errors.Length > 0), $"the generator and Schedule.Parse disagree on:\n{texts[i]}");
            if (definition is null)
            {
                Interlocked.Increment(ref tally.Invalid);
                tally.InvalidExamples.Add(texts[i] + string.Join("\n", errors.Select(GeneratorHarness.Format)));
                foreach (var id in errors.Select(e => e.Id).Distinct()) tally.InvalidIds.AddOrUpdate(id, 1, (_, n) => n + 1);
                continue;
            }
            Interlocked.Increment(ref tally.Compared);
            foreach (string feature in Features.Where(f => texts[i][texts[i].IndexOf($"schedule S{i}", StringComparison.Ordinal)..].Contains(f, StringComparison.Ordinal))) tally.Features.AddOrUpdate(feature, 1, (_, n) => n + 1);
            Assert.True(types.TryGetValue($"S{i}", out var type), $"no class was generated for a valid schedule:\n{texts[i]}");
            Compare(definition, type!, texts[i], tally);
        }
    }

    private static void Compare(ScheduleDefinition definition, Type type, string text, Tally tally)
    {
        // 3: epochs of few steps, boundaries between quarter steps; 10: more steps than the quarter grid resolves.
        // With parameters, also a non-default peak: the constructor's arguments and Create's overrides must agree.
        var overrides = definition.Parameters.Any(p => p.Name == "peak")
            ? new Dictionary<string, double> { ["peak"] = double.Parse(definition.Parameters.Single(p => p.Name == "peak").DefaultText, System.Globalization.CultureInfo.InvariantCulture) * 0.5 }
            : null;
        foreach (var (spe, set) in (definition.UsesEpochs ? new[] { 3, 10 } : new[] { 0 }).SelectMany(spe => new[] { (spe, (Dictionary<string, double>?)null), (spe, overrides) }).Distinct())
        {
            ISchedule? interpreted = null, generated = null;
            Exception? interpreterError = null, generatedError = null;
            try { interpreted = definition.Create(spe, set?.ToDictionary(kv => kv.Key, kv => Differential.R(kv.Value))); }
            catch (ScheduleException e) { interpreterError = e; }
            try { generated = SampleDifferentialTests.Construct(type, definition.UsesEpochs, spe, set); }
            catch (ArgumentOutOfRangeException e) { generatedError = e; }
            // A layout valid at the checker's stand-in steps-per-epoch may be invalid at this one; then both must refuse.
            Assert.True((interpreterError is null) == (generatedError is null),
                $"stepsPerEpoch {spe}{(set is null ? "" : ", peak halved")}: interpreter {interpreterError?.Message ?? "ok"}, generated {generatedError?.Message ?? "ok"}:\n{text}");
            if (interpreted is null)
            {
                Interlocked.Increment(ref tally.RunInvalid);
                continue;
            }
            Interlocked.Increment(ref tally.Layouts);
            string? difference = Differential.FirstDifference(interpreted, generated!);
            Assert.True(difference is null, $"stepsPerEpoch {spe}{(set is null ? "" : ", peak halved")}: {difference}\n{text}");
            if (interpreted.Metrics.Count > 0) CompareAfterReports(definition, spe, set, interpreted, generated!, text, tally);
        }
    }

    /// <summary>
    /// Plateau phases: the same reports to both forms (every metric, on a grid over the run; better, flat and NaN values), the
    /// same values after them, and the generated form's state restored into a fresh interpreted one gives the same values too.
    /// </summary>
    private static void CompareAfterReports(ScheduleDefinition definition, int spe, Dictionary<string, double>? set, ISchedule interpreted,
        ISchedule generated, string text, Tally tally)
    {
        Assert.Equal(interpreted.Metrics, generated.Metrics);
        double grid = Math.Max(1, Math.Floor(interpreted.TotalSteps / 12));
        double[] values = [1.0, 0.9, 0.9, 0.95, double.NaN, 0.9, 0.8, 0.85, 0.85, 0.85, 0.7, 0.75, 0.75];
        for (int k = 0; k < values.Length; k++)
        {
            foreach (string metric in interpreted.Metrics)
            {
                interpreted.Report(metric, values[k], (k + 1) * grid);
                generated.Report(metric, values[k], (k + 1) * grid);
            }
        }
        string? difference = Differential.FirstDifference(interpreted, generated);
        Assert.True(difference is null, $"stepsPerEpoch {spe}, after reports: {difference}\n{text}");
        var restored = definition.Create(spe, set?.ToDictionary(kv => kv.Key, kv => Differential.R(kv.Value)));
        restored.RestoreState(generated.SaveState());
        difference = Differential.FirstDifference(restored, generated);
        Assert.True(difference is null, $"stepsPerEpoch {spe}, restored: {difference}\n{text}");
        Interlocked.Increment(ref tally.Reported);
    }

    private sealed class Tally
    {
        public int Files;
        public int Invalid;
        public int Compared;
        public int Layouts;
        public int RunInvalid;
        public int Reported;
        public readonly ConcurrentBag<string> InvalidExamples = new();
        public readonly ConcurrentDictionary<string, int> InvalidIds = new();
        public readonly ConcurrentDictionary<string, int> Features = new();
    }
}
