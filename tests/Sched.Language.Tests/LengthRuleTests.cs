using Sched.Diagnostics;
using static Sched.Language.Tests.TestSupport;

namespace Sched.Language.Tests;

/// <summary>
/// The length rules (SCHED007 longer than the total, SCHED024 body longer than its cycle, SCHED034 'from' past the end)
/// at their exact boundary, within rounding of it, and just past it; for schedules that count in epochs, at build time
/// (every steps per epoch) and for a run (one).
/// </summary>
public class LengthRuleTests
{
    public static TheoryData<string, string?> Cases => new()
    {
        // SCHED007: exactly the total; the total by a sum that rounds above it (0.1·3·10 = 3.0000000000000004); past it.
        { "schedule A over 10it { lr = const(0.1, 10it) }", null },
        { "schedule A over 3it { lr = const(0.1, 0.1*3*10it) }", null },
        { "schedule A over 10it { lr = const(0.1, 10.000001it) }", "SCHED007" },
        { "schedule A over 10it { lr = const(0.1, 4it) + const(0.2, 6it) + const(0.3, rest) }", null },
        { "schedule A over 10it { lr = const(0.1, 4it) + const(0.2, 6.001it) + const(0.3, rest) }", "SCHED007" },
        // SCHED024: a body exactly its cycle; rounding (0.3·3 = 0.8999999999999999 against 0.9); past it.
        { "schedule A over 20it { lr = repeat(every = 10it) { const(0.1, 10it) } }", null },
        { "schedule A over 20it { lr = repeat(every = 0.9it) { const(0.1, 0.3*3it) } }", null },
        { "schedule A over 20it { lr = repeat(every = 0.8999999it) { const(0.1, 0.9it) } }", "SCHED024" },
        // SCHED034: skipping all of a part is allowed, a step more is not.
        { "schedule A over 10it { lr = lin(1 -> 2, 4it) from 4it + const(1) }", null },
        { "schedule A over 10it { lr = lin(1 -> 2, 4it) from 4.000001it + const(1) }", "SCHED034" },
        { "schedule A over 10it { lr = lin(1 -> 2, 0.3*3it) from 0.9it + const(1) }", null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Length_rules_hold_at_their_boundary_and_break_past_it(string text, string? error)
    {
        var analysis = Analyze(text);
        if (error is null) Assert.True(!analysis.HasErrors, string.Join("\n", analysis.Diagnostics));
        else Single(analysis, error);
    }

    /// <summary>Every case above reached its check: the theory has both kinds, and each error case names a rule.</summary>
    [Fact]
    public void The_cases_cover_each_rule_on_both_sides()
    {
        var cases = Cases.Select(row => ((string)row[0], (string?)row[1])).ToList();
        foreach (string id in new[] { "SCHED007", "SCHED024", "SCHED034" })
        {
            Assert.Contains(cases, c => c.Item2 == id);
        }
        Assert.True(cases.Count(c => c.Item2 is null) >= 6, "at least two boundary cases per rule that must pass");
    }

    /// <summary>
    /// A schedule that counts in epochs fits some steps per epoch and not others: the build, not knowing which, accepts
    /// it; a run with too many steps per epoch refuses it, in the units written and in steps.
    /// </summary>
    [Theory]
    [InlineData("schedule A over 40it { lr = const(0.1, 2ep) + const(0.2, rest) }", 20, 21, "SCHED007",
        "track 'lr' without its 'rest' lasts 2 epochs (42 steps), longer than the 40 steps available; shorten a segment or lengthen 'over'")]
    [InlineData("schedule A over 40it { lr = repeat(2, every = 10it) { const(0.1, 1ep) } + const(0.1) }", 10, 11, "SCHED024",
        "the repeat body lasts 1 epochs (11 steps), longer than its cycle of 10 steps ('every'); shorten the body or lengthen 'every'")]
    [InlineData("schedule A over 40it { lr = lin(1 -> 2, 10it) from 1ep + const(1) }", 10, 11, "SCHED034",
        "'from' skips 1 epochs (11 steps) of a track that lasts 10 steps; skip less, or lengthen the track before 'from'")]
    public void Epoch_lengths_are_judged_for_every_steps_per_epoch_at_build_and_for_one_in_a_run(string text, int fits, int doesNot, string id, string message)
    {
        Assert.False(Analyze(text).HasErrors, "the build must accept what some steps per epoch lays out");
        var (laid, fine) = LayWithDiagnostics(text, fits);
        Assert.True(laid is not null, string.Join("\n", fine));
        var (refused, diagnostics) = LayWithDiagnostics(text, doesNot);
        Assert.Null(refused);
        Assert.Equal(message, Single(diagnostics, id).Message);
    }

    /// <summary>No steps per epoch makes it fit: an error at build time, said in the units written.</summary>
    [Theory]
    [InlineData("schedule A over 40it { lr = const(0.1, 2ep) + const(0.2, 41it) }", "SCHED007",
        "track 'lr' lasts 2 epochs + 41 steps, longer than the 40 steps available; shorten a segment or lengthen 'over'")]
    [InlineData("schedule A over 10ep { lr = repeat(every = 2it) { const(0.9, 3it) } }", "SCHED024",
        "the repeat body lasts 3 steps, longer than its cycle of 2 steps ('every'); shorten the body or lengthen 'every'")]
    [InlineData("schedule A over 10ep { lr = const(0.1, 1ep) from (1ep + 1it) + const(0.1) }", "SCHED034",
        "'from' skips 1 epochs + 1 steps of a track that lasts 1 epochs; skip less, or lengthen the track before 'from'")]
    public void A_length_no_steps_per_epoch_satisfies_is_a_build_error_in_the_units_written(string text, string id, string message)
    {
        Assert.Equal(message, Single(Analyze(text), id).Message);
    }

    /// <summary>Two rules that each fit some steps per epoch, but no one together: the second is the error.</summary>
    [Fact]
    public void Rules_that_no_steps_per_epoch_satisfies_together_are_an_error()
    {
        // const(.., 1ep) within 10it needs at most 10 steps per epoch; the repeat's body of 20it within 'every = 1ep' needs at least 20.
        var analysis = Analyze("schedule A over 100it { lr = const(0.1, 1ep) + repeat(1, every = 1ep) { const(0.2, 20it) } + const(0.3, rest); b = const(1, 1ep) + const(1, 90it) }");
        Assert.True(analysis.HasErrors, "no steps per epoch fits both: " + string.Join("\n", analysis.Diagnostics));
        // Each rule alone fits: at 20 steps per epoch the first does, at 10 the second.
        Assert.Single(analysis.Diagnostics, d => d.IsError);
    }
}

/// <summary>One pass reports every independent mistake: each schedule is checked, and each track whose own text is valid.</summary>
public class IndependentErrorTests
{
    [Fact]
    public void Three_schedules_with_one_error_each_report_all_three()
    {
        var analysis = Analyze("""
            schedule A over 10it {
                lr = const(0.1, 12it)
            }
            schedule B over 10it {
                lr = lin(0.1 -> -0.1, 10it)
            }
            schedule C over 10it {
                lr = cos(0.1 -> 0, 10it) + peek
            }
            """);
        var errors = analysis.Diagnostics.Where(d => d.IsError).ToList();
        Assert.Equal(new[] { ("SCHED007", 2), ("SCHED011", 5), ("SCHED002", 8) }, errors.Select(d => (d.Id, d.Start.Line)));
    }

    [Fact]
    public void A_track_with_an_error_does_not_hide_the_other_tracks_checks()
    {
        // The dropout track's unknown name used to stop the schedule's layout: the lr and momentum errors were never seen.
        var analysis = Analyze("""
            schedule A over 12ep {
                lr = lin(0.1 -> -0.1, 12ep)
                momentum = const(1.2)
                dropout = lin(0.1 -> drop, 12ep)
            }
            """);
        Assert.Equal(new[] { "SCHED011", "SCHED013", "SCHED002" }, analysis.Diagnostics.Where(d => d.IsError).Select(d => d.Id));
    }
}
