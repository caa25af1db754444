using Sched.Model;
using Sched.Language.Syntax;
using static Sched.Language.Tests.TestSupport;

namespace Sched.Language.Tests;

/// <summary>The parser: node spans, tokens, comments, doc comments, track separation and operator precedence.</summary>
public sealed class ParserTests
{
    private static (FileSyntax Syntax, string Text) Parse(string text)
    {
        text = Normalize(text);
        var analysis = SchedCompiler.Analyze(text, FileName);
        Assert.True(analysis.Syntax is not null, string.Join("\n", analysis.Diagnostics));
        Assert.DoesNotContain(analysis.Diagnostics, d => d.Id == "SCHED001");
        return (analysis.Syntax!, text);
    }

    private static Expr TrackValue(string track)
    {
        var (syntax, _) = Parse("schedule A over 10ep {\n    " + track + "\n}\n");
        return Assert.Single(Assert.Single(syntax.Schedules).Tracks).Value;
    }

    private static string At(string text, Text.TextSpan span) => text.Substring(span.Start, span.Length);

    [Fact]
    public void Spans_OfScheduleTracksCallsAndArguments()
    {
        var (syntax, text) = Parse("""
            schedule Warm(peak = 0.1, warm = 5ep) over 95ep {
                lr = lin(0 -> peak, warm) + cos(peak -> 0)   // comment
            }
            """);
        var schedule = Assert.Single(syntax.Schedules);
        Assert.Equal("Warm", At(text, schedule.NameSpan));
        Assert.StartsWith("schedule Warm", At(text, schedule.Span));
        Assert.EndsWith("}", At(text, schedule.Span));
        Assert.Equal("95ep", At(text, schedule.Over!.Span));
        Assert.Equal(new[] { "peak = 0.1", "warm = 5ep" }, schedule.Parameters.Select(p => At(text, p.Span)));
        Assert.Equal(new[] { "peak", "warm" }, schedule.Parameters.Select(p => At(text, p.NameSpan)));
        Assert.Equal("0.1", At(text, schedule.Parameters[0].Default!.Span));

        var track = Assert.Single(schedule.Tracks);
        Assert.Equal("lr", At(text, track.NameSpan));
        Assert.Equal("lr = lin(0 -> peak, warm) + cos(peak -> 0)", At(text, track.Span));
        var sum = Assert.IsType<SumExpr>(track.Value);
        Assert.Equal("lin(0 -> peak, warm) + cos(peak -> 0)", At(text, sum.Span));
        var lin = Assert.IsType<CallExpr>(sum.First);
        Assert.Equal("lin(0 -> peak, warm)", At(text, lin.Span));
        Assert.Equal("lin", At(text, lin.NameSpan));
        Assert.Equal(new[] { "0 -> peak", "warm" }, lin.Arguments.Select(a => At(text, a.Span)));
        var arrow = Assert.IsType<ArrowExpr>(lin.Arguments[0].Value);
        Assert.Equal("0", At(text, arrow.From.Span));
        Assert.Equal("peak", At(text, arrow.To.Span));
        var link = Assert.Single(sum.Rest);
        Assert.Equal("+", At(text, link.OperatorSpan));
        Assert.Equal("cos(peak -> 0)", At(text, link.Operand.Span));
    }

    [Fact]
    public void Spans_OfDefsRepeatsNamedArgumentsAndNamespace()
    {
        var (syntax, text) = Parse("""
            namespace Training.Schedules;
            def tri(lo, hi = 1, half = 5ep) = lin(lo -> hi, half) + lin(hi -> lo, half)
            schedule A over 10ep {
                lr = repeat(2, mult = 2) { tri(0.1, half = 1ep) } + const(0.1, rest)
            }
            """);
        Assert.Equal("Training.Schedules", syntax.Namespace!.Name);
        Assert.Equal("namespace Training.Schedules;", At(text, syntax.Namespace.Span));
        var def = Assert.Single(syntax.Defs);
        Assert.Equal("tri", At(text, def.NameSpan));
        Assert.Equal(new[] { "lo", "hi = 1", "half = 5ep" }, def.Parameters.Select(p => At(text, p.Span)));
        Assert.Null(def.Parameters[0].Default);
        Assert.Equal("lin(lo -> hi, half) + lin(hi -> lo, half)", At(text, def.Body.Span));

        var sum = Assert.IsType<SumExpr>(Assert.Single(syntax.Schedules).Tracks[0].Value);
        var repeat = Assert.IsType<RepeatExpr>(sum.First);
        Assert.Equal("repeat(2, mult = 2) { tri(0.1, half = 1ep) }", At(text, repeat.Span));
        Assert.Equal("repeat", At(text, repeat.KeywordSpan));
        Assert.Equal("mult", repeat.Arguments[1].Name);
        Assert.Equal("mult", At(text, repeat.Arguments[1].NameSpan));
        Assert.Equal("mult = 2", At(text, repeat.Arguments[1].Span));
        var call = Assert.IsType<CallExpr>(repeat.Body);
        Assert.Equal("half = 1ep", At(text, call.Arguments[1].Span));
        Assert.Equal("1ep", At(text, call.Arguments[1].Value.Span));
    }

