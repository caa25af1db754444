namespace Sched.EndToEnd.Tests;

/// <summary>The code blocks of README's "Use Sched in your own project", which the consumers build as written.</summary>
internal static class Readme
{
    private const string Section = "## Use Sched in your own project";

    /// <summary>The <c>.sched</c> file the section's programs use.</summary>
    public static string Schedule(PackedPackage package) => Blocks(package, "sched").Single();

    /// <summary>The program that uses the generated class with <c>Sched</c> alone.</summary>
    public static string SchedulesOnly(PackedPackage package) => Blocks(package, "csharp")[0];

    /// <summary>The TorchSharp training loop and LR finder.</summary>
    public static string TrainingLoop(PackedPackage package) => Blocks(package, "csharp")[1];

    private static IReadOnlyList<string> Blocks(PackedPackage package, string language)
    {
        string readme = File.ReadAllText(Path.Combine(package.RepositoryRoot, "README.md")).Replace("\r\n", "\n");
        int start = readme.IndexOf("\n" + Section + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"README.md has no section '{Section}'");
        int end = readme.IndexOf("\n## ", start + Section.Length + 2, StringComparison.Ordinal);
        string section = end < 0 ? readme.Substring(start) : readme.Substring(start, end - start);
        var blocks = section.Split("```" + language + "\n").Skip(1).Select(part => part.Substring(0, part.IndexOf("```", StringComparison.Ordinal))).ToList();
        Assert.True(blocks.Count > 0, $"README's '{Section}' has no {language} block");
        return blocks;
    }
}
