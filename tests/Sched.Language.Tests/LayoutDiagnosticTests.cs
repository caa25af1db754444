using Sched.Diagnostics;
using static Sched.Language.Tests.TestSupport;

namespace Sched.Language.Tests;

/// <summary>Diagnostics reported when a schedule is laid out for a run: steps per epoch and parameter overrides.</summary>
public sealed class LayoutDiagnosticTests
{
    private const DiagnosticSeverity Error = DiagnosticSeverity.Error;

    private const string WarmCos = """
        schedule WarmCos(peak = 0.1, warm = 2ep) over 10ep {
            lr = lin(0 -> peak, warm) + cos(peak -> 0)
        }
        """;

    // ---- SCHED031 steps per epoch --------------------------------------------------------------------

    [Fact]
    public void SCHED031_EpochScheduleLaidWithoutStepsPerEpoch_PointsAtAnEpochDuration()
    {
        var (laid, diagnostics) = LayWithDiagnostics(WarmCos, 0);
        Assert.Null(laid);
        var d = Single(diagnostics, "SCHED031");
        // The first place the schedule counts in epochs: the default '2ep' of 'warm'.
        AssertDiagnostic(d, "SCHED031", Error, 1, 37,
            "schedule 'WarmCos' counts in epochs and needs the number of steps in one epoch (stepsPerEpoch, 1 or more)");
    }

    [Fact]
    public void SCHED031_ByEpochWithoutStepsPerEpoch()
    {
        var (laid, diagnostics) = LayWithDiagnostics("""
            schedule Steps over 100it {
                lr = cos(0.1 -> 0) by epoch
            }
            """, 0);
        Assert.Null(laid);
        AssertDiagnostic(Single(diagnostics, "SCHED031"), "SCHED031", Error, 2, 27,
            "schedule 'Steps' counts in epochs and needs the number of steps in one epoch (stepsPerEpoch, 1 or more)");
    }

    [Fact]
    public void SCHED031_ByEpochWithoutStepsPerEpoch_IsTheOnlyError()
    {
        // The missing steps-per-epoch is the one problem; a second error about a "0 steps" block is noise.
        var (_, diagnostics) = LayWithDiagnostics("""
            schedule Steps over 100it {
                lr = cos(0.1 -> 0) by epoch
            }
            """, 0);
        Assert.True(diagnostics.Count == 1, string.Join("\n", diagnostics));
    }

    [Fact]
    public void SCHED031_EpochVariableInFn()
    {
        // 'epoch' needs a steps-per-epoch as much as '10ep' does; a NaN error (SCHED010) would hide the cause.
        var (laid, diagnostics) = LayWithDiagnostics("""
            schedule Decay over 100it {
                lr = fn(0.1 / (1 + epoch), rest)
            }
            """, 0);
        Assert.Null(laid);
        Assert.Equal("SCHED031", Assert.Single(diagnostics).Id);
    }

    [Fact]
    public void StepOnlySchedule_NeedsNoStepsPerEpoch()
    {
        var (laid, diagnostics) = LayWithDiagnostics("""
            schedule Steps over 100it {
                lr = cos(0.1 -> 0)
            }
            """, 0);
        Assert.Empty(diagnostics);
        Assert.NotNull(laid);
        Assert.Equal(100, laid!.Total);
    }

    // ---- SCHED032 bad overrides ----------------------------------------------------------------------

    [Fact]
    public void SCHED032_UnknownOverride_SuggestsTheParameter()
    {
        var (laid, diagnostics) = LayWithDiagnostics(WarmCos, 10, new Dictionary<string, string> { ["paek"] = "0.2" });
        Assert.Null(laid);
        var d = Single(diagnostics, "SCHED032");
        AssertDiagnostic(d, "SCHED032", Error, 1, 1,
            "schedule 'WarmCos' has no parameter 'paek'; its parameters are peak, warm; did you mean 'peak'?");
        Assert.Equal("--set paek", d.Path);
        Assert.Equal("--set paek(1,1): error SCHED032: schedule 'WarmCos' has no parameter 'paek'; its parameters are peak, warm; did you mean 'peak'?", d.ToString());
    }

