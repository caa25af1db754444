namespace Sched.Tests;

/// <summary>Every example of docs/language.md §2–§6, which the contract declares normative.</summary>
public class DslExampleTests
{
    // ---------- §2 A file ----------

    private const string SectionTwoFile = """
        // comments: // to end of line, /* block */
        namespace Training.Schedules;          // optional; default: the project's RootNamespace

        def tri(lo, hi, half) = lin(lo -> hi, half) + lin(hi -> lo, half)   // a user function

        /* a block
           comment */
        /// Leslie Smith's 1cycle with cyclical momentum (fastai use_clr_beta, 95 epochs).
        schedule SmithOneCycle(peak = 0.8) over 95ep {
            lr       = lin(peak/10 -> peak, 41ep) + lin(peak -> peak/10, 41ep) + lin(peak/10 -> peak/1000, rest)
            momentum = lin(0.95 -> 0.85, 41ep) + lin(0.85 -> 0.95, 41ep) + const(0.95, rest)
        }
        """;

    // The §2 file parses with its namespace, doc comment and parameter.
    [Fact]
    public void File_ParsesWithNamespaceDocsAndParameters()
    {
        var definition = Schedule.Parse(SectionTwoFile);
        Assert.Equal("SmithOneCycle", definition.Name);
        Assert.Equal("Training.Schedules", definition.Namespace);
        Assert.Contains("Leslie Smith's 1cycle", definition.Documentation ?? "", StringComparison.Ordinal);
        var parameter = Assert.Single(definition.Parameters);
        Assert.Equal("peak", parameter.Name);
        Assert.False(parameter.IsDuration);
        Assert.True(definition.UsesEpochs);
        Assert.Equal(new[] { "lr", "momentum" }, definition.TrackNames);

        var s = definition.Create(10);
        Assert.Equal(950, s.TotalSteps);
        Expect.At(s, "lr", 205, 0.8 / 10 + (0.8 - 0.8 / 10) * 0.5);
    }

    // The §2 def tri: up for `half`, down for `half`.
    [Fact]
    public void File_DefTri()
    {
        var s = Build.Create("""
            def tri(lo, hi, half) = lin(lo -> hi, half) + lin(hi -> lo, half)
            schedule Tri { lr = tri(0.1, 1, 10it) + tri(0.2, 0.6, 5it) }
            """);
        Assert.Equal(30, s.TotalSteps);
        Expect.Track(s, "lr", 0, 35, x =>
            x < 10 ? 0.1 + (1 - 0.1) * (x / 10.0)
            : x < 20 ? 1 + (0.1 - 1) * ((x - 10) / 10.0)
            : x < 25 ? 0.2 + (0.6 - 0.2) * ((x - 20) / 5.0)
            : x < 30 ? 0.6 + (0.2 - 0.6) * ((x - 25) / 5.0)
            : 0.2);
    }

    // Without `over` the total is the longest track; tracks separated by `;`; the shorter track holds its last value.
    [Fact]
    public void File_NoOverTotalIsLongestTrack()
    {
        var s = Build.Create("schedule Longest { lr = lin(0.1 -> 1, 30it); mom = const(0.9, 50it) }");
        Assert.Equal(50, s.TotalSteps);
        Expect.Track(s, "lr", 0, 60, x => x < 30 ? 0.1 + (1 - 0.1) * (x / 30.0) : 1);
        Expect.Track(s, "momentum", 0, 60, _ => 0.9);
    }

    // Without `over`: rest, % outside every, and a repeat filling the rest are errors.
    [Theory]
    [InlineData("schedule S { lr = lin(0.1 -> 1, 10it) + const(0.1, rest) }")]
    [InlineData("schedule S { lr = lin(0.1 -> 1, 10it) + const(0.1) }")]
    [InlineData("schedule S { lr = lin(0.1 -> 1, 25%) }")]
    [InlineData("schedule S { lr = repeat { lin(0.1 -> 1, 10it) } }")]
    [InlineData("schedule S { lr = repeat(4) { lin(0.1 -> 1, 50%) + lin(1 -> 0.1, 50%) } }")]
    public void File_NoOverRestAndPercentAreErrors(string text) => Expect.Error(text);

    // A bare value is a constant track.
    [Fact]
    public void File_BareValueIsConstantTrack()
    {
        var s = Build.Create("schedule Wd over 10it { lr = const(0.1)\n wd = 1e-4 }");
        Expect.Track(s, "wd", 0, 12, _ => 1e-4);
        Expect.Track(s, "lr", 0, 12, _ => 0.1);
    }

