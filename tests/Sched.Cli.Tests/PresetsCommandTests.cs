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