    [Fact]
    public void SCHED032_OverrideOfAScheduleWithoutParameters()
    {
        var (_, diagnostics) = LayWithDiagnostics("""
            schedule Plain over 10it {
                lr = cos(0.1 -> 0)
            }
            """, 0, new Dictionary<string, string> { ["peak"] = "0.2" });
        AssertDiagnostic(Single(diagnostics, "SCHED032"), "SCHED032", Error, 1, 1, "schedule 'Plain' has no parameter 'peak'; it has none");
    }

    [Fact]
    public void SCHED032_DurationGivenForANumber()
    {
        var (_, diagnostics) = LayWithDiagnostics(WarmCos, 10, new Dictionary<string, string> { ["peak"] = "2ep" });
        AssertDiagnostic(Single(diagnostics, "SCHED032"), "SCHED032", Error, 1, 1,
            "'peak' is a number (default 0.1); write a number without a unit, e.g. 'peak=0.5'");
    }

    [Fact]
    public void SCHED032_NumberGivenForADuration()
    {
        var (_, diagnostics) = LayWithDiagnostics(WarmCos, 10, new Dictionary<string, string> { ["warm"] = "3" });
        AssertDiagnostic(Single(diagnostics, "SCHED032"), "SCHED032", Error, 1, 1,
            "'warm' is a duration (default 2ep); give a unit, e.g. 'warm=3ep'");
    }

    [Fact]
    public void SCHED032_OverrideWithASyntaxError()
    {
        var (_, diagnostics) = LayWithDiagnostics(WarmCos, 10, new Dictionary<string, string> { ["warm"] = "3ep+" });
        var d = Single(diagnostics, "SCHED032");
        Assert.StartsWith("'warm=3ep+': syntax error: expected a value, a duration or a segment such as lin(a -> b, 10ep), found ", d.Message);
    }

    [Fact]
    public void SCHED032_OverrideWithASyntaxError_DoesNotTalkAboutAFile()
    {
        // An override is a value on the command line; "the end of the file" is misleading there.
        var (_, diagnostics) = LayWithDiagnostics(WarmCos, 10, new Dictionary<string, string> { ["warm"] = "3ep+" });
        Assert.DoesNotContain("file", Single(diagnostics, "SCHED032").Message);
    }

    [Fact]
    public void SCHED032_OverrideWithAnUnknownName()
    {
        var (_, diagnostics) = LayWithDiagnostics(WarmCos, 10, new Dictionary<string, string> { ["warm"] = "wram" });
        var d = Single(diagnostics, "SCHED032");
        Assert.StartsWith("'warm=wram': unknown name 'wram'", d.Message);
    }

    [Fact]
    public void Overrides_AreAppliedAndCheckedLikeDefaults()
    {
        var laid = Lay(WarmCos, 10, new Dictionary<string, string> { ["peak"] = "0.5", ["warm"] = "3ep" });
        Assert.Equal(0.5, Value(laid, "lr", 30), 12);

        var (negative, diagnostics) = LayWithDiagnostics(WarmCos, 10, new Dictionary<string, string> { ["peak"] = "-1" });
        Assert.Null(negative);
        AssertDiagnostic(Single(diagnostics, "SCHED011"), "SCHED011", Error, 2, 10,
            "the learning rate reaches -1 at step 20 (epoch 2); a learning rate must be 0 or more");

        var (tooLong, diagnostics2) = LayWithDiagnostics(WarmCos, 10, new Dictionary<string, string> { ["warm"] = "20ep" });
        Assert.Null(tooLong);
        AssertDiagnostic(Single(diagnostics2, "SCHED007"), "SCHED007", Error, 2, 10,
            "track 'lr' without its 'rest' lasts 20 epochs (200 steps), longer than the 10 epochs (100 steps) available; shorten a segment or lengthen 'over'");
    }
}
