using Microsoft.CodeAnalysis;
using Sched.Diagnostics;
using DiagnosticSeverity = Microsoft.CodeAnalysis.DiagnosticSeverity;

namespace Sched.Generators.Tests;

/// <summary>
/// The generator's output as reviewed text: the class of every sample schedule and the diagnostics of one
/// small file per diagnostic ID. A change to the emitter shows up here as a diff to review.
/// </summary>
public sealed class SnapshotTests
{
    public static TheoryData<string> SampleFiles() => new(SampleNames);

    public static TheoryData<string> DiagnosticIds() => new(BuildTimeIds);

    private static IEnumerable<string> SampleNames =>
        Directory.GetFiles(SamplesDirectory, "*.sched").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!;

    private static IEnumerable<string> BuildTimeIds =>
        DiagnosticDescriptors.All.Select(d => d.Id).Where(id => !DiagnosticExamples.RunTimeOnly.Contains(id));

    internal static string SamplesDirectory => Path.Combine(GeneratorHarness.RepositoryRoot(), "samples", "Schedules");

    [Theory]
    [MemberData(nameof(SampleFiles))]
    public void Sample_GeneratedCodeAndDiagnostics(string name)
    {
        string text = File.ReadAllText(Path.Combine(SamplesDirectory, name + ".sched"));
        var outcome = VerifyFile(name, $"Schedules/{name}.sched", text);
        Assert.Single(outcome.Result.GeneratedSources);
        Assert.DoesNotContain(outcome.Result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
    }

    [Theory]
    [MemberData(nameof(DiagnosticIds))]
    public void Diagnostic_IsReportedWhereWritten(string id)
    {
        Assert.True(DiagnosticExamples.ById.TryGetValue(id, out var text), $"add an example file for {id} to DiagnosticExamples");
        var outcome = VerifyFile(id, $"Schedules/{id}.sched", text!);
        Assert.Contains(outcome.Result.Diagnostics, d => d.Id == id);
        bool error = DiagnosticDescriptors.All.Single(d => d.Id == id).Severity == Sched.Diagnostics.DiagnosticSeverity.Error;
        // An error means no class (a half-checked schedule must not compile); warnings alone still give one.
        Assert.Equal(error, outcome.Result.GeneratedSources.IsEmpty);
    }

    // Every verified file belongs to a case above, so a renamed sample or ID leaves no stale snapshot behind.
    [Fact]
    public void EveryVerifiedFile_BelongsToACase()
    {
        var names = SampleNames.Concat(BuildTimeIds).Concat(EmitterSnapshotTests.Names).ToHashSet();
        var orphans = Directory.GetFiles(Snapshot.Directory(), "*.verified.*")
            .Select(Path.GetFileName)
            .Where(file => !names.Contains(file![..file!.IndexOf(".verified.", StringComparison.Ordinal)].Split('#')[0]))
            .ToArray();
        Assert.True(orphans.Length == 0, "snapshots without a test: " + string.Join(", ", orphans));
    }

    /// <summary>Snapshots the file's sources (NAME.verified.cs, or NAME#Type.verified.cs when there are several) and diagnostics (NAME.verified.txt).</summary>
    private static GeneratorOutcome VerifyFile(string name, string path, string text)
    {
        var outcome = GeneratorHarness.Run(path, text);
        Assert.Null(outcome.Result.Exception);

        var sources = outcome.Result.GeneratedSources.OrderBy(s => s.HintName, StringComparer.Ordinal).ToArray();
        foreach (var source in sources)
        {
            string type = source.HintName[..^".g.cs".Length].Split('.')[^1];
            Snapshot.Verify(sources.Length == 1 ? name : $"{name}#{type}", "cs", source.SourceText.ToString());
        }
        // A snapshot of no source would hide a lost class: assert emptiness instead of writing an empty file.
        var diagnostics = outcome.Result.Diagnostics.Select(GeneratorHarness.Format).ToArray();
        Snapshot.Verify(name, "txt", diagnostics.Length == 0 ? "(no diagnostics)\n" : string.Join("\n", diagnostics) + "\n");

        // The generated code compiles, warnings included, in C# 12 with XML documentation checked.
        var compile = outcome.CompileDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()).ToArray();
        Assert.True(compile.Length == 0, "the generated code has compiler diagnostics:\n" + string.Join("\n", compile));
        return outcome;
    }
}
