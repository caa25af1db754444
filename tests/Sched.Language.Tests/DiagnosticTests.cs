using Sched.Diagnostics;
using static Sched.Language.Tests.TestSupport;

namespace Sched.Language.Tests;

/// <summary>
/// One or more tests per catalogue entry (docs/language.md §9): each triggers the diagnostic with a small file and
/// checks its ID, severity, the line and column of the token it points at, and its full message.
/// Syntax errors (SCHED001) are in <see cref="SyntaxErrorTests"/>, run-time layout (SCHED031, SCHED032) in <see cref="LayoutDiagnosticTests"/>.
/// </summary>
public sealed class DiagnosticTests
{
    private const DiagnosticSeverity Error = DiagnosticSeverity.Error;
    private const DiagnosticSeverity Warning = DiagnosticSeverity.Warning;

    // ---- SCHED002 unknown name ----------------------------------------------------------------------

    [Fact]
    public void SCHED002_UnknownFunction_SuggestsTheClosestOne()
    {
        var d = AssertDiagnostic("""
            schedule A over 10ep {
                lr = cso(0.1 -> 0)
            }
            """, "SCHED002", Error, 2, 10, "unknown function 'cso'; did you mean 'cos'?");
        Assert.Equal("cso", SpanText("""
            schedule A over 10ep {
                lr = cso(0.1 -> 0)
            }
            """, d));
    }

    [Fact]
    public void SCHED002_UnknownFunction_SuggestsADefOfTheFile()
    {
        AssertDiagnostic("""
            def warmup(peak) = lin(0 -> peak, 5ep)
            schedule A over 10ep {
                lr = warmpu(0.1) + cos(0.1 -> 0)
            }
            """, "SCHED002", Error, 3, 10, "unknown function 'warmpu'; did you mean 'warmup'?");
    }

    [Fact]
    public void SCHED002_UnknownParameter_SuggestsTheClosestParameter()
    {
        AssertDiagnostic("""
            schedule A(peak = 0.1) over 10ep {
                lr = cos(paek -> 0)
            }
            """, "SCHED002", Error, 2, 14, "unknown name 'paek'; did you mean 'peak'?");
    }

