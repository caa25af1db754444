using Sched.Diagnostics;
using Sched.Model;

namespace Sched.Language.Tests;

/// <summary>Shared helpers: analyze a text, pick out one diagnostic, assert where it points and what it says.</summary>
internal static class TestSupport
{
    public const string FileName = "test.sched";

    /// <summary>Analyzes <paramref name="text"/> as <c>test.sched</c>; line endings are normalised to '\n' so columns do not depend on the checkout.</summary>
    public static FileAnalysis Analyze(string text) => SchedCompiler.Analyze(Normalize(text), FileName);

    public static string Normalize(string text) => text.Replace("\r\n", "\n");

    /// <summary>The one diagnostic with <paramref name="id"/>; fails when there is none or more than one.</summary>
    public static Diagnostic Single(IEnumerable<Diagnostic> diagnostics, string id)
    {
        var all = diagnostics.ToList();
        var matching = all.Where(d => d.Id == id).ToList();
        Assert.True(matching.Count == 1,
            $"expected exactly one {id}, got {matching.Count}; all diagnostics:\n{string.Join("\n", all)}");
        return matching[0];
    }

    public static Diagnostic Single(FileAnalysis analysis, string id) => Single(analysis.Diagnostics, id);

    /// <summary>Analyzes the text and checks the one diagnostic with <paramref name="id"/>: severity, position of its first character and full message.</summary>
    public static Diagnostic AssertDiagnostic(string text, string id, DiagnosticSeverity severity, int line, int column, string message)
    {
        var analysis = Analyze(text);
        var diagnostic = Single(analysis, id);
        AssertDiagnostic(diagnostic, id, severity, line, column, message);
        return diagnostic;
    }

    public static void AssertDiagnostic(Diagnostic diagnostic, string id, DiagnosticSeverity severity, int line, int column, string message)
    {
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(severity, diagnostic.Severity);
        Assert.Equal(message, diagnostic.Message);
        Assert.Equal(new Text.LinePosition(line, column), diagnostic.Start);
    }

    /// <summary>The text a diagnostic's span covers.</summary>
    public static string SpanText(string text, Diagnostic diagnostic) =>
        Normalize(text).Substring(diagnostic.Span.Start, diagnostic.Span.Length);

    /// <summary>Asserts the file analyses without any diagnostic at all.</summary>
    public static FileAnalysis AssertClean(string text)
    {
        var analysis = Analyze(text);
        Assert.True(analysis.Diagnostics.Count == 0, "expected no diagnostics, got:\n" + string.Join("\n", analysis.Diagnostics));
        return analysis;
    }

    /// <summary>Lays out the only schedule of a clean file; fails on any diagnostic.</summary>
    public static LaidSchedule Lay(string text, int stepsPerEpoch = 10, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var analysis = Analyze(text);
        Assert.False(analysis.HasErrors, string.Join("\n", analysis.Diagnostics));
        var diagnostics = new List<Diagnostic>();
        var laid = Assert.Single(analysis.Schedules).Lay(stepsPerEpoch, overrides, diagnostics);
        Assert.True(laid is not null && diagnostics.Count(d => d.IsError) == 0, string.Join("\n", diagnostics));
        return laid!;
    }

    /// <summary>The value of a track of the laid-out schedule at step <paramref name="x"/>.</summary>
    public static double Value(LaidSchedule laid, string track, double x)
    {
        int index = laid.IndexOf(track);
        Assert.True(index >= 0, $"no track '{track}'");
        return laid.Tracks[index].Evaluate(x);
    }

    /// <summary>Lays out the only schedule with overrides and returns what layout reported.</summary>
    public static (LaidSchedule? Laid, List<Diagnostic> Diagnostics) LayWithDiagnostics(string text, int stepsPerEpoch, IReadOnlyDictionary<string, string>? overrides = null)
    {
        var analysis = Analyze(text);
        Assert.False(analysis.HasErrors, string.Join("\n", analysis.Diagnostics));
        var diagnostics = new List<Diagnostic>();
        var laid = Assert.Single(analysis.Schedules).Lay(stepsPerEpoch, overrides, diagnostics);
        return (laid, diagnostics);
    }

    /// <summary>Walks up from the test binaries to the folder holding Dsl.sln.</summary>
    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Dsl.sln"))) dir = dir.Parent;
        Assert.True(dir is not null, "Dsl.sln not found above " + AppContext.BaseDirectory);
        return dir!.FullName;
    }
}