    private const string ParameterSchedule = """
        schedule Params(peak = 0.1, low = peak / 100, warm = 2ep, hold = 2*warm + 5it) over 20ep {
            lr = lin(low -> peak, warm) + const(peak, hold) + cos(peak -> low, rest)
        }
        """;

    private static double ParameterScheduleValue(double x, double peak, double floor, double warm, double hold, double total)
    {
        double decay = total - warm - hold;
        if (x >= total) return floor;
        if (x < warm) return floor + (peak - floor) * (x / warm);
        if (x < warm + hold) return peak;
        return floor + (peak - floor) * (1 + Math.Cos(Math.PI * ((x - warm - hold) / decay))) / 2;
    }

    // Number and duration parameters whose defaults use earlier parameters.
    [Fact]
    public void Parameters_DefaultsUseEarlierParameters()
    {
        var definition = Schedule.Parse(ParameterSchedule);
        Assert.Equal(new[] { "peak", "low", "warm", "hold" }, definition.Parameters.Select(p => p.Name));
        Assert.Equal(new[] { false, false, true, true }, definition.Parameters.Select(p => p.IsDuration));

        var s = definition.Create(10);
        // warm = 20 steps, hold = 2*20 + 5 = 45 steps, decay = 200 - 65.
        Expect.Track(s, "lr", 0, 210, x => ParameterScheduleValue(x, 0.1, 0.1 / 100, 20, 45, 200));
    }

    // `--set`-style overrides: a number and a duration; later defaults follow the overridden values.
    [Fact]
    public void Parameters_SetOverrides()
    {
        var s = Build.Create(ParameterSchedule, 10, ("peak", "0.5"), ("warm", "1ep"));
        // floor = 0.5/100, warm = 10 steps, hold = 2*10 + 5 = 25 steps.
        Expect.Track(s, "lr", 0, 210, x => ParameterScheduleValue(x, 0.5, 0.5 / 100, 10, 25, 200));

        var t = Build.Create(ParameterSchedule, 10, ("hold", "30it"), ("low", "0.002"));
        Expect.Track(t, "lr", 0, 210, x => ParameterScheduleValue(x, 0.1, 0.002, 20, 30, 200));
    }

    // `--set warm=10ep` as written in §2.
    [Fact]
    public void Parameters_SetDurationInEpochs()
    {
        var s = Build.Create("""
            schedule Warm(warm = 5ep) over 20ep { lr = lin(0.01 -> 0.1, warm) + cos(0.1 -> 0.001, rest) }
            """, 4, ("warm", "10ep"));
        Expect.Track(s, "lr", 0, 85, x =>
            x < 40 ? 0.01 + (0.1 - 0.01) * (x / 40.0)
            : x < 80 ? 0.001 + (0.1 - 0.001) * (1 + Math.Cos(Math.PI * ((x - 40) / 40.0))) / 2
            : 0.001);
    }

    // Reserved words are not parameter or def names.
    [Theory]
    [InlineData("schedule S(p = 0.1) over 10it { lr = const(p) }")]
    [InlineData("schedule S(rest = 0.1) over 10it { lr = const(0.1) }")]
    [InlineData("schedule S(pi = 0.1) over 10it { lr = const(0.1) }")]
    [InlineData("schedule S(lin = 0.1) over 10it { lr = const(0.1) }")]
    [InlineData("schedule S(ep = 0.1) over 10it { lr = const(0.1) }")]
    [InlineData("def cycle(a) = const(a)\nschedule S over 10it { lr = const(0.1) }")]
    [InlineData("def max(a) = const(a)\nschedule S over 10it { lr = const(0.1) }")]
    public void Parameters_ReservedNamesAreErrors(string text) => Expect.Error(text);

    // Several schedules may share a file; Parse insists on exactly one.
    [Fact]
    public void File_SeveralSchedules()
    {
        const string text = """
            def ramp(a) = lin(0.1 -> a, 10it)
            schedule A { lr = ramp(1) }
            schedule B { lr = ramp(0.5) }
            """;
        var all = Schedule.ParseAll(text);
        Assert.Equal(new[] { "A", "B" }, all.Select(d => d.Name));
        Expect.At(all[1].Create(), "lr", 5, 0.1 + (0.5 - 0.1) * 0.5);
        Assert.Throws<ScheduleException>(() => Schedule.Parse(text));
    }

