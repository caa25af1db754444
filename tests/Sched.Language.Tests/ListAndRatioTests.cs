using Sched.Diagnostics;
using static Sched.Language.Tests.TestSupport;

namespace Sched.Language.Tests;

/// <summary>
/// Lists with <c>bisect(list, x)</c> (MultiStepLR's milestones) and a duration divided by a duration (a length in
/// steps inside a value): the two extensions the presets needed.
/// </summary>
public sealed class ListAndRatioTests
{
    [Fact]
    public void Bisect_counts_the_items_at_most_x_in_any_order_with_repeats()
    {
        var laid = Lay("""
            def drops(milestones) = fn(bisect(milestones, step), rest)
            schedule A over 12it {
                lr = drops([7, 3, 3, 10])
            }
            """);
        double[] expected = [0, 0, 0, 2, 2, 2, 2, 3, 3, 3, 4, 4, 4];
        for (int x = 0; x <= 12; x++) Assert.Equal(expected[x], Value(laid, "lr", x));
        Assert.Equal(3, Value(laid, "lr", 9.999));
    }

    [Fact]
    public void An_empty_list_counts_nothing()
    {
        var laid = Lay("schedule A over 5it { lr = fn(0.1 * 0.5^bisect([], step)) }");
        Assert.Equal(0.1, Value(laid, "lr", 4));
    }

    [Fact]
    public void A_list_passes_through_defs_and_may_be_a_defs_default_and_hold_parameters()
    {
        string text = """
            def inner(ms, gamma) = fn(gamma^bisect(ms, step), rest)
            def outer(ms = [2, 4]) = inner(ms, 0.5)
            schedule A(m = 3) over 8it {
                lr = outer()
                momentum = inner([m, 2 * m], 0.5) * 0.9
            }
            """;
        var laid = Lay(text);
        Assert.Equal(1, Value(laid, "lr", 1));
        Assert.Equal(0.5, Value(laid, "lr", 2));
        Assert.Equal(0.25, Value(laid, "lr", 7));
        Assert.Equal(0.9, Value(laid, "momentum", 2));
        Assert.Equal(0.45, Value(laid, "momentum", 3));
        Assert.Equal(0.225, Value(laid, "momentum", 6));

        // The items are values of the schedule's parameters, so an override moves them.
        var moved = Lay(text, overrides: new Dictionary<string, string> { ["m"] = "1" });
        Assert.Equal(0.45, Value(moved, "momentum", 1));
        Assert.Equal(0.225, Value(moved, "momentum", 2));
    }

    [Fact]
    public void A_ratio_of_durations_is_their_length_in_steps_at_the_real_steps_per_epoch()
    {
        var laid = Lay("""
            schedule A(warm = 2ep) over 10ep {
                lr = fn(0.1 * min(1, step / (warm / 1it)))
            }
            """, stepsPerEpoch: 10);
        Assert.Equal(0.1 * 5 / 20.0, Value(laid, "lr", 5));
        Assert.Equal(0.1, Value(laid, "lr", 30));
        var other = Lay("""
            schedule A(warm = 2ep) over 10ep {
                lr = fn(0.1 * min(1, step / (warm / 1it)))
            }
            """, stepsPerEpoch: 7, overrides: new Dictionary<string, string> { ["warm"] = "3ep" });
        Assert.Equal(0.1 * 5 / 21.0, Value(other, "lr", 5));
    }

    [Fact]
    public void A_percentage_in_a_ratio_is_a_share_of_the_total_or_of_the_enclosing_cycle()
    {
        var laid = Lay("""
            schedule A over 200it {
                lr = const(0.1 * (10% / 1it), 100it) + repeat(every = 50it) { const(0.001 * (10% / 1it)) }
            }
            """);
        Assert.Equal(0.1 * 20, Value(laid, "lr", 0), 12);
        Assert.Equal(0.001 * 5, Value(laid, "lr", 150), 12);
    }

    [Fact]
    public void A_ratio_may_count_cycles()
    {
        var laid = Lay("schedule A over 100it { lr = repeat(100% / 25%) { lin(1 -> 0, 25it) } + const(7) }");
        Assert.Equal(100, laid.Tracks[0].Root.Length.Steps, 12);
        Assert.Equal(1, Value(laid, "lr", 75));
        Assert.Equal(0.04, Value(laid, "lr", 99), 12);
    }

    [Theory]
    [InlineData("schedule A over 10it { lr = fn(0.1 + 5it / 0it) }", 38, "infinite")]
    [InlineData("schedule A over 10it { lr = const(0.1 * (0it / 0it)) }", 42, "not a number (NaN)")]
    // The value the ratio makes stays finite (step / infinity is 0); the division by a zero duration is still a mistake.
    [InlineData("schedule A over 10ep { lr = fn(0.1 * step / (1ep / 0it), rest) }", 46, "infinite")]
    // Once, at the ratio, not again at the duration it scales.
    [InlineData("schedule A over 10it { lr = const(0.1, (1it / 0it) * 1it) }", 41, "infinite")]
    public void A_ratio_by_a_zero_duration_is_reported_once_where_it_is_written(string text, int column, string what)
    {
        var d = Single(Analyze(text), "SCHED010");
        AssertDiagnostic(d, "SCHED010", DiagnosticSeverity.Error, 1, column,
            $"this value is {what}; check for a division by zero, a log of a non-positive number or an overflow");
    }

    [Fact]
    public void A_duration_times_a_duration_is_still_an_error_that_names_the_ratio()
    {
        var d = Single(Analyze("schedule A over 10it { lr = const(0.1, 2it * 5it) }"), "SCHED020");
        Assert.Contains("divided by a duration ('warm / 1it' is its length in steps)", d.Message);
    }

