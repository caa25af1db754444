using Sched.Diagnostics;
using static Sched.Language.Tests.TestSupport;

namespace Sched.Language.Tests;

/// <summary>SCHED001: a syntax error names what was expected and what was found, at the offending token.</summary>
public sealed class SyntaxErrorTests
{
    private const DiagnosticSeverity Error = DiagnosticSeverity.Error;

    [Fact]
    public void SCHED001_MissingCloseParenthesis_BeforeTheClosingBrace()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = lin(0 -> 1, 10ep
            }
            """, "SCHED001", Error, 3, 1, "syntax error: expected ')', found '}'");
    }

    [Fact]
    public void SCHED001_MissingCloseParenthesis_AtTheEndOfTheFile()
    {
        AssertDiagnostic("schedule A over 10ep {\n    lr = lin(0 -> 1, 10ep", "SCHED001", Error, 2, 26,
            "syntax error: expected ')', found the end of the file");
    }

    [Fact]
    public void SCHED001_MissingCloseParenthesis_OfAParameterList()
    {
        AssertDiagnostic("""
            schedule A(peak = 0.1 over 10ep {
                lr = cos(peak -> 0)
            }
            """, "SCHED001", Error, 1, 23, "syntax error: expected ')', found 'over'");
    }

    [Fact]
    public void SCHED001_MissingCloseParenthesis_OfARepeatHeader()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = repeat(2 { cos(0.1 -> 0, 5ep) }
            }
            """, "SCHED001", Error, 2, 19, "syntax error: expected ')', found '{'");
    }

    [Fact]
    public void SCHED001_MissingCloseParenthesis_OfAParenthesisedTrack()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = (cos(0.1 -> 0)
            }
            """, "SCHED001", Error, 3, 1, "syntax error: expected ')', found '}'");
    }

    [Fact]
    public void SCHED001_MissingCloseBrace_AfterANewLine()
    {
        AssertDiagnostic("schedule A over 10ep {\n    lr = cos(0.1 -> 0)\n", "SCHED001", Error, 3, 1,
            "syntax error: expected '}', found the end of the file");
    }

    [Fact]
    public void SCHED001_MissingCloseBrace_RightAfterTheLastTrack_SaysABraceIsMissing()
    {
        // Without a final new line, the message must still say that '}' is missing.
        var d = Single(Analyze("schedule A over 10ep {\n    lr = cos(0.1 -> 0)"), "SCHED001");
        Assert.Equal(new Text.LinePosition(2, 23), d.Start);
        Assert.Contains("'}'", d.Message);
    }

    [Fact]
    public void SCHED001_MissingCloseBrace_OfARepeat_SaysABraceIsMissing()
    {
        // The repeat's '{' is never closed: the schedule's '}' closes it, and the file ends.
        var d = Single(Analyze("schedule A over 10ep {\n    lr = repeat(2) { cos(0.1 -> 0, 5ep)\n}"), "SCHED001");
        Assert.Equal(new Text.LinePosition(3, 2), d.Start);
        Assert.Contains("'}'", d.Message);
    }

    [Fact]
    public void SCHED001_StrayTokenBetweenTracksOnOneLine()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = lin(0 -> 1, 10ep) wd = 0.1
            }
            """, "SCHED001", Error, 2, 28, "syntax error: expected a new line or ';' after the track or an operator, found 'wd'");
    }

    [Fact]
    public void SCHED001_StrayCharacterAfterATrack()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = cos(0.1 -> 0) $
            }
            """, "SCHED001", Error, 2, 24, "syntax error: expected a new line or ';' after the track or an operator, found '$'");
    }

    [Fact]
    public void SCHED001_BadTopLevelWord()
    {
        AssertDiagnostic("""
            schedul A over 10ep {
                lr = lin(0 -> 1, 10ep)
            }
            """, "SCHED001", Error, 1, 1, "syntax error: expected 'schedule', 'def' or 'namespace', found 'schedul'");
    }

    [Fact]
    public void SCHED001_ExtraClosingBrace()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = cos(0.1 -> 0)
            }
            }
            """, "SCHED001", Error, 4, 1, "syntax error: expected 'schedule', 'def' or 'namespace', found '}'");
    }

    [Fact]
    public void SCHED001_UnterminatedString_IsNotPartOfTheLanguage()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = cos(0.1 -> 0)
            }
            "unterminated
            """, "SCHED001", Error, 4, 1, "syntax error: expected 'schedule', 'def' or 'namespace', found '\"'");
    }

    [Fact]
    public void SCHED001_UnterminatedBlockComment_IsReported()
    {
        // An unclosed '/*' silently swallows the rest of the file; it should be an error at the '/*'.
        var d = Single(Analyze("""
            schedule A over 10ep {
                lr = cos(0.1 -> 0)
            }
            /* schedule B over 10ep {
                lr = cos(0.1 -> 0)
            }
            """), "SCHED001");
        Assert.Equal(new Text.LinePosition(4, 1), d.Start);
        Assert.Contains("*/", d.Message);
    }

    [Fact]
    public void SCHED001_MissingEquals()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr cos(0.1 -> 0)
            }
            """, "SCHED001", Error, 2, 8, "syntax error: expected '=', found 'cos'");
    }

    [Fact]
    public void SCHED001_MissingValue()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr =
            }
            """, "SCHED001", Error, 3, 1, "syntax error: expected a value, a duration or a segment such as lin(a -> b, 10ep), found '}'");
    }

    [Fact]
    public void SCHED001_DanglingPlus()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = cos(0.1 -> 0) +
            }
            """, "SCHED001", Error, 3, 1, "syntax error: expected a value, a duration or a segment such as lin(a -> b, 10ep), found '}'");
    }

    [Fact]
    public void SCHED001_EmptyArgument()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = cos(0.1 -> , 10ep)
            }
            """, "SCHED001", Error, 2, 21, "syntax error: expected a value, a duration or a segment such as lin(a -> b, 10ep), found ','");
    }

    [Fact]
    public void SCHED001_UnknownUnit()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = cos(0.1 -> 0, 10x)
            }
            """, "SCHED001", Error, 2, 26, "syntax error: expected a unit (ep, it or %) or an operator right after the number, found 'x'");
    }

    [Fact]
    public void SCHED001_ExponentWithoutDigits()
    {
        AssertDiagnostic("""
            schedule A over 10ep {
                lr = cos(0.1 -> 0, 1e)
            }
            """, "SCHED001", Error, 2, 25, "syntax error: expected a unit (ep, it or %) or an operator right after the number, found 'e'");
    }

    [Fact]
    public void SCHED001_ParameterWithoutEquals()
    {
        AssertDiagnostic("""
            schedule A(peak 0.1) over 10ep {
                lr = cos(peak -> 0)
            }
            """, "SCHED001", Error, 1, 17, "syntax error: expected ')', found '0'");
    }

    [Fact]
    public void SCHED001_NamespaceWithoutSemicolon()
    {
        AssertDiagnostic("""
            namespace Foo
            schedule A over 10ep {
                lr = cos(0.1 -> 0)
            }
            """, "SCHED001", Error, 2, 1, "syntax error: expected ';', found 'schedule'");
    }

    [Fact]
    public void SCHED001_NamespaceEndingInADot()
    {
        AssertDiagnostic("namespace A.B.;\n", "SCHED001", Error, 1, 15, "syntax error: expected a name, found ';'");
    }

    [Fact]
    public void SCHED001_ArrowShownWholeInTheMessage()
    {
        // A chained transition: the unexpected token is '->', and the message should show it whole.
        var d = Single(Analyze("""
            schedule A over 10ep {
                lr = cos(0.1 -> 0 -> 1)
            }
            """), "SCHED001");
        Assert.Equal(new Text.LinePosition(2, 23), d.Start);
        Assert.Equal("syntax error: expected ')', found '->'", d.Message);
    }

    [Fact]
    public void SCHED001_TransitionAsATrack_PointsAtTheArrow()
    {
        var d = Single(Analyze("""
            schedule A over 10ep {
                lr = 0.1 -> 0
            }
            """), "SCHED001");
        Assert.Equal(new Text.LinePosition(2, 14), d.Start);
        Assert.Contains("'->'", d.Message);
    }

    [Fact]
    public void SCHED001_DefWithoutBody_PointsAtTheNextKeyword()
    {
        // 'schedule' is a keyword, not a name the def body could mean: the error belongs at line 2, column 1.
        var d = Single(Analyze("""
            def f(a) =
            schedule A over 10ep {
                lr = cos(0.1 -> 0)
            }
            """), "SCHED001");
        Assert.Equal(new Text.LinePosition(2, 1), d.Start);
    }

    [Fact]
    public void SCHED001_ScheduleWithoutName_SaysANameIsExpected()
    {
        var d = Single(Analyze("""
            schedule over 10ep {
                lr = cos(0.1 -> 0)
            }
            """), "SCHED001");
        Assert.Equal(new Text.LinePosition(1, 10), d.Start);
        Assert.Contains("a name", d.Message);
    }

    [Fact]
    public void SCHED001_OnlyOneSyntaxErrorIsReported_AndNothingIsBound()
    {
        var analysis = Analyze("""
            schedule A over 10ep {
                lr = cos(0.1 -> , 0)
                wd = cso(1 -> 2)
            }
            """);
        Assert.Single(analysis.Diagnostics);
        Assert.Empty(analysis.Schedules);
        Assert.True(analysis.HasErrors);
    }
}