    // ---------- §3 Tracks ----------

    // Known tracks, the mom alias (canonical momentum), and custom tracks by name, in declaration order.
    [Fact]
    public void Tracks_KnownAliasAndCustom()
    {
        var s = Build.Create("""
            schedule Tracks over 10it {
                lr = const(0.1)
                mom = const(0.9)
                beta2 = const(0.999)
                wd = const(0.01)
                dropout = lin(0.5 -> 0, 10it)
                ema = 0.9999
            }
            """);
        Assert.Equal(new[] { "lr", "momentum", "beta2", "wd", "dropout", "ema" }, s.TrackNames);
        Assert.Equal(1, s.IndexOf("mom"));
        Assert.Equal(1, s.IndexOf("momentum"));
        Assert.Equal(-1, s.IndexOf("nothing"));
        Expect.At(s, "mom", 3, 0.9);
        Expect.At(s, "beta2", 3, 0.999);
        Expect.At(s, "wd", 3, 0.01);
        Expect.At(s, "ema", 3, 0.9999);
        Expect.Track(s, "dropout", 0, 12, x => x < 10 ? 0.5 + (0 - 0.5) * (x / 10.0) : 0);
    }

    // lr is required; a track appears at most once (mom and momentum are the same track).
    [Theory]
    [InlineData("schedule S over 10it { mom = const(0.9) }")]
    [InlineData("schedule S over 10it { lr = const(0.1); lr = const(0.2) }")]
    [InlineData("schedule S over 10it { lr = const(0.1); mom = const(0.9); momentum = const(0.9) }")]
    public void Tracks_RequiredAndUnique(string text) => Expect.Error(text);

    // ---------- §4 Durations ----------

    // ep, it, and the exponent form 1e5it.
    [Fact]
    public void Durations_Units()
    {
        Assert.Equal(500, Build.Create("schedule S { lr = lin(0.1 -> 1, 500it) }").TotalSteps);
        Assert.Equal(7, Build.Create("schedule S { lr = lin(0.1 -> 1, 1ep) }", 7).TotalSteps);
        Assert.Equal(287, Build.Create("schedule S { lr = lin(0.1 -> 1, 41ep) }", 7).TotalSteps);
        var big = Build.Create("schedule S { lr = lin(0.1 -> 1, 1e5it) }");
        Assert.Equal(100000, big.TotalSteps);
        Expect.At(big, "lr", 50000, 0.1 + (1 - 0.1) * 0.5);
    }

    // 25% of the total; rest is what remains.
    [Fact]
    public void Durations_PercentAndRest()
    {
        var s = Build.Create("schedule S over 40ep { lr = lin(0.1 -> 1, 25%) + lin(1 -> 0.1, rest) }", 3);
        const double total = 120, first = 25.0 * total / 100;
        Expect.Track(s, "lr", 0, 125, x =>
            x < first ? 0.1 + (1 - 0.1) * (x / first)
            : x < total ? 1 + (0.1 - 1) * ((x - first) / (total - first))
            : 0.1);
    }

    // Duration arithmetic: 2*warm, warm*2, warm + 10it, 0.3*50it - 1it, warm/2, pct*100%, rest.
    [Fact]
    public void Durations_Arithmetic()
    {
        var s = Build.Create("""
            schedule Arith(warm = 2ep, pct = 0.3) over 30ep {
                lr = lin(0.1 -> 1, 2*warm) + const(1, warm + 10it) + lin(1 -> 0.5, 0.3*50it - 1it)
                   + const(0.5, warm/2) + cos(0.5 -> 0.01, pct*100%) + const(0.02, warm*2) + const(0.01, rest)
            }
            """, 10);
        double warm = 2 * 10, total = 300;
        double d1 = 2 * warm, d2 = warm + 10, d3 = 0.3 * 50 - 1, d4 = warm / 2, d5 = 0.3 * (100 * total / 100), d6 = warm * 2;
        double b1 = d1, b2 = b1 + d2, b3 = b2 + d3, b4 = b3 + d4, b5 = b4 + d5, b6 = b5 + d6;
        Assert.Equal(total, s.TotalSteps);
        Expect.Track(s, "lr", 0, 310, x =>
            x < b1 ? 0.1 + (1 - 0.1) * (x / d1)
            : x < b2 ? 1
            : x < b3 ? 1 + (0.5 - 1) * ((x - b2) / d3)
            : x < b4 ? 0.5
            : x < b5 ? 0.01 + (0.5 - 0.01) * (1 + Math.Cos(Math.PI * ((x - b4) / d5))) / 2
            : x < b6 ? 0.02
            : 0.01);
    }

