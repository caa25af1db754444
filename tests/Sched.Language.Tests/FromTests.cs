using Sched.Diagnostics;
using static Sched.Language.Tests.TestSupport;

namespace Sched.Language.Tests;

/// <summary><c>A from d</c>: a track started part-way, as timm's warm-up overwrites the first steps of its cosine cycles.</summary>
public sealed class FromTests
{
    [Fact]
    public void A_segment_from_an_offset_starts_there_and_lasts_the_remainder()
    {
        var laid = Lay("schedule A over 10it { lr = lin(1 -> 2, 4it) + lin(0 -> 1, 10it) from 4it }");
        Assert.Equal(1.75, Value(laid, "lr", 3), 15);
        Assert.Equal(0.4, Value(laid, "lr", 4), 15);
        Assert.Equal(0.9, Value(laid, "lr", 9), 15);
        Assert.Equal(1, Value(laid, "lr", 10), 15);
        Assert.Equal(1, Value(laid, "lr", 50), 15);
    }

    [Fact]
    public void A_repeat_that_fills_the_rest_fills_it_after_what_it_skips()
    {
        var laid = Lay("schedule A over 10it { lr = lin(1 -> 2, 4it) + repeat { lin(0.5 -> 0.1, 4it) } from 6it }");
        // Step 4 is the repeat's position 6: cycle 1, 2 steps in.
        Assert.Equal(0.3, Value(laid, "lr", 4), 12);
        Assert.Equal(0.5, Value(laid, "lr", 6), 12);
        Assert.Equal(0.1, Value(laid, "lr", 10), 12);
        Assert.Equal(10, laid.Tracks[0].Root.Length.Steps, 12);
    }

    [Fact]
    public void Inside_a_repeat_the_offset_grows_with_the_cycle_like_every_length()
    {
        var laid = Lay("schedule A over 15it { lr = repeat(2, mult = 2) { lin(0 -> 1, 10it) from 5it } }");
        Assert.Equal(0.5, Value(laid, "lr", 0), 15);
        Assert.Equal(0.9, Value(laid, "lr", 4), 15);
        Assert.Equal(0.5, Value(laid, "lr", 5), 15);
        Assert.Equal(0.75, Value(laid, "lr", 10), 15);
        Assert.Equal(1, Value(laid, "lr", 15), 15);
    }

    [Fact]
    public void A_percentage_offset_is_a_share_of_the_total()
    {
        var laid = Lay("schedule A over 100it { lr = (cos(1 -> 0.5, 100%) from 50%) + const(0.5) }");
        Assert.Equal(0.75, Value(laid, "lr", 0), 12);
        Assert.Equal(0.5, Value(laid, "lr", 60), 12);
    }

    [Fact]
    public void Values_in_the_skipped_part_are_not_judged()
    {
        // lr is negative only in the first 5 steps of the segment, which 'from 6it' skips.
        AssertClean("schedule A over 4it { lr = lin(-1 -> 1, 10it) from 6it }");
    }

    [Fact]
    public void A_value_out_of_range_where_the_skipped_track_starts_is_reported()
    {
        var d = Single(Analyze("schedule A over 6it { lr = lin(-1 -> 1, 10it) from 4it }"), "SCHED011");
        Assert.Equal(new Text.LinePosition(1, 28), d.Start);
        Assert.Contains("-0.2", d.Message);
    }

    [Fact]
    public void The_cycles_after_a_skipped_start_are_judged()
    {
        // Cycle 0's negative start is skipped, cycle 1's is not (found by the fuzz tests: alike cycles were judged by cycle 0 alone).
        var d = Single(Analyze("schedule A over 9it { lr = repeat(3) { lin(-1 -> 1, 4it) } from 3it }"), "SCHED011");
        Assert.Contains("-1", d.Message);
        AssertClean("schedule A over 1it { lr = repeat(3) { lin(-1 -> 1, 4it) } from 11it }");
    }

    [Fact]
    public void Skipping_a_billion_cycles_judges_only_the_cut_cycle_and_the_next()
    {
        // Cycles before the cut are skipped entirely; walking them one by one would take a billion steps.
        AssertClean("schedule A over 5it { lr = repeat { lin(0.1 -> 0.2, 1it) } from 1e9it }");
        Assert.Contains(Analyze("schedule A over 5it { lr = repeat { lin(-0.1 -> 0.2, 1it) } from 1e9it }").Diagnostics, d => d.Id == "SCHED011");
    }

    [Fact]
    public void SCHED034_Skipping_more_than_the_track_lasts_is_an_error_at_the_offset()
    {
        AssertDiagnostic("schedule A over 10it { lr = lin(1 -> 2, 4it) from 6it + const(1) }", "SCHED034", DiagnosticSeverity.Error, 1, 51,
            "'from' skips 6 steps of a track that lasts 4 steps; skip less, or lengthen the track before 'from'");
    }

    [Fact]
    public void From_needs_a_track_before_and_a_duration_after()
    {
        AssertDiagnostic("schedule A over 10it { lr = const(1, 20it) from 3 }", "SCHED004", DiagnosticSeverity.Error, 1, 49,
            "a duration needs a unit: ep, it or %; write '3ep', '3it' or '3%'");
        AssertDiagnostic("schedule A over 10it { lr = const(1, 20it) from rest }", "SCHED020", DiagnosticSeverity.Error, 1, 49,
            "'rest' stands alone as a duration: it cannot be added to, scaled or negated; write the other durations explicitly");
        AssertDiagnostic("schedule A over 10it { lr = 0.1 from 3it }", "SCHED020", DiagnosticSeverity.Error, 1, 29,
            "'from' starts a track part-way: write it after a segment or a repeat, e.g. 'cos(0.1 -> 0, 50ep) from 5ep'");
        var negative = Single(Analyze("schedule A over 10it { lr = const(1, 20it) from (0it - 3it) }"), "SCHED018");
        Assert.Equal(new Text.LinePosition(1, 50), negative.Start);
    }

    [Fact]
    public void From_is_a_keyword()
    {
        AssertDiagnostic("schedule A(from = 1) over 10it { lr = 0.1 }", "SCHED017", DiagnosticSeverity.Error, 1, 12,
            "'from' is reserved (a keyword); choose another name, e.g. 'from_'");
    }
}
