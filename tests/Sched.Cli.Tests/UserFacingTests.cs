using System.Text.RegularExpressions;
using System.Xml.Linq;
using Sched.Diagnostics;

namespace Sched.Cli.Tests;

/// <summary>What a new user meets: version, help, the output's end, bad sizes and paths, each with an exit code and a message.</summary>
public sealed class UserFacingTests
{
    private const string Good = "schedule Good(peak = 0.1) over 10it {\n    lr = lin(0 -> peak, 5it) + const(peak, rest)\n}\n";

    private static readonly string Root = FindRoot();

    [Fact]
    public void Eval_into_a_pipe_closed_early_stops_at_once_with_exit_0()
    {
        using var dir = new TempDirectory();
        // A billion rows: minutes of work if the tool went on after 'head' left.
        dir.Write("giga.sched", Good.Replace("over 10it", "over 1000000000it", StringComparison.Ordinal));

        var result = ToolProcess.Shell(dir.Path, "sched eval giga.sched | head -3; echo \"exit ${PIPESTATUS[0]}\"", TimeSpan.FromSeconds(60));

        Assert.True(result.Elapsed < TimeSpan.FromSeconds(30), result.ToString());
        // lin(0 -> 0.1, 5it) at step 1 is 0.1 * 0.2 in doubles: 0.020000000000000004.
        Assert.Equal("step,lr\n0,0\n1,0.020000000000000004\nexit 0\n", result.Stdout);
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public void Eval_onto_a_full_disk_is_an_error_with_exit_2()
    {
        Assert.True(File.Exists("/dev/full"), "this test needs Linux's /dev/full");
        using var dir = new TempDirectory();
        dir.Write("good.sched", Good);

        var result = ToolProcess.Shell(dir.Path, "sched eval good.sched > /dev/full", TimeSpan.FromSeconds(60));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("sched: cannot write the output: No space left on device\n", result.Stderr);
    }

    [Fact]
    public void Output_failures_in_process_keep_their_meaning()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("good.sched", Good);

        var closed = new CliResultWriter(new IOException("Broken pipe", 32));
        var full = new CliResultWriter(new IOException("No space left on device", 28));
        var stderr = new StringWriter();

        Assert.Equal(0, Cli.Run(new[] { "eval", file }, closed, stderr));
        Assert.Equal("", stderr.ToString());
        Assert.Equal(2, Cli.Run(new[] { "eval", file }, full, stderr));
        Assert.Equal("sched: cannot write the output: No space left on device\n", stderr.ToString());
    }

    [Fact]
    public void A_bad_set_value_is_reported_at_the_option()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("good.sched", Good);

        var infinite = CliRunner.Run("eval", file, "--set", "peak=1e400");
        var typo = CliRunner.Run("eval", file, "--set", "peak=1x");
        var unknown = CliRunner.Run("eval", file, "--set", "peek=0.2");

        Assert.Equal(1, infinite.ExitCode);
        Assert.Equal("", infinite.Stdout);
        Assert.StartsWith("--set peak=1e400: error SCHED010: this value is infinite;", infinite.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, typo.ExitCode);
        Assert.StartsWith("--set peak=1x: error SCHED032: syntax error: ", typo.Stderr, StringComparison.Ordinal);
        Assert.StartsWith("--set peek=0.2: error SCHED032: schedule 'Good' has no parameter 'peek'; its parameters are peak", unknown.Stderr, StringComparison.Ordinal);
        Assert.Contains("SCHED010 is explained at https://example.invalid/sched/blob/main/docs/diagnostics.md#sched010\n", infinite.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_problem_in_the_file_that_a_set_value_brings_about_names_that_option()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("warm.sched", "schedule W(warm = 2it, peak = 0.1) over 10it {\n    lr = lin(0 -> peak, warm) + const(peak, rest)\n}\n");

        var result = CliRunner.Run("eval", file, "--set", "peak=0.2", "--set", "warm=20it");

        Assert.Equal(1, result.ExitCode);
        var first = result.Stderr.Split('\n')[0];
        Assert.StartsWith("--set warm=20it: error SCHED007: ", first, StringComparison.Ordinal);
    }

    [Fact]
    public void Plot_size_has_a_cap_on_each_side_and_on_the_pixels()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("good.sched", Good);

        var huge = CliRunner.Run("plot", file, "-o", dir.Combine("a.png"), "--width", "20000", "--height", "20000");
        var many = CliRunner.Run("plot", file, "-o", dir.Combine("b.png"), "--width", "10000", "--height", "10000");

