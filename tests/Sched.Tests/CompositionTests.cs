namespace Sched.Tests;

/// <summary>Fractional repeats, user functions and fractional segment lengths (docs/language.md §1, §4, §6).</summary>
public class CompositionTests
{
    // repeat(1.5) cuts the second cycle in the middle of a segment; the held value is the value at the cut.
    [Fact]
    public void FractionalRepeat_CutInsideASegment()
    {
        var s = Build.Create("schedule Half { lr = repeat(1.5) { cos(1 -> 0.1, 8it) } }");
        Assert.Equal(12, s.TotalSteps);
        double cut = Formula.Cos(1, 0.1, 0.5);
        Expect.Track(s, "lr", 0, 20, x =>
            x < 8 ? 0.1 + (1 - 0.1) * (1 + Math.Cos(Math.PI * (x / 8.0))) / 2
            : x < 12 ? 0.1 + (1 - 0.1) * (1 + Math.Cos(Math.PI * ((x - 8) / 8.0))) / 2
            : cut);
    }

    // The cut falls on a jump between two segments: the held value is the limit from the left, not the next segment's start.
    [Fact]
    public void FractionalRepeat_CutOnAJumpHoldsTheLeftLimit()
    {
        var s = Build.Create("schedule Jump { lr = repeat(1.5) { lin(0.1 -> 1, 5it) + const(0.2, 5it) } }");
        Assert.Equal(15, s.TotalSteps);
        Expect.Track(s, "lr", 0, 20, x =>
        {
            if (x >= 15) return 1; // lin at p = 1 of cycle 1
            long u = x % 10;
            return u < 5 ? 0.1 + (1 - 0.1) * (u / 5.0) : 0.2;
        });
    }

    // repeat(2.5, mult = 2): cycles of 4, 8 and half of 16 steps; the last is cut after 8 of its 16 steps.
    [Fact]
    public void FractionalRepeatWithMult_LastCycleCutByTime()
    {
        var s = Build.Create("schedule HalfMult { lr = repeat(2.5, mult = 2) { cos(1 -> 0.01, 4it) } }");
        Assert.Equal(20, s.TotalSteps);
        Expect.Track(s, "lr", 0, 25, x =>
        {
            double start, length;
            if (x < 4) { start = 0; length = 4; }
            else if (x < 12) { start = 4; length = 8; }
            else { start = 12; length = 16; }
            double p = x >= 20 ? 0.5 : (x - start) / length;
            return 0.01 + (1 - 0.01) * (1 + Math.Cos(Math.PI * p)) / 2;
        });
    }

    // A def with a duration parameter: warm-up then cosine to the end of the run.
    [Fact]
    public void Def_WithDurationParameter()
    {
        var s = Build.Create("""
            def lin_then_cos(peak, w) = lin(0 -> peak, w) + cos(peak -> 0)
            schedule WarmCos over 20ep { lr = lin_then_cos(0.1, 5ep) }
            """, 10);
        Assert.Equal(200, s.TotalSteps);
        Expect.Track(s, "lr", 0, 210, x =>
            x < 50 ? 0 + (0.1 - 0) * (x / 50.0)
            : x < 200 ? 0 + (0.1 - 0) * (1 + Math.Cos(Math.PI * ((x - 50) / 150.0))) / 2
            : 0);
    }

    // A def with defaulted number and duration parameters, called positionally and with named arguments.
    [Fact]
    public void Def_NamedAndDefaultArguments()
    {
        var s = Build.Create("""
            def ramp(lo, hi = 1, len = 10it) = lin(lo -> hi, len)
            schedule Calls {
                lr = ramp(0.1) + ramp(0.2, 0.5) + ramp(0.3, len = 20it) + ramp(hi = 0.9, lo = 0.4, len = 5it)
            }
            """);
        Assert.Equal(45, s.TotalSteps);
        Expect.Track(s, "lr", 0, 50, x =>
            x < 10 ? 0.1 + (1 - 0.1) * (x / 10.0)
            : x < 20 ? 0.2 + (0.5 - 0.2) * ((x - 10) / 10.0)
            : x < 40 ? 0.3 + (1 - 0.3) * ((x - 20) / 20.0)
            : x < 45 ? 0.4 + (0.9 - 0.4) * ((x - 40) / 5.0)
            : 0.9);
    }

    // 30 % of 95 steps is 28.5: step 28 is still in the ramp, step 29 is half a step into the next segment.
    [Fact]
    public void FractionalSegmentLength_BoundaryBetweenSteps()
    {
        var s = Build.Create("schedule Frac over 95it { lr = lin(0 -> 1, 30%) + lin(1 -> 0.5, rest) }");
        const double first = 30.0 * 95 / 100, second = 95 - first;
        Assert.Equal(28.5, first);
        Expect.At(s, "lr", 28, 0 + (1 - 0) * (28 / first));
        Expect.At(s, "lr", 29, 1 + (0.5 - 1) * ((29 - first) / second));
        Expect.Track(s, "lr", 0, 100, x =>
            x < first ? x / first
            : x < 95 ? 1 + (0.5 - 1) * ((x - first) / second)
            : 0.5);
    }

