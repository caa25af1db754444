namespace Sched.Cli.Tests;

/// <summary>What a newcomer meets first: the README's main command, the sample catalogue, the docs.</summary>
public class RepositoryTests
{
    private static readonly string Root = FindRoot();

    [Fact]
    public void Readme_main_command_plots_the_sample()
    {
        using var temp = new TempDirectory();
        string png = temp.Combine("onecycle.png");
        var result = CliRunner.Run("plot", Path.Combine(Root, "samples/Schedules/SmithOneCycle.sched"), "--steps-per-epoch", "10", "-o", png);
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.True(new FileInfo(png).Length > 10_000, "the plot should be a real image");
        Assert.Contains("dotnet run --project src/Sched.Cli -- plot samples/Schedules/SmithOneCycle.sched --steps-per-epoch 10 -o onecycle.png",
            File.ReadAllText(Path.Combine(Root, "README.md")));
    }

    [Fact]
    public void Readme_opens_with_the_main_job_and_the_test_command()
    {
        string readme = File.ReadAllText(Path.Combine(Root, "README.md"));
        int block = readme.IndexOf("```sh\n", StringComparison.Ordinal);
        Assert.True(block >= 0 && block < 800, "the two commands come right after the three-line introduction");
        string commands = readme.Substring(block, readme.IndexOf("```\n", block + 6, StringComparison.Ordinal) - block);
        Assert.Contains("dotnet run --project samples/FashionMnist\n", commands);
        Assert.Contains("dotnet test Dsl.sln\n", commands);
        Assert.Contains("dotnet test Dsl.sln 2>&1", File.ReadAllText(Path.Combine(Root, ".ci/run")));
    }

    [Fact]
    public void Readme_schedules_check_clean()
    {
        // The tour's blocks and the own-project one: every fenced block that is a .sched text, not a shell session.
        string readme = File.ReadAllText(Path.Combine(Root, "README.md")).Replace("\r\n", "\n");
        var blocks = readme.Split("```").Where((_, i) => i % 2 == 1)
            .Select(block => block[(block.IndexOf('\n') + 1)..])
            .Where(text => System.Text.RegularExpressions.Regex.IsMatch(text, @"^(namespace|schedule) ", System.Text.RegularExpressions.RegexOptions.Multiline) && !text.Contains("$ "))
            .ToList();
        Assert.True(blocks.Count >= 4, $"expected the tour's schedules, found {blocks.Count}");
        foreach (string text in blocks)
        {
            var analysis = Schedule.Analyze(text, "README.md");
            Assert.True(analysis.Diagnostics.Count == 0 && analysis.Schedules.Count > 0, text + string.Join("\n", analysis.Diagnostics));
        }
    }

    [Fact]
    public void Every_sample_schedule_checks_clean()
    {
        var samples = Directory.GetFiles(Path.Combine(Root, "samples/Schedules"), "*.sched");
        Assert.True(samples.Length >= 12, $"expected the literature catalogue, found {samples.Length} files");
        var result = CliRunner.Run(new[] { "check" }.Concat(samples).ToArray());
        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public void Every_sample_cites_its_source()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(Root, "samples/Schedules"), "*.sched"))
        {
            var analysis = Schedule.Analyze(File.ReadAllText(file), file);
            Assert.All(analysis.Schedules, s => Assert.False(string.IsNullOrWhiteSpace(s.Documentation), $"{file}: {s.Name} has no /// comment"));
        }
    }

    [Fact]
    public void Language_reference_examples_compile_clean()
    {
        string page = File.ReadAllText(Path.Combine(Root, "docs/language.md")).Replace("\r\n", "\n");
        var blocks = page.Split("```sched\n").Skip(1).Select(part => part[..part.IndexOf("```", StringComparison.Ordinal)]).ToList();
        // The forms most easily lost in an edit: a ratio, bisect over a list, 'from', and the file example of section 2.
        Assert.Contains(blocks, b => b.Contains("/ 1it)", StringComparison.Ordinal));
        Assert.Contains(blocks, b => b.Contains("bisect([", StringComparison.Ordinal));
        Assert.Contains(blocks, b => b.Contains(" from warm", StringComparison.Ordinal));
        Assert.Contains(blocks, b => b.Contains("schedule SmithOneCycle(peak = 0.8) over 95ep", StringComparison.Ordinal));
        foreach (string block in blocks)
        {
            var analysis = Schedule.Analyze(block, "language.md");
            Assert.True(analysis.Diagnostics.Count == 0, block + string.Join("\n", analysis.Diagnostics));
            Assert.NotEmpty(analysis.Schedules);
        }
    }

    [Fact]
    public void Presets_page_shows_every_preset_as_written_and_every_plot()
    {
        string page = File.ReadAllText(Path.Combine(Root, "docs/presets.md")).Replace("\r\n", "\n");
        string flat = Flatten(page);
        var headings = page.Split('\n').Where(line => line.StartsWith("### ", StringComparison.Ordinal)).ToList();
        foreach (var def in Sched.Language.StandardLibrary.Defs)
        {
            Assert.True(headings.Any(h => h.Contains($"`{def.Name}`", StringComparison.Ordinal)), $"docs/presets.md has no section for {def.Name}");
            Assert.True(flat.Contains(Flatten(def.Text), StringComparison.Ordinal), $"docs/presets.md does not show {def.Name} as the library defines it:\n{def.Text}");
        }
        foreach (var file in Directory.GetFiles(Path.Combine(Root, "docs/presets"), "*.sched"))
        {
            string name = Path.GetFileNameWithoutExtension(file);
            Assert.Contains($"(presets/{name}.sched)", page);
            Assert.Contains($"(images/presets/{name}.png)", page);
            Assert.True(File.Exists(Path.Combine(Root, "docs/images/presets", name + ".png")), $"no plot for docs/presets/{name}.sched");
        }
    }

    private static string Flatten(string text) => string.Join(" ", text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Dsl.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("run the tests inside the repository");
    }
}