        Assert.Equal(2, huge.ExitCode);
        Assert.Equal("sched plot: --width needs a whole number from 1 to 10000, not '20000'; e.g. --width 900\n", huge.Stderr);
        Assert.Equal(2, many.ExitCode);
        Assert.Equal("sched plot: 10000x10000 is 100,000,000 pixels, more than the 16,000,000 a plot may have; give a smaller --width or --height, e.g. --width 4000 --height 4000\n", many.Stderr);
        Assert.False(File.Exists(dir.Combine("a.png")) || File.Exists(dir.Combine("b.png")));
    }

    [Theory]
    [InlineData("\r", "bare CR")]
    [InlineData("\r\n", "CRLF")]
    [InlineData("\n", "LF")]
    public void Every_kind_of_line_end_counts_as_one(string end, string kind)
    {
        using var dir = new TempDirectory();
        string file = dir.Write("ends.sched", string.Join(end, "schedule E over 10it {", "    lr = lin(0 -> 0.1, 5)", "}", ""));

        var result = CliRunner.Run("check", file);

        Assert.Equal(1, result.ExitCode);
        Assert.True(result.Stdout.StartsWith(file + "(2,24): error SCHED004: ", StringComparison.Ordinal), kind + ": " + result.Stdout);
    }

    [Theory]
    [InlineData("")]
    [InlineData("// nothing here yet\n")]
    public void Check_and_eval_agree_that_a_file_without_a_schedule_is_an_error(string text)
    {
        using var dir = new TempDirectory();
        string file = dir.Write("empty.sched", text);
        string message = $"{file}: error: the file holds no schedule; add one, e.g. 'schedule Warmup over 10ep {{ lr = lin(0 -> 0.1) }}'\n";

        var check = CliRunner.Run("check", file);
        var eval = CliRunner.Run("eval", file);

        Assert.Equal(1, check.ExitCode);
        Assert.Equal(message, check.Stdout);
        Assert.Equal("checked 1 file: 1 error, 0 warnings\n", check.Stderr);
        Assert.Equal(1, eval.ExitCode);
        Assert.Equal(message, eval.Stderr);
    }

    [Fact]
    public void Plot_to_a_directory_or_under_a_file_says_so()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("good.sched", Good);
        string directory = dir.Combine("d.png");
        Directory.CreateDirectory(directory);

        var intoDirectory = CliRunner.Run("plot", file, "-o", directory);
        var underFile = CliRunner.Run("plot", file, "-o", Path.Combine(file, "x.png"));
        var readDirectory = CliRunner.Run("eval", directory);

        Assert.Equal(2, intoDirectory.ExitCode);
        Assert.Equal($"sched plot: cannot write '{directory}': it is a directory; name a file inside it, e.g. -o {Path.Combine(directory, "schedule.png")}\n", intoDirectory.Stderr);
        Assert.Equal(2, underFile.ExitCode);
        Assert.Equal($"sched plot: cannot write '{Path.Combine(file, "x.png")}': '{file}' is a file, not a directory; choose another path\n", underFile.Stderr);
        Assert.Equal(2, readDirectory.ExitCode);
        Assert.Equal($"sched: '{directory}' is a directory; give a .sched file\n", readDirectory.Stderr);
    }

    [Fact]
    public void Version_is_the_package_version()
    {
        var result = CliRunner.Run("--version");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(new Regex(@"^sched \d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?\n$"), result.Stdout);
        string prefix = XDocument.Load(Path.Combine(Root, "Directory.Build.props")).Descendants("VersionPrefix").Single().Value;
        Assert.StartsWith("sched " + prefix, result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("check")]
    [InlineData("eval")]
    [InlineData("plot")]
    [InlineData("presets")]
    public void Every_command_explains_itself(string command)
    {
        foreach (var ask in new[] { new[] { command, "--help" }, new[] { command, "-h" }, new[] { "help", command } })
        {
            var result = CliRunner.Run(ask);

            Assert.Equal(0, result.ExitCode);
            Assert.StartsWith($"usage: sched {command}", result.Stdout, StringComparison.Ordinal);
            Assert.Contains("Exit code: 0", result.Stdout, StringComparison.Ordinal);
            Assert.Equal("", result.Stderr);
        }
    }

    [Fact]
    public void Every_diagnostic_links_to_its_section_of_the_docs()
    {
        string docs = File.ReadAllText(Path.Combine(Root, "docs", "diagnostics.md"));
        string repository = XDocument.Load(Path.Combine(Root, "Directory.Build.props")).Descendants("RepositoryUrl").Single().Value;

        Assert.Equal(DiagnosticDescriptors.HelpBase, repository + "/blob/main/docs/diagnostics.md");
        foreach (var id in DiagnosticDescriptors.All.Select(d => d.Id))
        {
            string anchor = DiagnosticDescriptors.HelpLinkFor(id).Substring(DiagnosticDescriptors.HelpBase.Length + 1);
            Assert.Equal(id.ToLowerInvariant(), anchor);
            Assert.Contains($"<a id=\"{anchor}\"></a>\n\n#", docs.Replace("\r\n", "\n"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Messages_and_docs_speak_about_the_product_only()
    {
        var texts = new[] { "README.md", "docs/diagnostics.md", "docs/generator.md" }.Select(p => (p, File.ReadAllText(Path.Combine(Root, p))))
            .Concat(Directory.GetFiles(Path.Combine(Root, "src", "Sched.Cli"), "*.cs", SearchOption.AllDirectories).Select(p => (p, File.ReadAllText(p))));
        foreach (var (path, text) in texts)
        {
            Assert.DoesNotMatch(new Regex(@"\b(issue note|propose the change|the lead|this session)\b", RegexOptions.IgnoreCase), text);
        }
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Dsl.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("run the tests inside the repository");
    }

    /// <summary>A stdout whose every write fails as the given IO error does.</summary>
    private sealed class CliResultWriter(IOException error) : TextWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void Write(char value) => throw error;

        public override void Write(string? value) => throw error;
    }
}