    [Fact]
    public void SCHED002_UnknownName_WithoutCloseMatch_SaysHowToDeclareIt()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = cos(zzz -> 0)
            }
            """, "SCHED002", Error, 2, 14, "unknown name 'zzz'; declare it as a parameter: 'schedule A(zzz = 0.1)'");
    }

    [Fact]
    public void SCHED002_DefaultUsingALaterParameter_SaysSo()
    {
        // 'y' is a parameter, declared after 'x': "did you mean 'e'?" misleads; the message should say a default may use only earlier parameters.
        var d = Single(Analyze("""
            schedule A(x = y, y = 1) over 10ep {
                lr = cos(0.1 -> 0)
            }
            """), "SCHED002");
        Assert.Equal(new Text.LinePosition(1, 16), d.Start);
        Assert.DoesNotContain("did you mean 'e'", d.Message);
        Assert.Contains("earlier", d.Message);
    }

    [Fact]
    public void SCHED002_NameInsideDefBody_ThatIsNotAParameterOfTheDef()
    {
        AssertDiagnostic("""
            def f(x) = const(y, 10ep)
            schedule A over 10ep {
                lr = f(0.1)
            }
            """, "SCHED002", Error, 1, 18, "unknown name 'y'; did you mean 'x'?");
    }

    [Fact]
    public void SCHED002_InADefNoScheduleCalls_IsStillReported()
    {
        AssertDiagnostic("""
            def f(x) = const(y, 10ep)
            schedule A over 10ep {
                lr = cos(0.1 -> 0)
            }
            """, "SCHED002", Error, 1, 18, "unknown name 'y'; did you mean 'x'? (a def sees only its own parameters)");
    }

    // ---- SCHED003 custom track close to a known one --------------------------------------------------

    [Theory]
    [InlineData("momentun", "momentum")]
    [InlineData("betas2", "beta2")]
    [InlineData("wdd", "wd")]
    [InlineData("lrr", "lr")]
    public void SCHED003_TrackNameCloseToAKnownTrack_IsAWarningWithDidYouMean(string written, string meant)
    {
        AssertDiagnostic($$"""
            schedule A over 10ep {
                lr = cos(0.1 -> 0)
                {{written}} = 0.5
            }
            """, "SCHED003", Warning, 3, 5, $"'{written}' is taken as a custom track; did you mean '{meant}'?");
    }

    [Fact]
    public void SCHED003_Beta1_SuggestsMomentum()
    {
        // docs/language.md §3: Adam's beta1 is the 'momentum' track; suggesting 'beta2' for 'beta1' sends the user to the wrong track.
        var d = Single(Analyze("""
            schedule A over 10ep {
                lr = cos(0.1 -> 0)
                beta1 = 0.9
            }
            """), "SCHED003");
        Assert.Equal(new Text.LinePosition(3, 5), d.Start);
        Assert.Contains("'momentum'", d.Message);
    }

    [Fact]
    public void SCHED003_IsNotReportedForAGenuineCustomTrackOrTheMomAlias()
    {
        AssertClean("""
            schedule A over 10ep {
                lr = cos(0.1 -> 0)
                mom = 0.9
                dropout = 0.1
                ema = 0.999
            }
            """);
    }

    // ---- SCHED004 duration without unit --------------------------------------------------------------

    [Fact]
    public void SCHED004_BareNumberAsDuration_SuggestsTheThreeUnits()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = lin(0 -> 1, 10)
            }
            """, "SCHED004", Error, 2, 22, "a duration needs a unit: ep, it or %; write '10ep', '10it' or '10%'");
    }

    [Fact]
    public void SCHED004_BareNumberInOver()
    {
        AssertDiagnostic("""
            schedule A over 90 {
                lr = cos(0.1 -> 0)
            }
            """, "SCHED004", Error, 1, 17, "a duration needs a unit: ep, it or %; write '90ep', '90it' or '90%'");
    }

    [Fact]
    public void SCHED004_NumberParameterUsedAsDuration()
    {
        AssertDiagnostic("""
            schedule A(w = 5) over 10ep {
                lr = lin(0 -> 1, w) + cos(1 -> 0)
            }
            """, "SCHED004", Error, 2, 22,
            "a duration needs a unit: ep, it or %; a number is not a duration; multiply it by one, e.g. 'n * 1ep', or give the parameter a unit in its default, e.g. 'warm = 5ep'");
    }

    // ---- SCHED005 rest twice -------------------------------------------------------------------------

    [Fact]
    public void SCHED005_RestTwiceInATrack_PointsAtTheSecond()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = lin(0 -> 1, 5ep) + lin(1 -> 0.1, rest) + const(0.1, rest)
            }
            """, "SCHED005", Error, 2, 51, "'rest' may appear once per track; give this segment an explicit duration such as '10ep'");
    }

    [Fact]
    public void SCHED005_OmittedDurationCountsAsRest()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = cos(1 -> 0.1) + const(0.1)
            }
            """, "SCHED005", Error, 2, 26, "'rest' may appear once per track; give this segment an explicit duration such as '10ep'");
    }

    [Fact]
    public void SCHED005_RestTwiceInsideAnEveryCycle()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = repeat(2, every = 2ep) { cos(0.1 -> 0, 1ep) + cos(0.1 -> 0, rest) + const(0.1, rest) }
            }
            """, "SCHED005", Error, 2, 78, "'rest' may appear once per track; give this segment an explicit duration such as '10ep'");
    }

    // ---- SCHED006 needs the total --------------------------------------------------------------------

    [Fact]
    public void SCHED006_RestWithoutOver()
    {
        AssertDiagnostic("""
            schedule Warm {
                lr = lin(0 -> 1, 5ep) + lin(1 -> 0, rest)
            }
            """, "SCHED006", Error, 2, 29,
            "'rest' (or a segment without a duration) needs the schedule's total: add 'over' with a length after the schedule's name, e.g. 'schedule Warm over 90ep'");
    }

    [Fact]
    public void SCHED006_PercentWithoutOver()
    {
        // docs/language.md §2: without 'over', '%' outside an every cycle is an error.
        AssertDiagnostic("""
            schedule Warm {
                lr = lin(0 -> 1, 5ep) + lin(1 -> 0, 50%)
            }
            """, "SCHED006", Error, 2, 41,
            "a percentage needs the schedule's total: add 'over' with a length after the schedule's name, e.g. 'schedule Warm over 90ep'");
    }

    [Fact]
    public void SCHED006_PercentWithoutOver_InATrackThatFitsTheDerivedTotal()
    {
        // The total without 'over' is the longest track; '%' must not silently refer to it.
        AssertDiagnostic("""
            schedule Warm {
                lr = cos(0.1 -> 0, 10ep)
                wd = lin(0 -> 1e-4, 50%)
            }
            """, "SCHED006", Error, 3, 25,
            "a percentage needs the schedule's total: add 'over' with a length after the schedule's name, e.g. 'schedule Warm over 90ep'");
    }

    [Fact]
    public void SCHED006_RepeatThatFillsTheRestWithoutOver()
    {
        AssertDiagnostic("""
            schedule Warm {
                lr = repeat { cos(0.1 -> 0, 5ep) }
            }
            """, "SCHED006", Error, 2, 10,
            "'rest' (or a segment without a duration) needs the schedule's total: add 'over' with a length after the schedule's name, e.g. 'schedule Warm over 90ep'");
    }

    // ---- SCHED007 longer than the total --------------------------------------------------------------

    [Fact]
    public void SCHED007_SegmentsLongerThanTheTotal()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = lin(0 -> 1, 5ep) + lin(1 -> 0.1, 6ep)
            }
            """, "SCHED007", Error, 2, 10,
            "track 'lr' lasts 11 epochs, longer than the 10 epochs available; shorten a segment or lengthen 'over'");
    }

    [Fact]
    public void SCHED007_SegmentsBesidesRestLongerThanTheTotal()
    {
        AssertDiagnostic("""
            schedule A over 100it {
                lr = lin(0 -> 1, 80it) + lin(1 -> 0.1, 30it) + cos(0.1 -> 0)
            }
            """, "SCHED007", Error, 2, 10,
            "track 'lr' without its 'rest' lasts 110 steps, longer than the 100 steps available; shorten a segment or lengthen 'over'");
    }

    // ---- SCHED008 percentage over 100 ----------------------------------------------------------------

    [Fact]
    public void SCHED008_PercentageOver100()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = lin(0 -> 1, 50%) + lin(1 -> 0.1, 150%)
            }
            """, "SCHED008", Error, 2, 43, "150% is more than the whole; a percentage is between 0% and 100%");
    }

    [Fact]
    public void SCHED008_ExactlyHundredPercentIsFine()
    {
        AssertClean("""
            schedule A over 10ep {
                lr = cos(0.1 -> 0, 100%)
            }
            """);
    }

    // ---- SCHED009 exp across zero --------------------------------------------------------------------

    [Fact]
    public void SCHED009_ExpAcrossZero()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = exp(1 -> -1, 10ep)
            }
            """, "SCHED009", Error, 2, 10,
            "exp(1 -> -1) needs nonzero ends of the same sign; use a small end such as 1e-8 instead of 0, or lin/cos to cross zero");
    }

    [Fact]
    public void SCHED009_ExpToZero()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = lin(0 -> 1, 1ep) + exp(1 -> 0, 9ep)
            }
            """, "SCHED009", Error, 2, 29,
            "exp(1 -> 0) needs nonzero ends of the same sign; use a small end such as 1e-8 instead of 0, or lin/cos to cross zero");
    }

    [Fact]
    public void SCHED009_ExpFromZeroThroughAParameter()
    {
        AssertDiagnostic("""
            schedule A(lo = 0) over 10ep {
                lr = exp(lo -> 0.1, 10ep)
            }
            """, "SCHED009", Error, 2, 10,
            "exp(0 -> 0.1) needs nonzero ends of the same sign; use a small end such as 1e-8 instead of 0, or lin/cos to cross zero");
    }

    // ---- SCHED010 not finite -------------------------------------------------------------------------

    [Theory]
    [InlineData("1/0", "infinite")]
    [InlineData("log(0)", "negative infinity")]
    [InlineData("0/0", "not a number (NaN)")]
    [InlineData("sqrt(-1)", "not a number (NaN)")]
    [InlineData("log(-1)", "not a number (NaN)")]
    [InlineData("10^400", "infinite")]
    [InlineData("1e308 * 10", "infinite")]
    public void SCHED010_ValueFoldsToNaNOrInfinity(string value, string what)
    {
        var text = $$"""
            schedule A over 10ep {
                lr = const({{value}}, 10ep)
            }
            """;
        var d = AssertDiagnostic(text, "SCHED010", Error, 2, 16,
            $"this value is {what}; check for a division by zero, a log of a non-positive number or an overflow");
        Assert.Equal(value, SpanText(text, d));
    }

    [Fact]
    public void SCHED010_InAParameterDefault_PointsAtTheDefault()
    {
        AssertDiagnostic("""
            schedule A(x = 1/0) over 10ep {
                lr = cos(0.1 -> 0)
            }
            """, "SCHED010", Error, 1, 16, "this value is infinite; check for a division by zero, a log of a non-positive number or an overflow");
    }

    [Fact]
    public void SCHED010_FnThatDividesByZeroInside()
    {
        AssertDiagnostic("""
            schedule A over 10it {
                lr = fn(0.1 / abs(p - 0.5), 10it)
            }
            """, "SCHED010", Error, 2, 10, "this value is infinite at step 5 (a sample of 32 per segment; values between samples are checked while the schedule runs); check for a division by zero, a log of a non-positive number or an overflow");
    }

    // ---- SCHED011 negative learning rate -------------------------------------------------------------

    [Fact]
    public void SCHED011_LearningRateNegativeAtASegmentEnd()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = lin(0.1 -> -0.1, 10ep)
            }
            """, "SCHED011", Error, 2, 10, "the learning rate reaches -0.1 at epoch 10; a learning rate must be 0 or more");
    }

    [Theory]
    [InlineData("lin(0.1 -> -0.1, 10it) + const(0.1)", 10, "step 10")]
    [InlineData("const(0.1, 1ep) + lin(0.1 -> -0.1, 9it) + const(0.1)", 28, "epoch 1 + 9 steps")]
    [InlineData("const(0.1, 3ep - 2it) + lin(0.1 -> -0.1, 1it) + const(0.1)", 34, "epoch 3 - 1 steps")]
    public void SCHED011_InAScheduleCountingInEpochs_PositionsWrittenInStepsReadAsSteps(string track, int column, string position)
    {
        AssertDiagnostic($$"""
            schedule A over 10ep {
                lr = {{track}}
            }
            """, "SCHED011", Error, 2, column, $"the learning rate reaches -0.1 at {position}; a learning rate must be 0 or more");
    }

    [Fact]
    public void SCHED011_NegativeConstantTrack()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = -0.1
            }
            """, "SCHED011", Error, 2, 10, "the learning rate reaches -0.1 at epoch 0; a learning rate must be 0 or more");
    }

    [Fact]
    public void SCHED011_NegativeThroughAParameterDefault()
    {
        AssertDiagnostic("""
            schedule A(peak = -0.1) over 10ep {
                lr = cos(peak -> 0)
            }
            """, "SCHED011", Error, 2, 10, "the learning rate reaches -0.1 at epoch 0; a learning rate must be 0 or more");
    }

    [Fact]
    public void SCHED011_NegativeInsideAModulatedSegment_IsFoundBySampling()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = cos(0.1 -> 0) * (1 - 2*p)
            }
            """, "SCHED011", Error, 2, 10, "the learning rate reaches -0.0028187 at epoch 5.3125 (a sample of 32 per segment; values between samples are checked while the schedule runs); a learning rate must be 0 or more");
    }

    [Fact]
    public void SCHED011_NegativeInsideAnFn_IsFoundBySampling()
    {
        // 32 samples over 32 steps: the first negative one is at step 9, where 0.1 * cos(2 pi 9/32) = -0.019509.
        AssertDiagnostic("""
            schedule A over 32it {
                lr = fn(0.1 * cos(2 * pi * p), 32it)
            }
            """, "SCHED011", Error, 2, 10, "the learning rate reaches -0.019509 at step 9 (a sample of 32 per segment; values between samples are checked while the schedule runs); a learning rate must be 0 or more");
    }

    // ---- SCHED012 zero learning rate inside a segment ------------------------------------------------

    [Fact]
    public void SCHED012_ZeroLearningRateThroughoutASegment()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = cos(0.1 -> 0, 5ep) + const(0, 5ep)
            }
            """, "SCHED012", Warning, 2, 31,
            "the learning rate is 0 at epoch 5, inside a segment: training makes no progress there; use a small positive value such as 1e-8");
    }

    [Fact]
    public void SCHED012_ZeroInsideAnFn()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = fn(0.05 + 0.05*cos(2*pi*p), 10ep)
            }
            """, "SCHED012", Warning, 2, 10,
            "the learning rate is 0 at epoch 5, inside a segment: training makes no progress there; use a small positive value such as 1e-8");
    }

    [Theory]
    [InlineData("cos(0.1 -> 0)")]
    [InlineData("lin(0 -> 0.1, 5ep) + cos(0.1 -> 0, 5ep)")]
    [InlineData("cos(0.1 -> 0, 5ep) + lin(0 -> 0.1, 5ep)")]
    [InlineData("lin(0.1 -> 0, 10ep)")]
    [InlineData("poly(0.1 -> 0, 10ep, 2)")]
    public void SCHED012_ZeroExactlyAtASegmentEndIsAllowed(string track)
    {
        AssertClean($$"""
            schedule A over 10ep {
                lr = {{track}}
            }
            """);
    }

    // ---- SCHED013 out of range -----------------------------------------------------------------------

    [Fact]
    public void SCHED013_MomentumReachesOne()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = cos(0.1 -> 0)
                momentum = lin(0.9 -> 1, 10ep)
            }
            """, "SCHED013", Error, 3, 16, "momentum reaches 1 at epoch 10; momentum must lie in [0, 1)");
    }

    [Fact]
    public void SCHED013_MomAliasNegative_IsReportedUnderItsCanonicalName()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = cos(0.1 -> 0)
                mom = -0.1
            }
            """, "SCHED013", Error, 3, 11, "momentum reaches -0.1 at epoch 0; momentum must lie in [0, 1)");
    }

    [Fact]
    public void SCHED013_Beta2One()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = cos(0.1 -> 0)
                beta2 = 1
            }
            """, "SCHED013", Error, 3, 13, "beta2 reaches 1 at epoch 0; beta2 must lie in [0, 1)");
    }

    [Fact]
    public void SCHED013_WeightDecayNegative()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = cos(0.1 -> 0)
                wd = lin(0.1 -> -0.1, 10ep)
            }
            """, "SCHED013", Error, 3, 10, "wd reaches -0.1 at epoch 10; wd must lie in [0, infinity)");
    }

    [Fact]
    public void SCHED013_MomentumZeroIsInRange()
    {
        AssertClean("""
            schedule A over 10ep {
                lr = cos(0.1 -> 0)
                mom = lin(0 -> 0.99, 10ep)
            }
            """);
    }

    // ---- SCHED014 track shorter than the total -------------------------------------------------------

    [Fact]
    public void SCHED014_TrackShorterThanTheTotal_IsAWarningAtTheTrackName()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = cos(0.1 -> 0)
                mom = lin(0.9 -> 0.95, 5ep)
            }
            """, "SCHED014", Warning, 3, 5,
            "track 'momentum' lasts 5 epochs of the 10 epochs: it holds its last value to the end; end it with 'rest' to make that explicit");
    }

    [Fact]
    public void SCHED014_InSteps()
    {
        AssertDiagnostic("""
            schedule A over 100it {
                lr = cos(0.1 -> 0, 60it)
            }
            """, "SCHED014", Warning, 2, 5,
            "track 'lr' lasts 60 steps of the 100 steps: it holds its last value to the end; end it with 'rest' to make that explicit");
    }

    // ---- SCHED015 duplicate names --------------------------------------------------------------------

    [Fact]
    public void SCHED015_DuplicateSchedule()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = cos(0.1 -> 0)
            }
            schedule A over 10ep {
                lr = cos(0.1 -> 0)
            }
            """, "SCHED015", Error, 4, 10, "schedule 'A' is already defined in this file, on line 1; rename one of them");
    }

    [Fact]
    public void SCHED015_DuplicateTrack()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = cos(0.1 -> 0)
                lr = 0.1
            }
            """, "SCHED015", Error, 3, 5, "track 'lr' is already defined on line 2; a track appears once: remove one of them");
    }

    [Fact]
    public void SCHED015_MomAndMomentumAreTheSameTrack()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = cos(0.1 -> 0)
                mom = 0.9
                momentum = 0.9
            }
            """, "SCHED015", Error, 4, 5, "track 'momentum' is already defined on line 3; 'momentum' and 'mom' are the same track: remove one of them");
    }

    [Fact]
    public void SCHED015_DuplicateScheduleParameter()
    {
        AssertDiagnostic("""
            schedule A(a = 1, a = 2) over 10ep {
                lr = cos(0.1 -> 0)
            }
            """, "SCHED015", Error, 1, 19, "parameter 'a' is already defined; rename one of them");
    }

    [Fact]
    public void SCHED015_DuplicateDefParameter()
    {
        AssertDiagnostic("""
            def f(a, a) = const(a, 10ep)
            schedule A over 10ep {
                lr = f(1, 2)
            }
            """, "SCHED015", Error, 1, 10, "parameter 'a' is already defined; rename one of them");
    }

    [Fact]
    public void SCHED015_DuplicateDef()
    {
        AssertDiagnostic("""
            def f(a) = const(a, 10ep)
            def f(b) = const(b, 10ep)
            schedule A over 10ep {
                lr = f(0.1)
            }
            """, "SCHED015", Error, 2, 5, "def 'f' is already defined in this file; rename one of them");
    }

    [Fact]
    public void SCHED015_SecondNamespace_SaysToRemoveIt()
    {
        // The message should not ask for "another name": a file has one namespace, so the fix is to remove the second.
        var d = Single(Analyze("""
            namespace X;
            namespace Y;
            schedule A over 10ep {
                lr = cos(0.1 -> 0)
            }
            """), "SCHED015");
        Assert.Equal(new Text.LinePosition(2, 1), d.Start);
        Assert.Contains("a file has one 'namespace': remove this one", d.Message);
        Assert.DoesNotContain("choose another name", d.Message);
    }

    // ---- SCHED016 schedule name is a C# keyword ------------------------------------------------------

    /// <summary>C#'s naming rules bind where a schedule becomes a class (the build, <c>sched check</c>); the language itself takes these names.</summary>
    [Theory]
    [InlineData("class", "is a C# keyword and cannot name a class", "ClassSchedule")]
    [InlineData("Evaluate", "is a member of every generated schedule class, and a class cannot share its member's name", "EvaluateSchedule")]
    [InlineData("TotalSteps", "is a member of every generated schedule class, and a class cannot share its member's name", "TotalStepsSchedule")]
    [InlineData("var", "has a meaning of its own where C# expects a type, so it cannot name a class", "VarSchedule")]
    public void SCHED016_NamesCSharpCannotTake_AreTheBuildsRuleNotTheLanguages(string name, string problem, string suggestion)
    {
        var analysis = AssertClean($$"""
            schedule {{name}} over 10ep {
                lr = cos(0.1 -> 0)
            }
            """);
        Assert.Equal(name, Assert.Single(analysis.Schedules).Name);
        var diagnostic = Assert.Single(CSharpNames.Check(analysis));
        AssertDiagnostic(diagnostic, "SCHED016", Error, 1, 10, $"'{name}' {problem}; choose another name, e.g. '{suggestion}'");
    }

    [Theory]
    [InlineData("pi", "a constant")]
    [InlineData("p", "a variable of the language")]
    [InlineData("cycle", "a variable of the language")]
    [InlineData("rest", "a keyword")]
    [InlineData("ep", "a unit")]
    [InlineData("cos", "a segment")]
    [InlineData("tanh", "a built-in function")]
    public void SCHED017_ReservedScheduleParameter(string name, string why)
    {
        AssertDiagnostic($$"""
            schedule A({{name}} = 1) over 10ep {
                lr = cos(0.1 -> 0)
            }
            """, "SCHED017", Error, 1, 12, $"'{name}' is reserved ({why}); choose another name, e.g. '{name}_'");
    }

    [Fact]
    public void SCHED017_ReservedDefName()
    {
        AssertDiagnostic("""
            def lin(a) = const(a, 10ep)
            schedule A over 10ep {
                lr = cos(0.1 -> 0)
            }
            """, "SCHED017", Error, 1, 5, "'lin' is reserved (a segment); choose another name, e.g. 'lin_'");
    }

    [Fact]
    public void SCHED017_ReservedDefParameter()
    {
        AssertDiagnostic("""
            def f(step) = const(step, 10ep)
            schedule A over 10ep {
                lr = f(0.1)
            }
            """, "SCHED017", Error, 1, 7, "'step' is reserved (a variable of the language); choose another name, e.g. 'step_'");
    }

    // ---- SCHED018 negative duration ------------------------------------------------------------------

    [Fact]
    public void SCHED018_NegativeSegmentDuration()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = lin(0 -> 1, 5ep - 6ep) + cos(1 -> 0)
            }
            """, "SCHED018", Error, 2, 22, "this duration is -1 epochs; a duration must be 0 or more");
    }

    [Fact]
    public void SCHED018_NegativeLiteral()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = cos(0.1 -> 0, -2ep) + const(0, rest)
            }
            """, "SCHED018", Error, 2, 24, "this duration is -2 epochs; a duration must be 0 or more");
    }

    // A schedule counting in epochs is checked at stand-in steps-per-epoch; lengths written in steps must still read as steps.
    [Theory]
    [InlineData("const(0.1, -1it)", "-1 steps")]
    [InlineData("const(0.1, 2it - 3it)", "-1 steps")]
    [InlineData("const(0.1, 2ep - 3ep - 5it)", "-1 epochs - 5 steps")]
    [InlineData("const(0.1, 1ep - 3ep + 1it)", "-2 epochs + 1 steps")]
    public void SCHED018_InAScheduleCountingInEpochs_SaysWhatWasWritten(string segment, string length)
    {
        AssertDiagnostic($$"""
            schedule A over 10ep {
                lr = {{segment}} + const(0.1)
            }
            """, "SCHED018", Error, 2, 21, $"this duration is {length}; a duration must be 0 or more");
    }

    [Fact]
    public void SCHED018_NegativeTotal()
    {
        AssertDiagnostic("""
            schedule A over -10ep {
                lr = cos(0.1 -> 0)
            }
            """, "SCHED018", Error, 1, 17, "this duration is -10 epochs; a duration must be 0 or more");
    }

    [Fact]
    public void SCHED018_NegativeDurationParameterDefault()
    {
        AssertDiagnostic("""
            schedule A(warm = -5it) over 100it {
                lr = lin(0 -> 0.1, warm) + cos(0.1 -> 0)
            }
            """, "SCHED018", Error, 2, 24, "this duration is -5 steps; a duration must be 0 or more");
    }

    // ---- SCHED019 missing lr -------------------------------------------------------------------------

    [Fact]
    public void SCHED019_MissingLearningRate()
    {
        AssertDiagnostic("""
            schedule NoLr over 10ep {
                wd = 0.1
            }
            """, "SCHED019", Error, 1, 10, "schedule 'NoLr' has no 'lr' track; add one, e.g. 'lr = cos(0.1 -> 0)'");
    }

    [Fact]
    public void SCHED019_EmptySchedule()
    {
        AssertDiagnostic("""
            schedule Empty {
            }
            """, "SCHED019", Error, 1, 10, "schedule 'Empty' has no 'lr' track; add one, e.g. 'lr = cos(0.1 -> 0)'");
    }

    // ---- SCHED020 wrong kind of expression -----------------------------------------------------------

    [Fact]
    public void SCHED020_DurationAddedToATrack()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = cos(0.1 -> 0, 5ep) + 5ep
            }
            """, "SCHED020", Error, 2, 31, "a duration alone is not a segment; write a segment that lasts it, e.g. 'const(0.1, 10ep)'");
    }

    [Fact]
    public void SCHED020_TrackThatIsADuration()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = 0.1 * 10ep
            }
            """, "SCHED020", Error, 2, 10, "a track is made of values, not a duration; write e.g. 'const(0.1, 10ep)' or 'lin(0 -> 0.1, 10ep)'");
    }

    [Fact]
    public void SCHED020_SegmentsJoinedWithMinus()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = 0.1 - cos(0.1 -> 0)
            }
            """, "SCHED020", Error, 2, 14, "segments are joined with '+' (B starts where A ends); to lower a value, write it inside the segment");
    }

    [Fact]
    public void SCHED020_FactorBeforeTheSegment()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = 0.5 * cos(0.1 -> 0)
            }
            """, "SCHED020", Error, 2, 10, "write the segment first and the factor after it: 'A * m', not 'm * A'");
    }

    [Fact]
    public void SCHED020_TransitionOutsideASegment()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = const(0.1 -> 0, 10ep)
            }
            """, "SCHED020", Error, 2, 16,
            "'a -> b' is a transition and stands only as the first argument of lin, cos, exp or poly, e.g. 'lin(0.1 -> 1, 10ep)'");
    }

    [Fact]
    public void SCHED020_DurationWhereAValueIsExpected()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = cos(5ep -> 0)
            }
            """, "SCHED020", Error, 2, 14, "a segment's start is a number, not a duration; drop the unit");
    }

    [Fact]
    public void SCHED020_FunctionNameWithoutCall()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = cos(sqrt -> 0)
            }
            """, "SCHED020", Error, 2, 14, "'sqrt' is a function; call it with its arguments: 'sqrt(...)'");
    }

    [Fact]
    public void SCHED020_RestAddedToADuration()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = cos(0.1 -> 0, rest + 1ep)
            }
            """, "SCHED020", Error, 2, 24,
            "'rest' stands alone as a duration: it cannot be added to, scaled or negated; write the other durations explicitly");
    }

    [Fact]
    public void SCHED020_ParameterDefaultThatIsATrack()
    {
        AssertDiagnostic("""
            schedule A(w = cos(0.1 -> 0)) over 10ep {
                lr = cos(0.1 -> 0)
            }
            """, "SCHED020", Error, 1, 16,
            "a parameter's default is a number or a duration, not a track; to reuse a track, write a def: 'def w() = ...'");
    }

    [Fact]
    public void SCHED020_ByOnAValue()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = 0.1 by epoch
            }
            """, "SCHED020", Error, 2, 10, "'by' quantizes a track: write it after a segment, e.g. 'cos(0.1 -> 0, 50ep) by epoch'");
    }

    [Fact]
    public void SCHED020_ByAZeroBlock()
    {
        AssertDiagnostic("""
            schedule A over 100it {
                lr = cos(0.1 -> 0) by 0it
            }
            """, "SCHED020", Error, 2, 10, "'by' needs a positive block such as 'by 10it' or 'by epoch', not 0 steps");
    }

    // ---- SCHED021 p, t, step, epoch outside fn -------------------------------------------------------

    [Theory]
    [InlineData("p")]
    [InlineData("t")]
    [InlineData("step")]
    [InlineData("epoch")]
    public void SCHED021_ProgressVariableOutsideFn(string variable)
    {
        AssertDiagnostic($$"""
            schedule A over 10ep {
                lr = const({{variable}}, 10ep)
            }
            """, "SCHED021", Error, 2, 16, $"'{variable}' is only defined inside fn(...) or in the m of 'A * m'; move the expression there");
    }

    [Fact]
    public void SCHED021_ProgressInASegmentsEnds()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = lin(0.1 -> 0.1 * p, 10ep)
            }
            """, "SCHED021", Error, 2, 27, "'p' is only defined inside fn(...) or in the m of 'A * m'; move the expression there");
    }

    [Fact]
    public void SCHED021_ProgressInADuration()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = fn(0.1 * (1 - p), p * 10ep)
            }
            """, "SCHED021", Error, 2, 28, "'p' is only defined inside fn(...) or in the m of 'A * m'; move the expression there");
    }

    // ---- SCHED022 cycle outside repeat ---------------------------------------------------------------

    [Fact]
    public void SCHED022_CycleOutsideRepeat()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = cos(0.1 * 0.5^cycle -> 0)
            }
            """, "SCHED022", Error, 2, 24, "'cycle' is the index of the enclosing repeat and is only defined in values inside repeat { ... }");
    }

    // ---- SCHED023 wrong arguments --------------------------------------------------------------------

    [Fact]
    public void SCHED023_DefMissingArgument()
    {
        AssertDiagnostic("""
            def f(a, b) = const(a, b)
            schedule A over 10ep {
                lr = f(0.1)
            }
            """, "SCHED023", Error, 3, 10, "'f' needs a value for 'b': f(a, b)");
    }

    [Fact]
    public void SCHED023_DefUnknownNamedArgument_SuggestsTheParameter()
    {
        AssertDiagnostic("""
            def f(lo, hi = 1) = const(lo, 10ep)
            schedule A over 10ep {
                lr = f(0.1, hj = 2)
            }
            """, "SCHED023", Error, 3, 17, "'f' has no parameter 'hj'; it takes f(lo, hi = 1); did you mean 'hi'?");
    }

    [Fact]
    public void SCHED023_DefTooManyArguments()
    {
        AssertDiagnostic("""
            def f(a) = const(a, 10ep)
            schedule A over 10ep {
                lr = f(0.1, 0.2)
            }
            """, "SCHED023", Error, 3, 17, "'f' takes 1 argument: f(a)");
    }

    [Fact]
    public void SCHED023_DefArgumentGivenTwice()
    {
        AssertDiagnostic("""
            def f(x) = const(x, 10ep)
            schedule A over 10ep {
                lr = f(1, x = 2)
            }
            """, "SCHED023", Error, 3, 15, "'x' is given twice in this call of 'f'");
    }

    [Fact]
    public void SCHED023_PositionalAfterNamed()
    {
        AssertDiagnostic("""
            def f(x) = const(x, 10ep)
            schedule A over 10ep {
                lr = f(x = 2, 1)
            }
            """, "SCHED023", Error, 3, 19, "positional arguments come before named ones in a call of 'f'");
    }

    [Fact]
    public void SCHED023_TransitionAsADefArgument()
    {
        AssertDiagnostic("""
            def f(a) = const(a, 10ep)
            schedule A over 10ep {
                lr = f(0.1 -> 0)
            }
            """, "SCHED023", Error, 3, 12, "a transition 'a -> b' is only an argument of lin, cos, exp or poly");
    }

    [Fact]
    public void SCHED023_SegmentWithoutTransition()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = lin(0.1, 10ep)
            }
            """, "SCHED023", Error, 2, 10, "lin needs a transition first: lin(a -> b, duration), e.g. 'lin(0.1 -> 1, 10ep)'");
    }

    [Fact]
    public void SCHED023_SegmentWithTooManyArguments()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = cos(0.1 -> 0, 5ep, 5ep)
            }
            """, "SCHED023", Error, 2, 29, "cos takes at most 2 arguments: cos(a -> b, duration)");
    }

    [Fact]
    public void SCHED023_UnknownNamedArgumentOfASegment()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = poly(0.1 -> 0, 10ep, pow = 2)
            }
            """, "SCHED023", Error, 2, 31, "poly takes no argument named 'pow'; write poly(a -> b, duration, power)");
    }

    [Fact]
    public void SCHED023_MathFunctionArity()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = const(sqrt(1, 2), 10ep)
            }
            """, "SCHED023", Error, 2, 16, "sqrt takes one argument, not 2");
    }

    [Fact]
    public void SCHED023_MinNeedsTwoArguments()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = const(min(1), 10ep)
            }
            """, "SCHED023", Error, 2, 16, "min takes two or more arguments, not 1");
    }

    [Fact]
    public void SCHED023_UnknownRepeatArgument_SuggestsMult()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = repeat(2, mul = 2) { cos(0.1 -> 0, 1ep) }
            }
            """, "SCHED023", Error, 2, 20,
            "repeat has no argument 'mul' (or it is given twice); its arguments are a count, 'mult' and 'every'; did you mean 'mult'?");
    }

    [Fact]
    public void SCHED023_ScheduleParameterWithoutDefault()
    {
        AssertDiagnostic("""
            schedule A(peak) over 10ep {
                lr = cos(peak -> 0)
            }
            """, "SCHED023", Error, 1, 12,
            "parameter 'peak' needs a default: write 'peak = 0.1' for a number or 'peak = 5ep' for a duration");
    }

    // ---- SCHED024 repeat body longer than its cycle --------------------------------------------------

    [Fact]
    public void SCHED024_InAScheduleCountingInEpochs_LengthsWrittenInStepsReadAsSteps()
    {
        AssertDiagnostic("""
            schedule A over 4ep {
                lr = repeat(every = 10it) { const(0.1, 12it) }
            }
            """, "SCHED024", Error, 2, 10,
            "the repeat body lasts 12 steps, longer than its cycle of 10 steps ('every'); shorten the body or lengthen 'every'");
    }

    [Fact]
    public void SCHED024_BodyLongerThanEvery()
    {
        AssertDiagnostic("""
            schedule A over 4ep {
                lr = repeat(2, every = 2ep) { cos(0.1 -> 0, 3ep) }
            }
            """, "SCHED024", Error, 2, 10,
            "the repeat body lasts 3 epochs, longer than its cycle of 2 epochs ('every'); shorten the body or lengthen 'every'");
    }

    // ---- SCHED025 % mixed with absolute durations ----------------------------------------------------

    [Fact]
    public void SCHED025_PercentMixedWithAbsoluteInRepeatWithoutEvery()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = repeat(2) { cos(0.1 -> 0, 50%) + const(0.01, 1ep) }
            }
            """, "SCHED025", Error, 2, 10,
            "this repeat body mixes % with absolute durations; add 'every = ...' to say how long a cycle is, or use only %");
    }

    [Fact]
    public void SCHED025_MixedIsFineWithEvery()
    {
        AssertClean("""
            schedule A over 10ep {
                lr = repeat(2, every = 5ep) { cos(0.1 -> 0.01, 50%) + const(0.01, 2ep) + const(0.01, rest) }
            }
            """);
    }

    // ---- SCHED026 rest where nothing remains ---------------------------------------------------------

    [Fact]
    public void SCHED026_RestInsideRepeatWithoutEvery()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = cos(0.1 -> 0, 5ep) + repeat(2) { cos(0.1 -> 0, rest) }
            }
            """, "SCHED026", Error, 2, 43, "'rest' inside a repeat refers to its cycle and needs 'every = ...'; give this segment a duration");
    }

    [Fact]
    public void SCHED026_RestAsParameterDefault()
    {
        AssertDiagnostic("""
            schedule A(warm = rest) over 10ep {
                lr = cos(0.1 -> 0)
            }
            """, "SCHED026", Error, 1, 19, "'rest' cannot be a parameter's default; give a duration such as '5ep'");
    }

    [Fact]
    public void SCHED026_OverRest()
    {
        AssertDiagnostic("""
            schedule A over rest {
                lr = cos(0.1 -> 0)
            }
            """, "SCHED026", Error, 1, 17, "'over' needs a length such as '90ep'; 'rest' has nothing to refer to here");
    }

    [Fact]
    public void SCHED026_EveryRest()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = repeat(2, every = rest) { cos(0.1 -> 0, 1ep) }
            }
            """, "SCHED026", Error, 2, 28, "'every' needs a length such as '10ep'; 'rest' has nothing to refer to here");
    }

    [Fact]
    public void SCHED026_RepeatFillingTheRestInsideARepeat()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = repeat(2) { repeat { cos(0.1 -> 0, 1ep) } }
            }
            """, "SCHED026", Error, 2, 22,
            "a repeat that fills the rest cannot sit inside another repeat without 'every'; give it a count");
    }

    // ---- SCHED027 %-only repeat without count --------------------------------------------------------

    [Fact]
    public void SCHED027_PercentOnlyRepeatWithoutCount()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = repeat { cos(0.1 -> 0, 50%) + lin(0 -> 0.1, 50%) }
            }
            """, "SCHED027", Error, 2, 10, "a repeat whose body uses only % needs a count, e.g. 'repeat(10) { ... }', or 'every = ...'");
    }

    // ---- SCHED028 recursive def ----------------------------------------------------------------------

    [Fact]
    public void SCHED028_DefCallingItself()
    {
        AssertDiagnostic("""
            def f() = f()
            schedule A over 10ep {
                lr = f()
            }
            """, "SCHED028", Error, 1, 11, "def 'f' calls itself (through f -> f); a def cannot be recursive");
    }

    [Fact]
    public void SCHED028_MutualRecursion_NamesTheChain()
    {
        AssertDiagnostic("""
            def f(a) = g(a)
            def g(a) = f(a)
            schedule A over 10ep {
                lr = f(0.1)
            }
            """, "SCHED028", Error, 2, 12, "def 'f' calls itself (through f -> g -> f); a def cannot be recursive");
    }

    // ---- SCHED029 invalid repeat ---------------------------------------------------------------------

    [Theory]
    [InlineData("0", "0")]
    [InlineData("-2", "-2")]
    [InlineData("0/0", "NaN")]
    public void SCHED029_BadRepeatCount(string count, string shown)
    {
        AssertDiagnostic($$"""
            schedule A over 10ep {
                lr = repeat({{count}}) { cos(0.1 -> 0, 1ep) } + const(0.01, rest)
            }
            """, "SCHED029", Error, 2, 17, $"a repeat count must be a positive number, not {shown}");
    }

    [Fact]
    public void SCHED029_BadMult()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = repeat(2, mult = 0) { cos(0.1 -> 0, 1ep) } + const(0.01, rest)
            }
            """, "SCHED029", Error, 2, 27, "'mult' must be a positive number, not 0");
    }

    [Fact]
    public void SCHED029_ZeroEvery()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = repeat(2, every = 0ep) { cos(0.1 -> 0, 1ep) } + const(0.01, rest)
            }
            """, "SCHED029", Error, 2, 28, "'every' must be a positive duration, not 0 epochs");
    }

    [Fact]
    public void SCHED029_ShrinkingCyclesCannotFillTheRest()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = repeat(mult = 0.5) { cos(0.1 -> 0, 1ep) }
            }
            """, "SCHED029", Error, 2, 10,
            "cycles shrink (mult = 0.5) and together last only 2 epochs, less than the 10 epochs to fill; use mult >= 1 or give a count");
    }

    [Fact]
    public void SCHED029_RepeatFillingTheRestWithAnEmptyCycle()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = repeat { cos(0.1 -> 0, 0ep) }
            }
            """, "SCHED029", Error, 2, 10, "a repeat that fills the rest needs a cycle longer than 0 steps");
    }

    // ---- SCHED030 nesting too deep -------------------------------------------------------------------

    [Fact]
    public void SCHED030_BracketsNestedDeeperThan64()
    {
        string value = new string('(', 65) + "0.1" + new string(')', 65);
        var text = "schedule A over 10ep {\n    lr = " + value + "\n}\n";
        // "    lr = " is 9 characters; the schedule's '{' is level 1, so the 64th '(' is level 65.
        var d = AssertDiagnostic(text, "SCHED030", Error, 2, 10 + 63,
            "brackets nest more than 64 deep here; split the expression with a def");
        Assert.Equal("(", SpanText(text, d));
    }

    [Fact]
    public void SCHED030_SixtyFourLevelsAreFine()
    {
        // The schedule's own '{' counts as one level.
        string value = new string('(', 63) + "0.1" + new string(')', 63);
        AssertClean("schedule A over 10ep {\n    lr = " + value + "\n}\n");
    }

    [Fact]
    public void SCHED030_BracketsInCommentsDoNotCount()
    {
        AssertClean("// " + new string('(', 100) + "\n/* " + new string('{', 100) + " */\nschedule A over 10ep {\n    lr = cos(0.1 -> 0)\n}\n");
    }

    // ---- the whole catalogue ------------------------------------------------------------------------

    [Fact]
    public void Catalogue_IdsAreUniqueAndOrdered_AndEveryMessageFormatIsUsable()
    {
        var ids = DiagnosticDescriptors.All.Select(d => d.Id).ToList();
        Assert.Equal(ids.Distinct().Count(), ids.Count);
        Assert.Equal(ids.OrderBy(i => i, StringComparer.Ordinal), ids);
        Assert.All(DiagnosticDescriptors.All, d =>
        {
            Assert.Matches(@"^SCHED\d{3}$", d.Id);
            Assert.False(string.IsNullOrWhiteSpace(d.Title));
            // Every format must accept enough arguments without throwing.
            var source = new Text.SourceText("x", "f.sched");
            var diagnostic = d.Create(source, new Text.TextSpan(0, 1), "a", "b", "c", "d", "e");
            Assert.False(string.IsNullOrWhiteSpace(diagnostic.Message));
        });
    }

    [Fact]
    public void Catalogue_EveryDescriptorExceptInternalIsTriggeredByATestInThisProject()
    {
        var tested = typeof(DiagnosticTests).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods())
            .Select(m => m.Name)
            .Where(n => n.StartsWith("SCHED", StringComparison.Ordinal))
            .Select(n => n.Substring(0, 8))
            .ToHashSet();
        // SCHED035 (a file too large), SCHED036 (a name the project's C# has) and SCHED100 (its C# version) are the build's own: the generator's tests trigger them.
        var missing = DiagnosticDescriptors.All.Select(d => d.Id).Where(id => id is not ("SCHED099" or "SCHED035" or "SCHED036" or "SCHED100") && !tested.Contains(id)).ToList();
        Assert.True(missing.Count == 0, "no test named after: " + string.Join(", ", missing));
    }

    [Fact]
    public void Diagnostic_ToString_IsTheCompilerFormat()
    {
        var d = Single(Analyze("""
            schedule A over 10ep {
                lr = lin(0 -> 1, 10)
            }
            """), "SCHED004");
        Assert.Equal("test.sched(2,22): error SCHED004: a duration needs a unit: ep, it or %; write '10ep', '10it' or '10%'", d.ToString());
        var w = Single(Analyze("""
            schedule A over 10ep {
                lr = cos(0.1 -> 0)
                momentun = 0.9
            }
            """), "SCHED003");
        Assert.Equal("test.sched(3,5): warning SCHED003: 'momentun' is taken as a custom track; did you mean 'momentum'?", w.ToString());
    }

    [Fact]
    public void Diagnostics_AreInSourceOrder()
    {
        var analysis = Analyze("""
            schedule A(pi = 1, e = 2) over 10ep {
                lr = cso(0.1 -> 0)
                wd = lin(1 -> 0, 10)
            }
            """);
        var starts = analysis.Diagnostics.Select(d => d.Span.Start).ToList();
        Assert.True(starts.Count >= 4, string.Join("\n", analysis.Diagnostics));
        Assert.Equal(starts.OrderBy(s => s), starts);
    }
    // ---- SCHED033 def expansion budget ---------------------------------------------------------------

    [Fact]
    public void SCHED033_DefsDoublingPerLevel_StopAtTheBudget()
    {
        // Each level calls the previous one twice: 2^14 expansions, past the 10,000 budget, reported once at the schedule's own call.
        var lines = new List<string> { "def f0(a) = const(a, 1it)" };
        for (int i = 1; i <= 13; i++) lines.Add($"def f{i}(a) = f{i - 1}(a) + f{i - 1}(a)");
        lines.Add("schedule Big { lr = f13(0.1) }");
        var analysis = Analyze(string.Join("\n", lines));
        var d = Single(analysis, "SCHED033");
        AssertDiagnostic(d, "SCHED033", Error, 15, 21,
            "defs in this file expand more than 10000 times; a def that calls another several times doubles with each level: pass the shared part as an argument instead");
    }

    [Fact]
    public void SCHED030_TooManyModulationsOnOneTrack()
    {
        string chain = string.Concat(Enumerable.Repeat(" * 1", 65));
        AssertDiagnostic($$"""
            schedule A over 10it {
                lr = cos(0.1 -> 0){{chain}}
            }
            """, "SCHED030", Error, 2, 280,
            "more than 64 '*', 'by' or 'from' apply to one track or duration here; combine the factors into one value, e.g. 'A * (m1 * m2)'");
    }
}
