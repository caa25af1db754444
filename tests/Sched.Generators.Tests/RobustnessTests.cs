using System.Collections.Concurrent;
using CsCheck;
using Microsoft.CodeAnalysis;
using Xunit.Abstractions;

namespace Sched.Generators.Tests;

/// <summary>
/// Hostile input (<see cref="Mutations"/>) never crashes the generator, is only ever reported as SCHED diagnostics,
/// and whatever the generator writes compiles.
/// </summary>
public sealed class RobustnessTests(ITestOutputHelper output)
{
    private const int BatchSize = 500;
    private const int Batches = 20;
    private static int s_batches;

    [Fact]
    public void MutatedFiles_NeverCrash_ReportOnlySched_AndGeneratedCodeCompiles()
    {
        var seeds = Mutations.Seeds(SnapshotTests.SamplesDirectory);
        var tally = new Tally();
        Mutations.File(seeds).Array[BatchSize].Sample(batch => CheckBatch(batch, tally), iter: Batches, threads: 2, print: _ => "(see the failures listed by the test)");

        output.WriteLine($"{tally.Files} files: {tally.Rejected} with SCHED errors, {tally.Classes} classes generated and compiled");
        output.WriteLine("compiler warnings in generated code: " + string.Join(", ", tally.Warnings.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key} x{kv.Value}")));
        Assert.True(tally.Files >= 10_000);
        // One line per kind of failure, with the shortest file that shows it.
        var failures = tally.Failures.GroupBy(f => f.Kind).Select(g => g.OrderBy(f => f.File.Length).First()).OrderBy(f => f.Kind).ToArray();
        Assert.True(failures.Length == 0, $"{tally.Failures.Count} failures of {failures.Length} kinds:\n" +
            string.Join("\n\n", failures.Select(f => $"{f.Kind}: {f.Detail}\n--- file ---\n{Visible(f.File)}\n------------")));
    }

    private static void CheckBatch(string[] batch, Tally tally)
    {
        int b = Interlocked.Increment(ref s_batches);
        // A namespace per file: classes of different files never collide (that case has its own test).
        var texts = batch.Select((text, i) => $"namespace Fuzz{b}_{i};\n{text}").ToArray();
        var files = texts.Select((text, i) => (AdditionalText)new InMemoryAdditionalText($"Schedules/F{b}_{i}.sched", text)).ToArray();
        var outcome = GeneratorHarness.Run(files, assemblyName: $"Fuzz{b}", fast: true);
        Interlocked.Add(ref tally.Files, texts.Length);

        if (outcome.Result.Exception is { } exception)
        {
            // Find the file that throws, so the failure shows it.
            int culprit = Enumerable.Range(0, files.Length).FirstOrDefault(i => GeneratorHarness.Run(new[] { files[i] }, fast: true).Result.Exception is not null, -1);
            tally.Failures.Add(new("generator threw " + exception.GetType().Name, exception.Message, culprit < 0 ? "(only together)" : texts[culprit]));
            return;
        }
        foreach (var diagnostic in outcome.DriverDiagnostics.Concat(outcome.Result.Diagnostics).Where(d => !d.Id.StartsWith("SCHED", StringComparison.Ordinal)))
        {
            tally.Failures.Add(new("non-SCHED diagnostic " + diagnostic.Id, diagnostic.ToString(), FileOf(diagnostic.Location.GetLineSpan().Path, texts)));
        }

        // SCHED099 is a crash caught and reported: still a bug to fix, whatever the input.
        foreach (var diagnostic in outcome.Result.Diagnostics.Where(d => d.Id == "SCHED099"))
        {
            tally.Failures.Add(new("internal error SCHED099", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture), FileOf(diagnostic.Location.GetLineSpan().Path, texts)));
        }

        var rejected = outcome.Result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.Location.GetLineSpan().Path).ToHashSet();
        Interlocked.Add(ref tally.Rejected, rejected.Count);
        Interlocked.Add(ref tally.Classes, outcome.Result.GeneratedSources.Length);
        var generatedFor = outcome.Result.GeneratedSources.Select(s => IndexOfNamespace(s.HintName)).ToHashSet();
        for (int i = 0; i < files.Length; i++)
        {
            // A file the checker accepts must give its classes; dropping them silently leaves the user a CS0246 elsewhere.
            if (!rejected.Contains(files[i].Path) && !generatedFor.Contains(i) && texts[i].Contains("schedule", StringComparison.Ordinal) && Schedule.Analyze(texts[i]).Schedules.Count > 0)
            {
                tally.Failures.Add(new("accepted file without a class", "no SCHED error and no generated class", texts[i]));
            }
        }

        var compile = outcome.CompileDiagnostics();
        foreach (var warning in compile.Where(d => d.Severity == DiagnosticSeverity.Warning)) tally.Warnings.AddOrUpdate(warning.Id, 1, (_, n) => n + 1);
        // One failure per file, its first error: the rest of a broken class is mostly cascade.
        foreach (var error in compile.Where(d => d.Severity == DiagnosticSeverity.Error).GroupBy(d => d.Location.SourceTree?.FilePath ?? "").Select(g => g.First()))
        {
            string line = error.Location.SourceTree is { } tree ? tree.GetText().Lines[error.Location.GetLineSpan().StartLinePosition.Line].ToString().Trim() : "";
            tally.Failures.Add(new("generated code error " + error.Id, $"{error.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}\n  generated line: {Visible(line)}", FileOf(error.Location.SourceTree?.FilePath ?? "", texts)));
        }
    }

    /// <summary>The file index from a generated hint name (<c>Fuzz{b}_{i}.Name.g.cs</c>) or a .sched path (<c>F{b}_{i}.sched</c>).</summary>
    private static int IndexOfNamespace(string path)
    {
        var match = System.Text.RegularExpressions.Regex.Match(Path.GetFileName(path), @"^F(?:uzz)?\d+_(\d+)[.]");
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : -1;
    }

    private static string FileOf(string path, string[] texts) => IndexOfNamespace(path) is var i and >= 0 ? texts[i] : $"(no file: {path})";

    /// <summary>Control, format and non-ASCII characters as \\uXXXX (newlines kept), so a failure shows what broke the code.</summary>
    private static string Visible(string text) =>
        string.Concat(text.Select(c => c == '\n' || (c >= ' ' && c <= '~') ? c.ToString() : $"\\u{(int)c:x4}"));

    private sealed record Failure(string Kind, string Detail, string File);

    private sealed class Tally
    {
        public int Files;
        public int Rejected;
        public int Classes;
        public readonly ConcurrentBag<Failure> Failures = new();
        public readonly ConcurrentDictionary<string, int> Warnings = new();
    }
}
