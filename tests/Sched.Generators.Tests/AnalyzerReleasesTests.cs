using Sched.Diagnostics;

namespace Sched.Generators.Tests;

/// <summary>AnalyzerReleases.Shipped.md and .Unshipped.md list every ID the build can report, as the catalogue describes it.</summary>
public sealed class AnalyzerReleasesTests
{
    private static readonly string Directory = Path.Combine(RepositoryRoot(), "generators", "Sched.Generators");

    [Fact]
    public void Every_catalogue_entry_is_listed_once_with_its_category_severity_and_title()
    {
        var listed = Rows("AnalyzerReleases.Shipped.md").Concat(Rows("AnalyzerReleases.Unshipped.md")).ToList();

        Assert.Equal(listed.Count, listed.Select(r => r.Id).Distinct().Count());
        var expected = DiagnosticDescriptors.All
            .Select(d => (d.Id, Category: "Sched." + d.Category, Severity: d.Severity.ToString(), d.Title))
            .ToList();
        Assert.Equal(expected, listed.OrderBy(r => r.Id, StringComparer.Ordinal).ToList());
        Assert.Contains(listed, r => r.Id == "SCHED100");
    }

    [Fact]
    public void The_generator_reports_each_ID_under_the_catalogue_s_category()
    {
        // What Roslyn shows: the descriptor the generator builds for an ID carries the catalogue's title, category and help link.
        foreach (var entry in DiagnosticDescriptors.All)
        {
            var info = new DiagnosticInfo(entry.Id, entry.Severity == Sched.Diagnostics.DiagnosticSeverity.Error, "m", "a.sched", 0, 0, 1, 1, 1, 1);
            var descriptor = info.ToDiagnostic().Descriptor;
            Assert.Equal(entry.Title, descriptor.Title.ToString());
            Assert.Equal("Sched." + entry.Category, descriptor.Category);
            Assert.Equal("https://example.invalid/sched/blob/main/docs/diagnostics.md#" + entry.Id.ToLowerInvariant(), descriptor.HelpLinkUri);
        }
    }

    /// <summary>The rows of a release file's rule tables: 'SCHED001 | Sched.Syntax | Error | Syntax error'.</summary>
    private static IEnumerable<(string Id, string Category, string Severity, string Title)> Rows(string file) =>
        File.ReadAllLines(Path.Combine(Directory, file))
            .Where(line => line.StartsWith("SCHED", StringComparison.Ordinal))
            .Select(line => line.Split('|').Select(cell => cell.Trim()).ToArray())
            .Select(cells => (cells[0], cells[1], cells[2], cells[3]));

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Dsl.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Dsl.sln not found above " + AppContext.BaseDirectory);
    }
}
