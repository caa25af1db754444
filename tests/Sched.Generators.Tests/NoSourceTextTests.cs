namespace Sched.Generators.Tests;

/// <summary>Generated classes carry the checked model as construction code, not the schedule's text to parse at run time.</summary>
public class NoSourceTextTests
{
    [Fact]
    public void No_generated_file_holds_a_line_of_its_schedule_s_text()
    {
        string folder = Path.Combine(GeneratorHarness.RepositoryRoot(), "samples", "Schedules");
        string[] files = Directory.GetFiles(folder, "*.sched");
        Assert.True(files.Length >= 15, $"expected the catalogue, found {files.Length} files");
        int checkedLines = 0;
        foreach (string file in files)
        {
            string text = File.ReadAllText(file);
            var outcome = GeneratorHarness.Run(Path.GetFileName(file), text);
            string source = Assert.Single(outcome.Result.GeneratedSources).SourceText.ToString();
            // Every track definition and the schedule line: the text a parser would need.
            foreach (string line in text.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("schedule ", StringComparison.Ordinal) || (l.Contains('=') && !l.StartsWith("//", StringComparison.Ordinal))))
            {
                Assert.False(source.Contains(line, StringComparison.Ordinal), $"{Path.GetFileName(file)}: the generated class holds '{line}'");
                checkedLines++;
            }
        }
        Assert.True(checkedLines >= 40, $"only {checkedLines} lines checked");
    }
}
