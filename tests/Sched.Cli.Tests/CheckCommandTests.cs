using System.Text.RegularExpressions;

namespace Sched.Cli.Tests;

public sealed class CheckCommandTests
{
    private const string Clean = "schedule Clean over 10it {\n    lr = cos(0.1 -> 0.001)\n}\n";
    private const string Broken = "schedule Broken over 10it {\n    lr = lin(0.1 -> , 5it)\n}\n";
    private const string ShortTrack = "schedule Short over 10it {\n    lr = lin(0.1 -> 0.01, 5it)\n}\n";

    [Fact]
    public void BrokenFile_PrintsErrorsInCompilerFormat_AndFails()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("broken.sched", Broken);

        var result = CliRunner.Run("check", file);

        Assert.Equal(1, result.ExitCode);
        var lines = Lines(result.Stdout);
        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.Matches(DiagnosticPattern(file), line));
        Assert.Contains(lines, line => line.Contains("): error SCHED", StringComparison.Ordinal));
        Assert.Matches(@"^checked 1 file: [1-9]\d* errors?, \d+ warnings?\n(SCHED\d{3} is explained at https://example\.invalid/sched/blob/main/docs/diagnostics\.md#sched\d{3}\n)+$", result.Stderr);
    }

    [Fact]
    public void CleanFile_PrintsNothing_AndSucceeds()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("clean.sched", Clean);

        var result = CliRunner.Run("check", file);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Equal("checked 1 file: 0 errors, 0 warnings\n", result.Stderr);
    }

    [Fact]
    public void Warnings_ArePrinted_ButDoNotFail()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("short.sched", ShortTrack);

        var result = CliRunner.Run("check", file);

        Assert.Equal(0, result.ExitCode);
        var line = Assert.Single(Lines(result.Stdout));
        Assert.Matches(DiagnosticPattern(file), line);
        Assert.Contains("): warning SCHED", line, StringComparison.Ordinal);
        Assert.Equal("checked 1 file: 0 errors, 1 warning\nSCHED014 is explained at https://example.invalid/sched/blob/main/docs/diagnostics.md#sched014\n", result.Stderr);
    }

    [Fact]
    public void Directory_IsSearchedRecursively_SkippingBinAndObj()
    {
        using var dir = new TempDirectory();
        dir.Write("clean.sched", Clean);
        string broken = dir.Write(Path.Combine("nested", "deeper", "broken.sched"), Broken);
        dir.Write(Path.Combine("bin", "Debug", "copied.sched"), Broken);
        dir.Write(Path.Combine("nested", "obj", "generated.sched"), Broken);
        dir.Write("notes.txt", Broken);

        var result = CliRunner.Run("check", dir.Path);

        Assert.Equal(1, result.ExitCode);
        Assert.All(Lines(result.Stdout), line => Assert.StartsWith(broken + "(", line, StringComparison.Ordinal));
        Assert.StartsWith("checked 2 files: ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void SeveralPaths_AreAllChecked()
    {
        using var dir = new TempDirectory();
        string clean = dir.Write("a.sched", Clean);
        string warning = dir.Write("b.sched", ShortTrack);

        var result = CliRunner.Run("check", clean, warning);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("checked 2 files: 0 errors, 1 warning\nSCHED014 is explained at https://example.invalid/sched/blob/main/docs/diagnostics.md#sched014\n", result.Stderr);
    }

    [Fact]
    public void MissingPath_IsAnIoError()
    {
        using var dir = new TempDirectory();
        string missing = dir.Combine("missing.sched");

        var result = CliRunner.Run("check", missing);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains(missing, result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void NoPath_IsAUsageError()
    {
        var result = CliRunner.Run("check");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("sched check", result.Stderr, StringComparison.Ordinal);
    }

    private static string DiagnosticPattern(string file) =>
        "^" + Regex.Escape(file) + @"\(\d+,\d+\): (error|warning) SCHED\d{3}: \S.*$";

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