    // pct*100% scales a percentage: 30 % of 95 steps is 28.5.
    [Fact]
    public void Durations_ParameterTimesPercent()
    {
        var s = Build.Create("schedule Pct(pct = 0.3) over 95it { lr = lin(0.1 -> 1, pct*100%) + lin(1 -> 0.1, rest) }");
        double first = 0.3 * (100 * 95.0 / 100);
        Expect.Track(s, "lr", 0, 100, x =>
            x < first ? 0.1 + (1 - 0.1) * (x / first)
            : x < 95 ? 1 + (0.1 - 1) * ((x - first) / (95 - first))
            : 0.1);
    }

    // A bare number is not a duration; a negative duration is an error.
    [Fact]
    public void Durations_Errors()
    {
        Expect.Error("schedule S { lr = lin(0.1 -> 1, 10) }", "a duration needs a unit");
        Expect.Error("schedule S { lr = lin(0.1 -> 1, 10it - 20it) }");
    }

    // A zero-duration last segment covers no step but gives the final value.
    [Fact]
    public void Durations_ZeroLengthLastSegmentGivesFinalValue()
    {
        var s = Build.Create("schedule Zero { lr = lin(0.1 -> 0.2, 10it) + const(0.5, 0it) }");
        Assert.Equal(10, s.TotalSteps);
        Expect.Track(s, "lr", 0, 15, x => x < 10 ? 0.1 + (0.2 - 0.1) * (x / 10.0) : 0.5);
    }

    // ---------- §5 Segments ----------

    // Each segment kind of the §5 table, end to end; poly's power defaults to 1.
    [Fact]
    public void Segments_AllShapes()
    {
        var s = Build.Create("""
            schedule Shapes over 60it {
                lr = lin(0.1 -> 0.5, 10it) + cos(0.5 -> 0.2, 10it) + exp(0.2 -> 0.02, 10it)
                   + poly(0.02 -> 0.3, 10it) + poly(0.3 -> 0.01, 10it, 2) + const(0.05, 10it)
            }
            """);
        Expect.Track(s, "lr", 0, 65, x =>
        {
            if (x >= 60) return 0.05;
            long k = x / 10;
            double p = (x - 10 * k) / 10.0;
            return k switch
            {
                0 => 0.1 + (0.5 - 0.1) * p,
                1 => 0.2 + (0.5 - 0.2) * (1 + Math.Cos(Math.PI * p)) / 2,
                2 => 0.2 * Math.Pow(0.02 / 0.2, p),
                3 => 0.3 + (0.02 - 0.3) * Math.Pow(1 - p, 1),
                4 => 0.01 + (0.3 - 0.01) * Math.Pow(1 - p, 2),
                _ => 0.05,
            };
        });
    }

    // exp between two negative values (on a custom track, since lr may not be negative); held value is b.
    [Fact]
    public void Segments_ExpNegativeSameSign()
    {
        var s = Build.Create("schedule Neg over 10it { lr = const(0.1); bias = exp(-1 -> -0.01, 10it) }");
        Expect.Track(s, "bias", 0, 12, x => x < 10 ? -1 * Math.Pow(-0.01 / -1, x / 10.0) : -1 * Math.Pow(-0.01 / -1, 1.0));
    }

    // fn sees p, t = x / total, step = x and epoch = x / stepsPerEpoch; the held value is computed at x = end.
    [Fact]
    public void Segments_FnVariables()
    {
        var s = Build.Create("""
            schedule Fn over 10ep {
                lr = fn(0.1 * (1 - p)^2 + 0.01 * t + 1e-4 * step + 1e-3 * epoch, 40it)
                   + fn(0.05 + 0.001*p + 0.001*t + 1e-5*step + 1e-4*epoch)
            }
            """, 7);
        Assert.Equal(70, s.TotalSteps);
        static double Second(double x) =>
            0.05 + 0.001 * ((x - 40) / 30) + 0.001 * (x / 70) + 1e-5 * x + 1e-4 * (x / 7);
        Expect.Track(s, "lr", 0, 75, x =>
            x < 40 ? 0.1 * Math.Pow(1 - x / 40.0, 2) + 0.01 * (x / 70.0) + 1e-4 * x + 1e-3 * (x / 7.0)
            : x < 70 ? Second(x)
            : Second(70));
    }

