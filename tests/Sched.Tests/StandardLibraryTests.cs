namespace Sched.Tests;

/// <summary>The standard library is usable from any schedule, and a file's own def of the same name wins.</summary>
public class StandardLibraryTests
{
    [Fact]
    public void A_preset_is_callable_without_declaring_it()
    {
        var s = Build.Create("schedule W over 100it { lr = warmup_cos(0.1, 10it) }");
        // Linear warm-up to 0.1 over 10 steps, then a cosine from 0.1 to 0 over the remaining 90.
        Expect.Track(s, "lr", 0, 110, x =>
            x < 10 ? 0.1 * (x / 10.0)
            : x < 100 ? 0 + (0.1 - 0) * (1 + Math.Cos(Math.PI * ((x - 10) / 90.0))) / 2
            : 0);
    }

    [Fact]
    public void A_files_own_def_shadows_the_preset()
    {
        var s = Build.Create("""
            def warmup_cos(peak, warm) = const(peak, warm) + const(peak / 2)
            schedule W over 20it { lr = warmup_cos(0.1, 10it) }
            """);
        Expect.At(s, "lr", 5, 0.1);
        Expect.At(s, "lr", 15, 0.05);
    }

    [Fact]
    public void Every_preset_has_a_comment_and_binds()
    {
        Assert.NotEmpty(Sched.Language.StandardLibrary.Defs);
        foreach (var preset in Sched.Language.StandardLibrary.Defs)
        {
            Assert.False(string.IsNullOrWhiteSpace(preset.Documentation), $"{preset.Name} has no /// comment");
        }
    }
}
