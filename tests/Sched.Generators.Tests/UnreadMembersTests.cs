using System.Text.RegularExpressions;

namespace Sched.Generators.Tests;

/// <summary>Generated classes declare only what their code reads: every field is read after it is set, every local of a track method is read.</summary>
public class UnreadMembersTests
{
    [Fact]
    public void Catalogue_classes_have_no_unread_fields_or_locals()
    {
        string folder = Path.Combine(GeneratorHarness.RepositoryRoot(), "samples", "Schedules");
        var unread = new List<string>();
        int fields = 0, locals = 0;
        foreach (string file in Directory.GetFiles(folder, "*.sched"))
        {
            var outcome = GeneratorHarness.Run(Path.GetFileName(file), File.ReadAllText(file));
            string source = Assert.Single(outcome.Result.GeneratedSources).SourceText.ToString();
            foreach (Match field in Regex.Matches(source, @"private readonly [^;=()]+ (_\w+);"))
            {
                fields++;
                // Declared, set in the constructor, and read at least once.
                if (Count(source, field.Groups[1].Value) < 3) unread.Add($"{Path.GetFileName(file)}: field {field.Groups[1].Value}");
            }
            foreach (Match method in Regex.Matches(source, @"public double (\w+)\(double step\)\r?\n(\s*)\{(.*?)\r?\n\2\}", RegexOptions.Singleline))
            {
                string body = method.Groups[3].Value;
                foreach (Match local in Regex.Matches(body, @"\b(?:double|int|var) (\w+)(?: = |;)"))
                {
                    locals++;
                    if (Count(body, local.Groups[1].Value) < 2) unread.Add($"{Path.GetFileName(file)}: local {local.Groups[1].Value} in {method.Groups[1].Value}");
                }
            }
        }
        Assert.Empty(unread);
        Assert.True(fields > 200 && locals > 100, $"only {fields} fields and {locals} locals seen");
    }

    private static int Count(string text, string name) => Regex.Matches(text, $@"\b{Regex.Escape(name)}\b").Count;
}