    // Value expressions: math functions, constants, min/max with three arguments, natural log.
    [Theory]
    [InlineData("abs(-0.1)", 0.1)]
    [InlineData("sqrt(0.04)", 0.2)]
    [InlineData("exp(0) * 0.3", 0.3)]
    [InlineData("log(e) * 0.4", 0.4)]
    [InlineData("sin(pi / 2) * 0.5", 0.5)]
    [InlineData("cos(pi) + 1.5", 0.5)]
    [InlineData("tanh(0) + 0.6", 0.6)]
    [InlineData("floor(2.7) / 10", 0.2)]
    [InlineData("min(0.3, 0.1, 0.2)", 0.1)]
    [InlineData("max(0.01, 0.03, 0.02)", 0.03)]
    [InlineData("min(0.5, 0.25)", 0.25)]
    [InlineData("(1 + 2) * 3 / 10 - 0.1", 0.8)]
    [InlineData("-2^2 + 5", 1)]
    [InlineData("2^3^2 / 1000", 0.512)]
    [InlineData("(2^3)^2 / 1000", 0.064)]
    [InlineData("-(0.1 - 0.3)", 0.2)]
    public void Values_Arithmetic(string value, double expected)
    {
        var s = Build.Create($"schedule V {{ lr = const({value}, 10it) }}");
        Expect.Track(s, "lr", 0, 11, _ => expected);
    }

    // log is natural: log(e^2) / 20 is 0.1 (up to rounding of e^2).
    [Fact]
    public void Values_LogIsNatural()
    {
        var s = Build.Create("schedule V { lr = const(log(e^2) / 20, 10it) }");
        Expect.At(s, "lr", 0, Math.Log(Math.Pow(Math.E, 2)) / 20);
        Expect.At(s, "lr", 0, 0.1);
    }

    // cos(...) and exp(...) are math functions unless the first argument is `a -> b`.
    [Fact]
    public void Values_CosAndExpAsMathInsideSegments()
    {
        var s = Build.Create("schedule V over 10it { lr = lin(exp(0) * 0.1 -> cos(0) * 0.5, 10it); wd = cos(0) * 1e-4 }");
        Expect.Track(s, "lr", 0, 12, x => x < 10 ? 0.1 + (0.5 - 0.1) * (x / 10.0) : 0.5);
        Expect.Track(s, "wd", 0, 12, _ => 1e-4);
    }

    // An omitted segment duration means rest.
    [Fact]
    public void Segments_OmittedDurationIsRest()
    {
        var s = Build.Create("schedule R over 30it { lr = lin(0.1 -> 1, 10it) + cos(1 -> 0.1) }");
        Expect.Track(s, "lr", 0, 35, x =>
            x < 10 ? 0.1 + (1 - 0.1) * (x / 10.0)
            : x < 30 ? 0.1 + (1 - 0.1) * (1 + Math.Cos(Math.PI * ((x - 10) / 20.0))) / 2
            : 0.1);
    }

    // ---------- §6 Composition ----------

    // A * m with p, t, step and epoch; after the end the held value uses m at p = 1 (and x = end).
    [Fact]
    public void Composition_ModulationVariables()
    {
        var s = Build.Create("""
            schedule M over 10ep {
                lr = const(0.1, 20it) + cos(0.1 -> 0.01, 40it) * (1 + 0.5*p + 0.1*t + 0.001*step + 0.01*epoch)
            }
            """, 7);
        static double M(double x, double p) => 1 + 0.5 * p + 0.1 * (x / 70) + 0.001 * x + 0.01 * (x / 7);
        Expect.Track(s, "lr", 0, 75, x =>
        {
            if (x < 20) return 0.1;
            if (x < 60)
            {
                double p = (x - 20) / 40.0;
                return (0.01 + (0.1 - 0.01) * (1 + Math.Cos(Math.PI * p)) / 2) * M(x, p);
            }
            return 0.01 * M(60, 1);
        });
    }

    // repeat(n) { A }: A, n times.
    [Fact]
    public void Composition_RepeatN()
    {
        var s = Build.Create("schedule R { lr = repeat(3) { lin(0.1 -> 1, 10it) } }");
        Assert.Equal(30, s.TotalSteps);
        Expect.Track(s, "lr", 0, 35, x => x >= 30 ? 1 : 0.1 + (1 - 0.1) * (x % 10 / 10.0));
    }