    // `*` binds tighter than `+`: A + B * m modulates B only, with m's p being B's own progress.
    [Fact]
    public void Modulation_BindsTighterThanConcat()
    {
        var s = Build.Create("schedule Mod { lr = const(0.5, 10it) + lin(0.2 -> 0.4, 10it) * (1 + p) }");
        Expect.Track(s, "lr", 0, 25, x =>
        {
            if (x < 10) return 0.5;
            double p = x >= 20 ? 1 : (x - 10) / 10.0;
            return (0.2 + (0.4 - 0.2) * p) * (1 + p);
        });
    }

    // Parenthesised (A + B) * m: m's p is the progress of the whole concatenation.
    [Fact]
    public void Modulation_OfParenthesisedConcat()
    {
        var s = Build.Create("schedule Mod2 { lr = (const(0.5, 10it) + lin(0.2 -> 0.4, 10it)) * (2 - p) }");
        Expect.Track(s, "lr", 0, 25, x =>
        {
            double p = x >= 20 ? 1 : x / 20.0;
            double inner = x < 10 ? 0.5 : x < 20 ? 0.2 + (0.4 - 0.2) * ((x - 10) / 10.0) : 0.4;
            return inner * (2 - p);
        });
    }

    // `by` binds tighter than `+` and never quantizes before its operand's start.
    [Fact]
    public void By_QuantizesOnlyItsOperandAndNeverBeforeItsStart()
    {
        var s = Build.Create("schedule ByStart { lr = const(0.5, 5it) + lin(0.1 -> 1, 20it) by 10it }");
        Assert.Equal(25, s.TotalSteps);
        Expect.Track(s, "lr", 0, 24, x =>
        {
            if (x < 5) return 0.5;
            double q = Math.Max(Math.Floor(x / 10.0) * 10, 5); // global blocks of 10, clamped to B's start
            return 0.1 + (1 - 0.1) * ((q - 5) / 20);
        });
    }

    // A repeat inside a concat: cycle positions are relative to the repeat's start, not the track's.
    [Fact]
    public void RepeatAfterAnotherSegment()
    {
        var s = Build.Create("schedule After over 42it { lr = const(0.2, 5it) + repeat { cos(1 -> 0.1, 10it) } }");
        Expect.Track(s, "lr", 0, 50, x =>
        {
            if (x < 5) return 0.2;
            double u = x >= 42 ? 7 : (x - 5) % 10;
            double p = x >= 42 ? 0.7 : u / 10;
            return 0.1 + (1 - 0.1) * (1 + Math.Cos(Math.PI * p)) / 2;
        });
    }

    // mult = 3: p must be (x - x0) / L with L = 9 * 3^3 = 243, as docs/language.md defines it; near p = 1 the cosine cancels, so a p off by one ulp shows.
    [Fact]
    public void RepeatMultThree_ProgressIsMeasuredInTheCyclesOwnSteps()
    {
        var s = Build.Create("schedule R { lr = repeat(4, mult = 3) { cos(1 -> 0, 9it) } }");
        Assert.Equal(360, s.TotalSteps);
        Expect.Track(s, "lr", 0, 365, x =>
        {
            if (x >= 360) return 0;
            double start = x < 9 ? 0 : x < 36 ? 9 : x < 117 ? 36 : 117, length = x < 9 ? 9 : x < 36 ? 27 : x < 117 ? 81 : 243;
            double p = (x - start) / length;
            return 0 + (1 - 0) * (1 + Math.Cos(Math.PI * p)) / 2;
        });
    }

    // cycle refers to the innermost repeat.
    [Fact]
    public void NestedRepeat_CycleIsTheInnermost()
    {
        var s = Build.Create("schedule N { lr = repeat(2) { repeat(3) { const(0.1 * 2^cycle, 5it) } } }");
        Assert.Equal(30, s.TotalSteps);
        Expect.Track(s, "lr", 0, 35, x => x >= 30 ? 0.4 : 0.1 * Math.Pow(2, x % 15 / 5));
    }

    // Nothing throws far past the end: every shape holds its final value even at huge positions.
    [Theory]
    [InlineData(1e12)]
    [InlineData(1e300)]
    [InlineData(double.MaxValue)]
    public void FarPastTheEnd_Holds(double x)
    {
        var s = Build.Create("""
            schedule Far over 100it {
                lr = const(0.5, 3it) + repeat(mult = 2) { cos(1 -> 0.1, 10it) }
                mom = cos(0.95 -> 0.85, 50it) by 7it
                wd = repeat(2.5) { lin(0.1 -> 0.2, 4it) } * (1 + p)
            }
            """);
        // repeat from 3 to 100: cycles of 10, 20, 40 (ends at 73), then 80 cut after 27 steps.
        Expect.Close(0.1 + (1 - 0.1) * (1 + Math.Cos(Math.PI * (27.0 / 80))) / 2, s.Evaluate(0, x), "lr");
        Expect.Close(0.85, s.Evaluate(1, x), "mom");
        Expect.Close((0.1 + (0.2 - 0.1) * 0.5) * 2, s.Evaluate(2, x), "wd");
    }
}
