using Sched.Diagnostics;
using Sched.Text;
using static Sched.Language.Tests.TestSupport;

namespace Sched.Language.Tests;

/// <summary>
/// Numbers at the edges of double precision, and follow-on diagnostics: an error should be reported once,
/// where it is, without warnings that only repeat its consequence.
/// </summary>
public sealed class EdgeCaseTests
{
    [Fact]
    public void InfiniteSegmentDuration_IsAnError()
    {
        // 1e999it overflows to infinity; it must not silently become a 0-step segment.
        var analysis = Analyze("""
            schedule A over 10ep {
                lr = cos(0.1 -> 0, 1e999it) + const(0.01, rest)
            }
            """);
        Assert.Contains(analysis.Diagnostics, d => d.IsError && d.Start == new LinePosition(2, 24));
    }

    [Fact]
    public void InfiniteTotal_IsAnError()
    {
        var analysis = Analyze("""
            schedule A over 1e999it {
                lr = cos(0.1 -> 0)
            }
            """);
        Assert.Contains(analysis.Diagnostics, d => d.IsError && d.Start == new LinePosition(1, 17));
    }

    [Fact]
    public void InfiniteEvery_IsAnErrorAtTheDuration_WithoutInfinityInTheMessage()
    {
        var analysis = Analyze("""
            schedule A over 100it {
                lr = repeat(2, every = 1e999it) { cos(0.1 -> 0, 8it) }
            }
            """);
        Assert.True(analysis.HasErrors);
        Assert.All(analysis.Diagnostics, d => Assert.DoesNotContain("Infinity", d.Message));
    }

    [Fact]
    public void RepeatWhoseCyclesOverflow_IsAnErrorThatSaysSo()
    {
        // 2^1e9 overflows: "lasts Infinity steps, longer than the 0 steps available" explains nothing.
        var analysis = Analyze("""
            schedule A {
                lr = repeat(1e9, mult = 2) { cos(0.1 -> 0, 10it) }
            }
            """);
        Assert.True(analysis.HasErrors);
        Assert.All(analysis.Diagnostics, d => Assert.DoesNotContain("Infinity", d.Message));
    }

    [Theory]
    [InlineData("1e-308it")]
    [InlineData("4.9e-324it")]
    [InlineData("1e999it")]
    public void ExtremeQuantizationBlock_IsAnErrorOrEvaluatesToFiniteValues(string block)
    {
        var analysis = Analyze($$"""
            schedule A over 100it {
                lr = lin(0.1 -> 0.01, 10it) by {{block}} + const(0.01, rest)
            }
            """);
        if (analysis.HasErrors) return;
        var diagnostics = new List<Diagnostic>();
        var laid = Assert.Single(analysis.Schedules).Lay(1, null, diagnostics);
        if (laid is null) return;
        for (double x = 0; x <= 100; x += 0.5)
        {
            double value = Value(laid, "lr", x);
            Assert.True(double.IsFinite(value), $"lr({x}) = {value} in a schedule without errors");
        }
    }

    [Fact]
    public void SmallestPositiveNumbers_AreValidValues()
    {
        var laid = Lay("""
            schedule A over 10it {
                lr = lin(1e-300 -> 4.9e-324, 10it)
                x = -0
            }
            """, 1);
        Assert.Equal(1e-300, Value(laid, "lr", 0));
        Assert.Equal(0.0, Value(laid, "x", 5));
    }

    [Fact]
    public void ExpBetweenTinyEndsOfTheSameSign_IsValid()
    {
        // The ends are nonzero and of the same sign; only their product underflows to 0.
        var laid = Lay("""
            schedule A over 10it {
                lr = exp(1e-160 -> 1e-170, 10it)
            }
            """, 1);
        Assert.Equal(1e-165, Value(laid, "lr", 5), 1e-175);
    }

    [Fact]
    public void SCHED009_ShowsSmallEndsAsWritten()
    {
        // A learning rate of 1e-7 is common; the message must not round it to "exp(0 -> 0)".
        var d = Single(Analyze("""
            schedule A over 10it {
                lr = exp(1e-7 -> 0, 10it)
            }
            """), "SCHED009");
        Assert.Matches(@"^exp\(1[eE]-0?7 -> 0\) needs nonzero ends of the same sign", d.Message);
    }

    [Fact]
    public void SCHED007_DoesNotRoundAwayTheExcess()
    {
        // "lasts 10 steps, longer than the 10 steps available" contradicts itself.
        var d = Single(Analyze("""
            schedule A over 10it {
                lr = cos(0.1 -> 0, 10.0000001it)
            }
            """), "SCHED007");
        Assert.DoesNotContain("lasts 10 steps, longer than the 10 steps", d.Message);
    }

    [Fact]
    public void LargestNumbers_AreValidValues()
    {
        var laid = Lay("""
            schedule A over 1e15it {
                lr = lin(1.7976931348623157e308 -> 0, rest)
            }
            """, 1);
        Assert.Equal(double.MaxValue, Value(laid, "lr", 0));
    }

    // ---- one problem, one diagnostic ----------------------------------------------------------------

    [Fact]
    public void BadRepeatCount_IsTheOnlyDiagnostic()
    {
        // The repeat is laid out as empty after the error; "track 'lr' lasts 0 epochs" repeats the same problem.
        AssertOnly("""
            schedule A over 10ep {
                lr = repeat(0) { cos(0.1 -> 0, 1ep) }
            }
            """, "SCHED029");
    }

    [Fact]
    public void NegativeDuration_IsTheOnlyDiagnostic()
    {
        AssertOnly("""
            schedule A over 10ep {
                lr = cos(0.1 -> 0, -2ep)
            }
            """, "SCHED018");
    }

    [Fact]
    public void UnknownFunction_IsTheOnlyDiagnostic()
    {
        AssertOnly("""
            schedule A over 10ep {
                lr = cso(0.1 -> 0)
                mom = 0.9
            }
            """, "SCHED002");
    }

    [Fact]
    public void DurationWithoutUnit_IsTheOnlyDiagnostic()
    {
        AssertOnly("""
            schedule A over 10ep {
                lr = lin(0 -> 0.1, 2) + cos(0.1 -> 0)
            }
            """, "SCHED004");
    }

    private static void AssertOnly(string text, string id)
    {
        var analysis = Analyze(text);
        Assert.True(analysis.Diagnostics.Count == 1 && analysis.Diagnostics[0].Id == id,
            $"expected only {id}, got:\n{string.Join("\n", analysis.Diagnostics)}");
    }
}