    [Theory]
    [InlineData("1ep", 1.0, "1", DurationUnit.Epoch)]
    [InlineData("41ep", 41.0, "41", DurationUnit.Epoch)]
    [InlineData("2.5ep", 2.5, "2.5", DurationUnit.Epoch)]
    [InlineData("500it", 500.0, "500", DurationUnit.Iteration)]
    [InlineData("1e5it", 1e5, "1e5", DurationUnit.Iteration)]
    [InlineData("1E+2it", 100.0, "1E+2", DurationUnit.Iteration)]
    [InlineData("25%", 25.0, "25", DurationUnit.Percent)]
    [InlineData("12.5%", 12.5, "12.5", DurationUnit.Percent)]
    [InlineData("1e-3", 1e-3, "1e-3", DurationUnit.None)]
    [InlineData("1e5", 1e5, "1e5", DurationUnit.None)]
    [InlineData("0.95", 0.95, "0.95", DurationUnit.None)]
    [InlineData("007", 7.0, "007", DurationUnit.None)]
    public void NumberTokens(string written, double value, string numberText, DurationUnit unit)
    {
        var (syntax, text) = Parse("schedule A(x = " + written + ") {\n    lr = 0.1\n}\n");
        var parameter = Assert.Single(Assert.Single(syntax.Schedules).Parameters);
        var number = Assert.IsType<NumberExpr>(parameter.Default);
        Assert.Equal(value, number.Value);
        Assert.Equal(numberText, number.Text);
        Assert.Equal(unit, number.Unit);
        Assert.Equal(written, At(text, number.Span));
    }

    [Fact]
    public void HugeNumberLiteral_IsInfinityNotACrash()
    {
        var (syntax, _) = Parse("schedule A(x = 1e999) {\n    lr = 0.1\n}\n");
        Assert.Equal(double.PositiveInfinity, Assert.IsType<NumberExpr>(syntax.Schedules[0].Parameters[0].Default).Value);
    }

    [Fact]
    public void Arrow_IsNotAMinus()
    {
        var call = Assert.IsType<CallExpr>(Assert.IsType<SumExpr>(TrackValue("lr = lin(0.2->-0.1, 5ep) + const(0, rest)")).First);
        var arrow = Assert.IsType<ArrowExpr>(call.Arguments[0].Value);
        var to = Assert.IsType<NegateExpr>(arrow.To);
        Assert.Equal(1, to.Count);
        Assert.IsType<NumberExpr>(to.Operand);
    }

    [Fact]
    public void Minus_BeforeAnArrow_IsASubtraction()
    {
        var call = Assert.IsType<CallExpr>(Assert.IsType<SumExpr>(TrackValue("lr = lin(1 - 0.5 -> 0, 5ep) + const(0.1, rest)")).First);
        var arrow = Assert.IsType<ArrowExpr>(call.Arguments[0].Value);
        var from = Assert.IsType<SumExpr>(arrow.From);
        Assert.Equal("-", Assert.Single(from.Rest).Operator);
    }

    [Fact]
    public void Comments_LineAndBlock_AreTrivia()
    {
        var (syntax, text) = Parse("""
            // line comment with schedule B { }
            /* block
               comment */ schedule /* inside */ A over /* here */ 10ep { // after brace
                lr = cos(0.1 /* between */ -> 0) // trailing
                /* whole line */
                wd = 1e-4 /* before newline */
            }
            // last line without newline
            """);
        var schedule = Assert.Single(syntax.Schedules);
        Assert.Equal("A", schedule.Name);
        Assert.Equal(new[] { "lr", "wd" }, schedule.Tracks.Select(t => t.Name));
        Assert.Equal("cos(0.1 /* between */ -> 0)", At(text, schedule.Tracks[0].Value.Span));
    }

    [Fact]
    public void BlockComment_SpanningLines_KeepsLineNumbersForLaterDiagnostics()
    {
        AssertDiagnostic("""
            /* one
               two
               three */
            schedule A over 10ep {
                lr = cso(0.1 -> 0)
            }
            """, "SCHED002", Diagnostics.DiagnosticSeverity.Error, 5, 10, "unknown function 'cso'; did you mean 'cos'?");
    }

    [Fact]
    public void DocComments_AreAttachedToTheFollowingSchedule()
    {
        var (syntax, _) = Parse("""
            /// Not attached: a blank line follows.

            // an ordinary comment
            /// First line.
            ///   Second line, trimmed.
            schedule A over 10ep {
                lr = cos(0.1 -> 0)
            }
            schedule B over 10ep {
                lr = cos(0.1 -> 0)
            }
            /// Only for C.
            schedule C over 10ep {
                lr = cos(0.1 -> 0)
            }
            """);
        Assert.Equal("First line.\nSecond line, trimmed.", syntax.Schedules[0].Documentation);
        Assert.Null(syntax.Schedules[1].Documentation);
        Assert.Equal("Only for C.", syntax.Schedules[2].Documentation);
    }