    // repeat(n, mult = 2): cycle k is cycle 0 with every duration multiplied by 2^k.
    [Fact]
    public void Composition_RepeatMultScalesEveryDuration()
    {
        var s = Build.Create("schedule R { lr = repeat(3, mult = 2) { lin(0.1 -> 1, 2it) + cos(1 -> 0.1, 3it) } }");
        Assert.Equal(35, s.TotalSteps);
        Expect.Track(s, "lr", 0, 40, x =>
        {
            if (x >= 35) return 0.1;
            double start = x < 5 ? 0 : x < 15 ? 5 : 15, scale = x < 5 ? 1 : x < 15 ? 2 : 4;
            double u = x - start, up = 2 * scale, down = 3 * scale;
            return u < up ? 0.1 + (1 - 0.1) * (u / up) : 0.1 + (1 - 0.1) * (1 + Math.Cos(Math.PI * ((u - up) / down))) / 2;
        });
    }

    // repeat { A } fills the rest; the last cycle is cut short by time.
    [Fact]
    public void Composition_RepeatFillsRest()
    {
        var s = Build.Create("schedule R over 25it { lr = repeat { lin(1 -> 0.1, 10it) } }");
        Expect.Track(s, "lr", 0, 30, x => x >= 25 ? 1 + (0.1 - 1) * 0.5 : 1 + (0.1 - 1) * (x % 10 / 10.0));
    }

    // repeat(mult = 2) { A } fills the rest with cycles of 10, 20, 40 and a cut 80.
    [Fact]
    public void Composition_RepeatMultFillsRest()
    {
        var s = Build.Create("schedule R over 100it { lr = repeat(mult = 2) { cos(1 -> 0.1, 10it) } }");
        Expect.Track(s, "lr", 0, 105, x =>
        {
            double start, length;
            if (x < 10) { start = 0; length = 10; }
            else if (x < 30) { start = 10; length = 20; }
            else if (x < 70) { start = 30; length = 40; }
            else { start = 70; length = 80; }
            double p = x >= 100 ? 30.0 / 80 : (x - start) / length;
            return 0.1 + (1 - 0.1) * (1 + Math.Cos(Math.PI * p)) / 2;
        });
    }

    // repeat(n, every = 10ep): a body shorter than the cycle holds its last value until the cycle ends.
    [Fact]
    public void Composition_RepeatEveryHoldsShortBody()
    {
        var s = Build.Create("schedule R { lr = repeat(3, every = 10ep) { cos(0.1 -> 0.01, 6ep) } }", 10);
        Assert.Equal(300, s.TotalSteps);
        Expect.Track(s, "lr", 0, 310, x =>
        {
            long u = x % 100;
            return x >= 300 || u >= 60 ? 0.01 : 0.01 + (0.1 - 0.01) * (1 + Math.Cos(Math.PI * (u / 60.0))) / 2;
        });
    }

    // Inside every, % and rest are shares of the cycle.
    [Fact]
    public void Composition_RepeatEveryPercentIsOfTheCycle()
    {
        var s = Build.Create("schedule R over 200it { lr = repeat(2, every = 50it) { lin(0.1 -> 1, 20%) + cos(1 -> 0.1, rest) } + const(0.05, rest) }");
        Expect.Track(s, "lr", 0, 205, x =>
        {
            if (x >= 100) return 0.05;
            long u = x % 50;
            return u < 10 ? 0.1 + (1 - 0.1) * (u / 10.0) : 0.1 + (1 - 0.1) * (1 + Math.Cos(Math.PI * ((u - 10) / 40.0))) / 2;
        });
    }

    // every with mult: cycle k lasts every * 2^k, and every duration of the body scales with it.
    [Fact]
    public void Composition_RepeatEveryWithMult()
    {
        var s = Build.Create("schedule R { lr = repeat(3, every = 10it, mult = 2) { lin(0.1 -> 1, 50%) + lin(1 -> 0.5, 2it) } }");
        Assert.Equal(70, s.TotalSteps);
        Expect.Track(s, "lr", 0, 75, x =>
        {
            if (x >= 70) return 0.5;
            double start = x < 10 ? 0 : x < 30 ? 10 : 30, scale = x < 10 ? 1 : x < 30 ? 2 : 4;
            double u = x - start, up = 5 * scale, down = 2 * scale;
            return u < up ? 0.1 + (1 - 0.1) * (u / up) : u < up + down ? 1 + (0.5 - 1) * ((u - up) / down) : 0.5;
        });
    }