    [Fact]
    public void A_list_stands_only_where_a_list_is_expected()
    {
        const string Where = "a list '[a, b, c]' is an argument of a def (such as multi_step's milestones) or the first argument of bisect, not a value, a duration or a track";
        AssertDiagnostic("schedule A over 10it { lr = [1, 2] }", "SCHED020", DiagnosticSeverity.Error, 1, 29, Where);
        AssertDiagnostic("schedule A(m = [1]) over 10it { lr = 1 }", "SCHED020", DiagnosticSeverity.Error, 1, 16, Where);
        AssertDiagnostic("schedule A over 10it { lr = const(0.1, [2it]) }", "SCHED020", DiagnosticSeverity.Error, 1, 40, Where);
        AssertDiagnostic("schedule A over 10it { lr = fn(bisect([[1]], step)) }", "SCHED020", DiagnosticSeverity.Error, 1, 40, Where);
    }

    [Fact]
    public void A_list_parameter_used_as_a_value_says_how_to_use_it()
    {
        AssertDiagnostic("""
            def f(ms) = const(ms)
            schedule A over 10it { lr = f([1]) }
            """, "SCHED020", DiagnosticSeverity.Error, 1, 19, "'ms' is a list: use it as 'bisect(ms, x)' or pass it on to a def");
    }

    [Fact]
    public void Bisect_without_a_list_says_what_to_write()
    {
        AssertDiagnostic("schedule A over 10it { lr = fn(bisect(3, step)) }", "SCHED023", DiagnosticSeverity.Error, 1, 39,
            "bisect's first argument is a list of numbers in brackets: bisect(list, x), e.g. 'bisect([30, 60, 80], epoch)'");
        AssertDiagnostic("""
            def f(ms) = fn(bisect(ms, step))
            schedule A over 10it { lr = f(30) }
            """, "SCHED023", DiagnosticSeverity.Error, 1, 23,
            "'ms' is given a number, where a list is needed: write it in brackets, e.g. '[30, 60, 80]'");
        AssertDiagnostic("schedule A over 10it { lr = fn(bisect([1])) }", "SCHED023", DiagnosticSeverity.Error, 1, 32,
            "bisect takes 2 arguments, not 1: bisect(list, x), e.g. 'bisect([30, 60, 80], epoch)'");
    }

    [Fact]
    public void A_list_item_that_is_not_finite_is_an_error_there()
    {
        AssertDiagnostic("schedule A over 10it { lr = fn(0.1 * 0.5^bisect([2, 1/0], step)) }", "SCHED010", DiagnosticSeverity.Error, 1, 53,
            "this value is infinite; check for a division by zero, a log of a non-positive number or an overflow");
    }

    [Fact]
    public void A_list_item_is_a_number()
    {
        AssertDiagnostic("schedule A over 10ep { lr = fn(bisect([3ep], epoch)) }", "SCHED020", DiagnosticSeverity.Error, 1, 40,
            "a list item is a number, not a duration; drop the unit");
    }

    [Fact]
    public void A_multi_step_call_with_a_number_for_milestones_points_at_the_call()
    {
        var d = Single(Analyze("schedule A over 10ep { lr = multi_step(0.1, 30) }"), "SCHED023");
        Assert.Equal(new Text.LinePosition(1, 29), d.Start);
        Assert.Equal("'milestones' is given a number, where a list is needed: write it in brackets, e.g. '[30, 60, 80]'", d.Message);
    }

    [Fact]
    public void A_preset_given_a_number_for_a_duration_says_so_once_at_the_call()
    {
        // multi_step's body uses 'period' twice ('period / 1it' and 'by period'); the user sees one message, naming the parameter.
        var analysis = Analyze("schedule A over 10ep { lr = multi_step(0.1, [3, 6], period = 2) }");
        var d = Assert.Single(analysis.Diagnostics);
        Assert.Equal(("SCHED020", new Text.LinePosition(1, 29)), (d.Id, d.Start));
        Assert.Equal("'period' is given a number, where a duration is needed: give it a unit, such as '1ep' or '100it'", d.Message);
    }

    [Theory]
    [InlineData("schedule A over 10it { lr = fn(0.1 * (2 / 1it)) }")]
    [InlineData("schedule A over 10it { lr = fn(0.1 * (step / 1it)) }")] // a variable is no parameter to give a unit to
    public void A_number_divided_by_a_duration_points_to_the_ratio_of_durations(string text)
    {
        AssertDiagnostic(text, "SCHED020", DiagnosticSeverity.Error, 1, 39,
            "a number cannot be divided by a duration; a length in steps is a duration divided by a duration ('warm / 1it')");
    }

    [Fact]
    public void An_unclosed_list_is_a_syntax_error_at_its_end()
    {
        var analysis = Analyze("schedule A over 10it { lr = fn(bisect([1, 2, step)) }");
        var d = Assert.Single(analysis.Diagnostics, d => d.IsError);
        Assert.Equal("SCHED001", d.Id);
        Assert.Contains("']'", d.Message);
    }

    [Fact]
    public void Brackets_count_towards_the_nesting_limit()
    {
        string deep = new string('[', 70) + new string(']', 70);
        var analysis = Analyze($"def f(ms) = fn(bisect(ms, step))\nschedule A over 10it {{ lr = f({deep}) }}");
        Assert.Contains(analysis.Diagnostics, d => d.Id == "SCHED030");
    }
}