    [Fact]
    public void DocComments_ReachTheBoundSchedule()
    {
        var analysis = AssertClean(Corpus.DslSection2);
        Assert.Equal("Leslie Smith's 1cycle with cyclical momentum (fastai use_clr_beta, 95 epochs).", Assert.Single(analysis.Schedules).Documentation);
    }

    [Fact]
    public void Tracks_AreSeparatedBySemicolonsOrNewLines()
    {
        var (syntax, _) = Parse("""
            schedule A over 10ep { lr = cos(0.1 -> 0); mom = 0.9;; wd = 1e-4;
                beta2 = 0.999
                dropout = 0.1; }
            schedule B over 10ep { lr = cos(0.1 -> 0) }
            """);
        Assert.Equal(new[] { "lr", "mom", "wd", "beta2", "dropout" }, syntax.Schedules[0].Tracks.Select(t => t.Name));
        Assert.Equal(new[] { "lr" }, syntax.Schedules[1].Tracks.Select(t => t.Name));
    }

    [Fact]
    public void Track_ContinuesOnTheNextLineAfterAnOperator()
    {
        var (syntax, _) = Parse("""
            schedule A over 10ep {
                lr = lin(0 -> 0.1, 2ep)
                   + cos(0.1 -> 0)
            }
            """);
        var sum = Assert.IsType<SumExpr>(Assert.Single(syntax.Schedules[0].Tracks).Value);
        Assert.Single(sum.Rest);
    }

    [Fact]
    public void UnaryMinus_BindsLooserThanPower()
    {
        // -2^2 parses as -(2^2)
        var negate = Assert.IsType<NegateExpr>(TrackValue("x = -2^2"));
        Assert.Equal(1, negate.Count);
        var power = Assert.IsType<PowerExpr>(negate.Operand);
        Assert.Single(power.Exponents);
        Assert.Equal(-4.0, EvaluateCustom("-2^2"));
    }

    [Fact]
    public void Power_IsRightAssociative()
    {
        var power = Assert.IsType<PowerExpr>(TrackValue("x = 2^3^2"));
        Assert.Equal(2, power.Exponents.Count);
        Assert.Equal(512.0, EvaluateCustom("2^3^2"));
        Assert.Equal(0.5, EvaluateCustom("2^-1"));
        Assert.Equal(Math.Pow(2, -0.5), EvaluateCustom("2^-2^-1"), 15);   // 2^(-(2^-1)); left-associative would give 4
    }

    [Theory]
    [InlineData("1 + 2 * 3", 7.0)]
    [InlineData("(1 + 2) * 3", 9.0)]
    [InlineData("8 / 4 / 2", 1.0)]
    [InlineData("10 - 3 - 2", 5.0)]
    [InlineData("--2", 2.0)]
    [InlineData("-2 * -3", 6.0)]
    [InlineData("2 * 3^2", 18.0)]
    [InlineData("max(1, 5, 3) - min(4, 2)", 3.0)]
    [InlineData("floor(2.7) + abs(-1)", 3.0)]
    [InlineData("log(e)", 1.0)]
    public void Arithmetic_Precedence(string expression, double expected)
    {
        Assert.Equal(expected, EvaluateCustom(expression), 12);
    }

    [Fact]
    public void ByAndTimes_BindTighterThanPlus()
    {
        var sum = Assert.IsType<SumExpr>(TrackValue("lr = const(0.1, 5ep) + cos(0.1 -> 0, 5ep) by epoch"));
        var product = Assert.IsType<ProductExpr>(Assert.Single(sum.Rest).Operand);
        Assert.Equal("by", Assert.Single(product.Rest).Operator);
    }

    [Fact]
    public void LongOperatorChains_AreFlatLists()
    {
        var sum = Assert.IsType<SumExpr>(TrackValue("x = " + string.Join(" + ", Enumerable.Repeat("1", 1000))));
        Assert.Equal(999, sum.Rest.Count);
    }

    [Fact]
    public void KeywordPrefixes_AreOrdinaryNames()
    {
        // 'repeater', 'byte', 'overall' are names, not 'repeat', 'by', 'over' followed by something.
        var analysis = AssertClean("""
            schedule A(repeater = 2, byte = 1ep, overall = 0.1) over 10ep {
                lr = const(overall * repeater, byte) + cos(0.1 -> 0)
            }
            """);
        Assert.Equal(new[] { "repeater", "byte", "overall" }, analysis.Schedules[0].Parameters.Select(p => p.Name));
    }

    private static double EvaluateCustom(string expression)
    {
        var laid = Lay("schedule A {\n    lr = 0.1\n    x = " + expression + "\n}\n", 1);
        return Value(laid, "x", 0);
    }
}
