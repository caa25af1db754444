using Sched.Cli.Commands;

namespace Sched.Cli.Tests;

public sealed class CommandLineTests
{
    private static readonly string[] Options = { "--schedule", "--set", "--output" };
    private static readonly Dictionary<string, string> Aliases = new() { ["-o"] = "--output" };

    [Fact]
    public void SeparatesPositionalsFromOptions_InBothSpellings()
    {
        var line = CommandLine.Parse("plot", new[] { "a.sched", "--schedule", "S", "--set=warm=5ep", "-o", "x.png", "--set", "peak=0.5" }, Options, Aliases);

        Assert.Equal(new[] { "a.sched" }, line.Positionals);
        Assert.Equal("S", line.Single("--schedule"));
        Assert.Equal("x.png", line.Single("--output"));
        Assert.Equal(new[] { "warm=5ep", "peak=0.5" }, line.All("--set"));
        Assert.Null(line.Single("--missing"));
    }

    [Fact]
    public void AnOptionGivenTwice_WhereOneIsExpected_IsAUsageError()
    {
        var line = CommandLine.Parse("eval", new[] { "--schedule", "A", "--schedule", "B" }, Options);

        var error = Assert.Throws<CliException>(() => line.Single("--schedule"));
        Assert.Equal(2, error.ExitCode);
    }

    [Theory]
    [InlineData("--bogus", "1")]
    [InlineData("--schedule")]
    [InlineData("--schedule", "--set", "a=1")]
    public void UnknownOptionsAndMissingValues_AreUsageErrors(params string[] args)
    {
        var error = Assert.Throws<CliException>(() => CommandLine.Parse("eval", args, Options));

        Assert.Equal(2, error.ExitCode);
        Assert.StartsWith("sched eval: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SetValues_SplitOnTheFirstEquals_AndTheLastOneWins()
    {
        var line = CommandLine.Parse("eval", new[] { "--set", "warm=2*5ep", "--set", "a=b=c", "--set", "warm=3ep" }, RunSettings.Options);

        var settings = RunSettings.From(line);

        Assert.Equal("3ep", settings.Set!["warm"]);
        Assert.Equal("b=c", settings.Set["a"]);
    }

    [Theory]
    [InlineData("Other", null, "Other")]
    [InlineData("other.sched", "other.sched", null)]
    [InlineData("dir/other.sched:Fast", "dir/other.sched", "Fast")]
    [InlineData("../x:Y_2", "../x", "Y_2")]
    [InlineData(@"C:\schedules\a.sched", @"C:\schedules\a.sched", null)]
    public void CompareSpecs_NameASchedule_AFile_OrBoth(string spec, string? path, string? name)
    {
        Assert.Equal(new CompareSpec(path, name), CompareSpec.Parse(spec));
    }
}