    // "ten cycles over the run", whatever the run's length.
    [Theory]
    [InlineData(200)]
    [InlineData(1000)]
    [InlineData(95)]
    public void Composition_PercentOnlyBodySharesTheRest(int total)
    {
        var s = Build.Create($$"""
            schedule Ten over {{total}}it { lr = repeat(10) { lin(0 -> 1e-3, 50%) + lin(1e-3 -> 0, 50%) } }
            """);
        double cycle = total / 10.0;
        Expect.Track(s, "lr", 0, total + 3, x =>
        {
            if (x >= total) return 0;
            double u = x - Math.Floor(x / cycle) * cycle, half = 50 * cycle / 100;
            return u < half ? 0 + (1e-3 - 0) * (u / half) : 1e-3 + (0 - 1e-3) * ((u - half) / half);
        });
    }

    // With mult, the rest is shared in proportion to mult^k: 10, 20 and 40 of 70 steps.
    [Fact]
    public void Composition_PercentOnlyBodyWithMult()
    {
        var s = Build.Create("schedule R over 70it { lr = repeat(3, mult = 2) { lin(0.1 -> 1, 50%) + lin(1 -> 0.1, 50%) } }");
        Expect.Track(s, "lr", 0, 75, x =>
        {
            if (x >= 70) return 0.1;
            double start = x < 10 ? 0 : x < 30 ? 10 : 30, half = x < 10 ? 5 : x < 30 ? 10 : 20;
            double u = x - start;
            return u < half ? 0.1 + (1 - 0.1) * (u / half) : 1 + (0.1 - 1) * ((u - half) / half);
        });
    }

    // A fractional last cycle weighs frac(n) * mult^K: weights 1, 2, 0.5*4 of 100 steps; the last is cut after 40 of its 80.
    [Fact]
    public void Composition_PercentOnlyBodyFractionalCount()
    {
        var s = Build.Create("schedule R over 100it { lr = repeat(2.5, mult = 2) { lin(0.1 -> 1, 50%) + lin(1 -> 0.1, 50%) } }");
        Expect.Track(s, "lr", 0, 105, x =>
        {
            if (x >= 100) return 1; // left limit at the cut: the end of cycle 2's first half
            double start = x < 20 ? 0 : x < 60 ? 20 : 60, half = x < 20 ? 10 : x < 60 ? 20 : 40;
            double u = x - start;
            return u < half ? 0.1 + (1 - 0.1) * (u / half) : 1 + (0.1 - 1) * ((u - half) / half);
        });
    }

    // Shares under 100 % hold the last value until the cycle ends; the repeat takes the track's rest.
    [Fact]
    public void Composition_PercentOnlyBodyUnderHundredHolds()
    {
        var s = Build.Create("schedule R over 110it { lr = const(0.5, 10it) + repeat(2) { lin(1 -> 0.5, 40%) } }");
        Expect.Track(s, "lr", 0, 115, x =>
        {
            if (x < 10) return 0.5;
            double u = (x - 10) % 50;
            return x >= 110 || u >= 20 ? 0.5 : 1 + (0.5 - 1) * (u / 20);
        });
    }

    // repeat { %-only body } with no count is an error; so is rest in a body without every.
    [Theory]
    [InlineData("schedule S over 100it { lr = repeat { lin(0.1 -> 1, 50%) + lin(1 -> 0.1, 50%) } }")]
    [InlineData("schedule S over 100it { lr = repeat(2) { lin(0.1 -> 1, 10it) + const(0.1, rest) } }")]
    [InlineData("schedule S over 100it { lr = repeat(2) { lin(0.1 -> 1, 10it) + const(0.1, 50%) } }")]
    public void Composition_RepeatErrors(string text) => Expect.Error(text);

    // cycle in values: each cycle's peak halves.
    [Fact]
    public void Composition_CycleInValues()
    {
        var s = Build.Create("schedule R { lr = repeat(3) { cos(0.1 * 0.5^cycle -> 0, 10ep) } }", 10);
        Assert.Equal(300, s.TotalSteps);
        Expect.Track(s, "lr", 0, 305, x =>
        {
            if (x >= 300) return 0;
            long k = x / 100;
            double a = 0.1 * Math.Pow(0.5, k);
            return 0 + (a - 0) * (1 + Math.Cos(Math.PI * ((x - 100 * k) / 100.0))) / 2;
        });
    }

