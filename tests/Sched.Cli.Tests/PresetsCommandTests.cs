namespace Sched.Cli.Tests;

/// <summary><c>sched presets</c>: the standard library, readable by users.</summary>
public class PresetsCommandTests
{
    [Fact]
    public void Lists_every_preset_with_its_signature()
    {
        var result = CliRunner.Run("presets");
        Assert.Equal(0, result.ExitCode);
        foreach (var preset in Sched.Language.StandardLibrary.Defs) Assert.Contains(preset.Signature + "\n", result.Stdout);
        Assert.Contains("warmup_cos(peak, warm, end = 0, start = 0)\n", result.Stdout);
    }

    [Fact]
    public void Lists_presets_by_library_each_with_its_first_sentence()
    {
        var stdout = CliRunner.Run("presets").Stdout;
        Assert.Contains("\n# pytorch\nstep_lr(lr, step_size, gamma = 0.1)\n"
            + "    PyTorch `StepLR` (torch/optim/lr_scheduler.py, closed form lr * gamma^(last_epoch // step_size))\n", stdout);
        Assert.StartsWith("# core\n", stdout);
        Assert.All(stdout.Split('\n'), line => Assert.True(line.Length <= 100 || !line.StartsWith("    ", StringComparison.Ordinal), line));
    }

    [Theory]
    // A sentence ends at '.' or ':' before a space, not inside brackets or code, and not inside a number.
    [InlineData("PyTorch `StepLR` (see a.py: closed form). Then more.", "PyTorch `StepLR` (see a.py: closed form)")]
    [InlineData("From hi = 0.95 down\nto lo: cosine. More", "From hi = 0.95 down to lo")]
    [InlineData("`x: y. z` stays whole. Rest", "`x: y. z` stays whole")]
    [InlineData("No end at all", "No end at all")]
    public void A_summary_is_the_first_sentence(string documentation, string summary)
    {
        Assert.Equal(summary, Sched.Cli.Commands.PresetsCommand.Summary(documentation));
    }

    [Fact]
    public void Shows_one_presets_comment_and_source()
    {
        var result = CliRunner.Run("presets", "warmup_cos");
        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("/// ", result.Stdout);
        Assert.Contains("def warmup_cos(", result.Stdout);
    }

    [Fact]
    public void An_unknown_preset_lists_the_names()
    {
        var result = CliRunner.Run("presets", "warmup_cosine");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no preset 'warmup_cosine'; the presets are ", result.Stderr);
        Assert.Contains("warmup_cos", result.Stderr);
    }
}
