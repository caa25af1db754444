using System.Text;
using System.Text.RegularExpressions;
using Sched.Diagnostics;
using static Sched.Language.Tests.TestSupport;

namespace Sched.Language.Tests;

/// <summary>
/// docs/diagnostics.md documents every catalogue entry, and its examples print exactly the output it shows.
/// To refresh the outputs and the summary table after changing a message, run the tests once with
/// <c>SCHED_REGENERATE_DOCS=1</c>, then read the diff.
/// </summary>
public sealed class DocsTests
{
    private const string ExampleFile = "example.sched";

    private static readonly Regex ExamplePattern = new(
        @"```sched(?<options>[^\n]*)\n(?<code>.*?)\n```[ \t]*\n\s*```text\n(?<output>.*?)```",
        RegexOptions.Singleline | RegexOptions.Compiled);

    private static readonly Regex HeadingPattern = new(@"^## (?<id>SCHED\d{3}): (?<title>.+)$", RegexOptions.Multiline | RegexOptions.Compiled);

    private static string DocPath => Path.Combine(RepositoryRoot(), "docs", "diagnostics.md");

    private static string ReadDoc() => Normalize(File.ReadAllText(DocPath));

    [Fact]
    public void EveryCatalogueEntry_HasASectionWithItsTitleAndSeverity()
    {
        string doc = ReadDoc();
        var headings = HeadingPattern.Matches(doc).ToDictionary(m => m.Groups["id"].Value, m => m.Groups["title"].Value.Trim());
        foreach (var descriptor in DiagnosticDescriptors.All)
        {
            Assert.True(headings.ContainsKey(descriptor.Id), $"docs/diagnostics.md has no section '## {descriptor.Id}: {descriptor.Title}'");
            Assert.Equal(descriptor.Title, headings[descriptor.Id]);
            string section = Section(doc, descriptor.Id);
            Assert.Contains($"**Severity:** {Severity(descriptor.Severity)}", section);
        }
        Assert.Empty(headings.Keys.Except(DiagnosticDescriptors.All.Select(d => d.Id)));
    }

    [Fact]
    public void EveryCatalogueEntry_ExceptInternal_HasAnExampleThatReportsIt()
    {
        string doc = ReadDoc();
        // SCHED035 needs a file of two million characters, SCHED036 the project's own C#, SCHED100 its C# version: their sections show the output, their examples are in the generator's tests.
        foreach (var descriptor in DiagnosticDescriptors.All.Where(d => d.Id is not ("SCHED099" or "SCHED035" or "SCHED036" or "SCHED100")))
        {
            var examples = ExamplePattern.Matches(Section(doc, descriptor.Id));
            Assert.True(examples.Count > 0, $"the section of {descriptor.Id} has no example");
            Assert.Contains(examples, m => m.Groups["output"].Value.Contains($" {descriptor.Id}: ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Examples_PrintTheOutputShown()
    {
        string doc = ReadDoc();
        if (Environment.GetEnvironmentVariable("SCHED_REGENERATE_DOCS") == "1")
        {
            doc = Regenerate(doc);
            File.WriteAllText(DocPath, doc);
        }
        var matches = ExamplePattern.Matches(doc);
        Assert.True(matches.Count >= 32);
        var mismatches = new List<string>();
        foreach (Match m in matches)
        {
            string expected = m.Groups["output"].Value.TrimEnd('\n');
            string actual = Output(m.Groups["code"].Value, m.Groups["options"].Value);
            if (expected != actual) mismatches.Add($"example:\n{m.Groups["code"].Value}\nshown:\n{expected}\nactual:\n{actual}");
        }
        Assert.True(mismatches.Count == 0, "docs/diagnostics.md is out of date (run the tests with SCHED_REGENERATE_DOCS=1 to refresh it):\n\n" + string.Join("\n\n", mismatches));
        Assert.Equal(Table(), TableIn(doc));
    }

    /// <summary>What the build prints for an example: its diagnostics (C#'s naming rules included), then those of laying it out when the fence asks for it.</summary>
    private static string Output(string code, string options)
    {
        var analysis = SchedCompiler.Analyze(code + "\n", ExampleFile);
        var lines = analysis.Diagnostics.Concat(CSharpNames.Check(analysis)).OrderBy(d => d.Span.Start).Select(d => d.ToString()).ToList();
        var lay = Regex.Match(options, @"\blay=(\d+)");
        if (lay.Success && !analysis.HasErrors)
        {
            var overrides = Regex.Matches(options, @"\bset=(\w+)=(\S+)").ToDictionary(s => s.Groups[1].Value, s => s.Groups[2].Value);
            foreach (var schedule in analysis.Schedules)
            {
                var diagnostics = new List<Diagnostic>();
                schedule.Lay(int.Parse(lay.Groups[1].Value), overrides.Count == 0 ? null : overrides, diagnostics);
                lines.AddRange(diagnostics.Select(d => d.ToString()));
            }
        }
        return string.Join("\n", lines);
    }

    private static string Regenerate(string doc)
    {
        doc = ExamplePattern.Replace(doc, m =>
        {
            string output = Output(m.Groups["code"].Value, m.Groups["options"].Value);
            return $"```sched{m.Groups["options"].Value}\n{m.Groups["code"].Value}\n```\n\n```text\n{(output.Length == 0 ? "" : output + "\n")}```";
        });
        string table = TableIn(doc);
        return doc.Replace(table, Table());
    }

    /// <summary>The summary table's rows: the lines after its header up to the first blank line.</summary>
    private static string TableIn(string doc)
    {
        const string header = "| ID | Severity | Title |\n|---|---|---|\n";
        int start = doc.IndexOf(header, StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/diagnostics.md has no summary table");
        start += header.Length;
        int end = doc.IndexOf("\n\n", start, StringComparison.Ordinal);
        return doc.Substring(start, end - start);
    }

    private static string Table()
    {
        var builder = new StringBuilder();
        foreach (var d in DiagnosticDescriptors.All)
        {
            if (builder.Length > 0) builder.Append('\n');
            // The section's <a id> anchor, which stays put when a title changes.
            builder.Append($"| [{d.Id}](#{d.Id.ToLowerInvariant()}) | {Severity(d.Severity)} | {d.Title} |");
        }
        return builder.ToString();
    }

    private static string Section(string doc, string id)
    {
        int start = doc.IndexOf($"\n## {id}:", StringComparison.Ordinal);
        if (start < 0) return "";
        int end = doc.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return end < 0 ? doc.Substring(start) : doc.Substring(start, end - start);
    }

    private static string Severity(DiagnosticSeverity severity) => severity == DiagnosticSeverity.Error ? "error" : "warning";
}
