namespace Sched.Cli.Tests;

public sealed class EvalCommandTests
{
    private const string TwoSchedules =
        "schedule Warmup over 2it {\n    lr = lin(0 -> 0.5, 2it)\n}\n" +
        "schedule Decay over 2it {\n    lr = lin(0.5 -> 0.25, 2it)\n}\n";

    [Fact]
    public void PrintsOneRowPerStep_ThroughTheHeldFinalValue()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("s.sched", "schedule S over 4it {\n    lr = lin(0 -> 1, 4it)\n    momentum = const(0.9, rest)\n}\n");

        var result = CliRunner.Run("eval", file);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("step,lr,momentum\n0,0,0.9\n1,0.25,0.9\n2,0.5,0.9\n3,0.75,0.9\n4,1,0.9\n", result.Stdout);
        Assert.Equal("", result.Stderr);
    }

    [Fact]
    public void Epoch_lengths_are_judged_with_the_steps_per_epoch_given()
    {
        // repeat(1, every = 2ep) at 4 steps an epoch is one cycle of 8 steps, in which const(0.9, 3it) holds; then 0.8 to step 40.
        using var dir = new TempDirectory();
        string file = dir.Write("i.sched", "schedule I over 40it { lr = repeat(1, every = 2ep) { const(0.9, 3it) } + const(0.8, rest) }\n");

        var result = CliRunner.Run("eval", file, "--steps-per-epoch", "4");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Stderr);
        string[] rows = result.Stdout.TrimEnd('\n').Split('\n');
        Assert.Equal(42, rows.Length);
        for (int step = 0; step <= 40; step++) Assert.Equal($"{step},{(step < 8 ? "0.9" : "0.8")}", rows[step + 1]);
    }

    [Fact]
    public void MomAlias_PrintsAsMomentum()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("s.sched", "schedule S over 2it {\n    lr = lin(0.5 -> 0.25, 2it)\n    mom = 0.9\n}\n");

        var result = CliRunner.Run("eval", file);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("step,lr,momentum\n0,0.5,0.9\n1,0.375,0.9\n2,0.25,0.9\n", result.Stdout);
    }

    [Fact]
    public void FractionalTotal_EndsAtTheNextWholeStep()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("s.sched", "schedule S over 2.5it {\n    lr = const(0.1, rest)\n}\n");

        var result = CliRunner.Run("eval", file);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("step,lr\n0,0.1\n1,0.1\n2,0.1\n3,0.1\n", result.Stdout);
    }

    [Fact]
    public void Error_PrintsDiagnostics_AndNoCsv()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("bad.sched", "schedule S over 4it {\n    lr = lin(0 -> 1, 4)\n}\n");

        var result = CliRunner.Run("eval", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Matches("^" + System.Text.RegularExpressions.Regex.Escape(file) + @"\(2,\d+\): error SCHED\d{3}: ", result.Stderr);
    }

    [Fact]
    public void Warnings_GoToStderr_AndTheCsvIsPrinted()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("short.sched", "schedule S over 2it {\n    lr = lin(0.2 -> 0.1, 1it)\n}\n");

        var result = CliRunner.Run("eval", file);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("step,lr\n0,0.2\n1,0.1\n2,0.1\n", result.Stdout);
        Assert.Contains(file + "(", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("): warning SCHED", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void SeveralSchedules_NeedScheduleOption_AndTheErrorListsThem()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("two.sched", TwoSchedules);

        var result = CliRunner.Run("eval", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains("Warmup", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("Decay", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--schedule", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void ScheduleOption_PicksOneByName()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("two.sched", TwoSchedules);

        var result = CliRunner.Run("eval", file, "--schedule", "Decay");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("step,lr\n0,0.5\n1,0.375\n2,0.25\n", result.Stdout);
    }

    [Fact]
    public void UnknownScheduleName_FailsListingTheNames()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("two.sched", TwoSchedules);

        var result = CliRunner.Run("eval", file, "--schedule=Cooldown");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains("Cooldown", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("Warmup, Decay", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void SetOverridesParameters()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("p.sched", "schedule P(peak = 1, warm = 2it) over 4it {\n    lr = lin(0 -> peak, warm) + const(peak, rest)\n}\n");

        var result = CliRunner.Run("eval", file, "--set", "peak=0.5", "--set", "warm=4it");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("step,lr\n0,0\n1,0.125\n2,0.25\n3,0.375\n4,0.5\n", result.Stdout);
    }

    [Fact]
    public void SetOfAnUnknownParameter_FailsWithDiagnostics_AndNoCsv()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("p.sched", "schedule P(peak = 1) over 2it {\n    lr = lin(0 -> peak, 2it)\n}\n");

        var result = CliRunner.Run("eval", file, "--set", "height=0.5");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains("error SCHED", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void SetWithoutEquals_IsAUsageError()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("p.sched", "schedule P(peak = 1) over 2it {\n    lr = lin(0 -> peak, 2it)\n}\n");

        var result = CliRunner.Run("eval", file, "--set", "peak");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains("name=value", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void StepsPerEpoch_LaysOutEpochs()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("e.sched", "schedule E over 2ep {\n    lr = lin(0 -> 1, 2ep)\n}\n");

        var result = CliRunner.Run("eval", file, "--steps-per-epoch", "2");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("step,lr\n0,0\n1,0.25\n2,0.5\n3,0.75\n4,1\n", result.Stdout);
    }

    [Fact]
    public void Epochs_WithoutStepsPerEpoch_SayWhatToWrite()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("e.sched", "schedule E over 2ep {\n    lr = lin(0 -> 1, 2ep)\n}\n");

        var result = CliRunner.Run("eval", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains("--steps-per-epoch", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("2.5")]
    [InlineData("many")]
    public void StepsPerEpoch_MustBeAPositiveWholeNumber(string value)
    {
        using var dir = new TempDirectory();
        string file = dir.Write("e.sched", "schedule E over 2ep {\n    lr = lin(0 -> 1, 2ep)\n}\n");

        var result = CliRunner.Run("eval", file, "--steps-per-epoch", value);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains("--steps-per-epoch", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFile_IsAnIoError_WithoutAStackTrace()
    {
        using var dir = new TempDirectory();
        string missing = dir.Combine("missing.sched");

        var result = CliRunner.Run("eval", missing);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains("not found", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(missing, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("eval")]
    [InlineData("eval", "a.sched", "b.sched")]
    [InlineData("eval", "a.sched", "--frobnicate", "1")]
    [InlineData("eval", "a.sched", "--schedule")]
    [InlineData("frobnicate")]
    [InlineData("--schedule", "S")]
    public void UsageErrors_ExitWith2_AndSayWhatToWrite(params string[] args)
    {
        var result = CliRunner.Run(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.StartsWith("sched", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void NoCommand_IsAUsageError()
    {
        var result = CliRunner.Run();

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("check, eval, plot or presets", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_PrintsUsageOfEveryCommand()
    {
        var result = CliRunner.Run("help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("sched check", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("sched eval", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("sched plot", result.Stdout, StringComparison.Ordinal);
    }
}