    // by 10it quantizes to blocks of 10 steps.
    [Fact]
    public void Composition_ByBlocks()
    {
        var s = Build.Create("schedule B { lr = lin(0.1 -> 1, 100it) by 10it }");
        Expect.Track(s, "lr", 0, 105, x => x >= 100 ? 1 : 0.1 + (1 - 0.1) * (x / 10 * 10 / 100.0));
    }

    // by epoch uses global epochs and binds tighter than +: it quantizes B only.
    [Fact]
    public void Composition_ByEpochQuantizesOnlyItsOperand()
    {
        var s = Build.Create("schedule B over 10ep { lr = lin(0.1 -> 1, 12it) + cos(1 -> 0.1, rest) by epoch }", 5);
        Expect.Track(s, "lr", 0, 55, x =>
        {
            if (x < 12) return 0.1 + (1 - 0.1) * (x / 12.0);
            if (x >= 50) return 0.1;
            double q = Math.Max(Math.Floor(x / 5.0) * 5, 12);
            return 0.1 + (1 - 0.1) * (1 + Math.Cos(Math.PI * ((q - 12) / 38))) / 2;
        });
    }

    // def f(a, b = 2) called as f(1), f(1, b = 3) and f(a = 2); a def may also return a value.
    [Fact]
    public void Composition_DefArguments()
    {
        var s = Build.Create("""
            def f(a, b = 2) = const(a * 0.1 + b * 0.01, 10it)
            def half(v) = v / 2
            schedule D { lr = f(1) + f(1, b = 3) + f(a = 2) + lin(half(0.4) -> half(0.1), 10it) }
            """);
        Assert.Equal(40, s.TotalSteps);
        Expect.Track(s, "lr", 0, 45, x =>
            x < 10 ? 1 * 0.1 + 2 * 0.01
            : x < 20 ? 1 * 0.1 + 3 * 0.01
            : x < 30 ? 2 * 0.1 + 2 * 0.01
            : x < 40 ? 0.4 / 2 + (0.1 / 2 - 0.4 / 2) * ((x - 30) / 10.0)
            : 0.1 / 2);
    }

    // A def body sees only its own parameters, not the schedule's.
    [Fact]
    public void Composition_DefBodySeesOnlyItsParameters() =>
        Expect.Error("def g(a) = const(a * peak, 10it)\nschedule S(peak = 0.1) { lr = g(1) }");

    // p, t, step and epoch are not allowed in ordinary values; cycle not outside repeat nor in a duration.
    [Theory]
    [InlineData("schedule S over 10it { lr = lin(0.1 -> p, 10it) }")]
    [InlineData("schedule S over 10it { lr = const(0.1 + t, 10it) }")]
    [InlineData("schedule S over 10it { lr = const(0.1 + cycle, 10it) }")]
    [InlineData("schedule S { lr = repeat(2) { const(0.1, cycle * 1it + 1it) } }")]
    public void Composition_PositionVariablesOnlyWhereAllowed(string text) => Expect.Error(text);

    // Only A * m is written: not m * A, not A / m; exp across zero is an error; schedule names are unique.
    [Theory]
    [InlineData("schedule S over 10it { lr = 2 * lin(0.1 -> 1, 10it) }")]
    [InlineData("schedule S over 10it { lr = lin(0.1 -> 1, 10it) / 2 }")]
    [InlineData("schedule S over 10it { lr = exp(0.1 -> 0, 10it) }")]
    [InlineData("schedule S over 10it { lr = const(0.1) }\nschedule S over 10it { lr = const(0.2) }")]
    public void Composition_FormsThatAreNotWritten(string text) => Expect.Error(text);

    // by epoch needs a steps-per-epoch at run time.
    [Fact]
    public void Composition_ByEpochNeedsStepsPerEpoch()
    {
        var definition = Schedule.Parse("schedule B over 100it { lr = cos(0.1 -> 0.01) by epoch }");
        Assert.True(definition.UsesEpochs);
        Assert.ThrowsAny<Exception>(() => definition.Create());
        Expect.At(definition.Create(10), "lr", 15, 0.01 + (0.1 - 0.01) * (1 + Math.Cos(Math.PI * (10 / 100.0))) / 2);
    }
}
