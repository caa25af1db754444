using Sched.Model;

namespace Sched.Tests;

/// <summary>
/// The position kernel that interpreted and generated schedules share (docs/language.md §7), at the places where
/// rounding decides: cycle boundaries with mult 3, 10 and 1.5, progress at a segment's end, quantization.
/// </summary>
public class TimelineTests
{
    /// <summary>Cycle k starts at L·(m^k − 1)/(m − 1), computed once, not summed: these are the doubles a boundary is.</summary>
    [Theory]
    [InlineData(10.0, 9.0, 3, 999.0)]        // 9·(10³ − 1)/9 = 999 exactly
    [InlineData(3.0, 10.0, 4, 400.0)]        // 10·(3⁴ − 1)/2 = 400
    [InlineData(1.5, 8.0, 3, 38.0)]          // 8·(1.5³ − 1)/0.5 = 8·2.375/0.5 = 38
    [InlineData(1.0, 2.8, 7, 19.599999999999998)] // 7·2.8 rounds below 19.6
    public void CycleOffset_is_the_closed_form(double mult, double cycle, int k, double expected)
    {
        Assert.Equal(expected, Timeline.CycleOffset(k, cycle, mult));
    }

    /// <summary>A position exactly at a cycle's start belongs to that cycle; the double just below, to the one before.</summary>
    [Theory]
    [InlineData(10.0, 9.0, 3)]
    [InlineData(3.0, 10.0, 4)]
    [InlineData(3.0, 9.0, 5)]
    [InlineData(1.5, 8.0, 3)]
    [InlineData(1.5, 0.1, 7)]
    [InlineData(1.0, 2.8, 7)]
    [InlineData(1.0, 0.1, 3)]
    public void CycleAt_settles_on_the_computed_boundary(double mult, double cycle, int k)
    {
        double start = 4.2;
        double boundary = start + Timeline.CycleOffset(k, cycle, mult);
        Assert.Equal(k, Timeline.CycleAt(boundary, start, cycle, mult, lastCycle: 100));
        Assert.Equal(k - 1, Timeline.CycleAt(Math.BitDecrement(boundary), start, cycle, mult, lastCycle: 100));
        Assert.Equal(k, Timeline.CycleAt(Math.BitIncrement(boundary), start, cycle, mult, lastCycle: 100));
        // From the left, the boundary is the end of the cycle before.
        Assert.Equal(k - 1, Timeline.CycleBefore(boundary, start, cycle, mult, lastCycle: 100));
        Assert.Equal(k, Timeline.CycleBefore(Math.BitIncrement(boundary), start, cycle, mult, lastCycle: 100));
    }

    [Fact]
    public void CycleAt_stops_at_the_last_cycle_and_at_0()
    {
        Assert.Equal(3, Timeline.CycleAt(1e9, 0, 10, 2, lastCycle: 3));
        Assert.Equal(0, Timeline.CycleAt(-5, 0, 10, 2, lastCycle: 3));
        // Shrinking cycles (mult < 1) end before 10/(1 − 0.5) = 20: past that the logarithm is NaN, and the last cycle answers.
        Assert.Equal(6, Timeline.CycleAt(25, 0, 10, 0.5, lastCycle: 6));
    }

    /// <summary>Cycles so short that the logarithm's estimate is far off still land on the right cycle (a search, not a walk).</summary>
    [Fact]
    public void CycleAt_with_a_million_cycles_finds_each_boundary()
    {
        for (int k = 1; k < 1_000_000; k += 99_991)
        {
            double boundary = Timeline.CycleOffset(k, 0.1, 1.0000001);
            Assert.Equal(k, Timeline.CycleAt(boundary, 0, 0.1, 1.0000001, lastCycle: 1_000_000));
            Assert.Equal(k - 1, Timeline.CycleAt(Math.BitDecrement(boundary), 0, 0.1, 1.0000001, lastCycle: 1_000_000));
        }
    }

    [Fact]
    public void CycleScale_multiplies_every_length_in_cycle_k_by_mult_to_the_k()
    {
        Assert.Equal(2 * 27.0, Timeline.CycleScale(3, 2, 3));
        Assert.Equal(0.5, Timeline.CycleScale(9, 0.5, 1));
    }

    /// <summary>p = (x − start)/length, capped at 1: one ulp past the end must not give 1.0000000000000002 (NaN for a fractional power).</summary>
    [Fact]
    public void Progress_is_capped_at_1_and_is_1_for_a_zero_length()
    {
        // (60.1 - 42.3)/17.8 computes to 1.0000000000000002.
        Assert.True((60.1 - 42.3) / 17.8 > 1);
        Assert.Equal(1.0, Timeline.Progress(60.1, 42.3, 17.8));
        Assert.Equal(0.5, Timeline.Progress(5, 0, 10));
        Assert.Equal(1.0, Timeline.Progress(3, 3, 0));
        Assert.False(double.IsNaN(Shapes.Poly(0.6, 0.3, Timeline.Progress(60.1, 42.3, 17.8), 0.5)));
    }

    [Fact]
    public void Quantize_rounds_down_to_the_block_and_never_before_the_start()
    {
        Assert.Equal(20.0, Timeline.Quantize(27.5, 10, 0));
        Assert.Equal(15.0, Timeline.Quantize(17, 10, 15));
        Assert.Equal(30.0, Timeline.Quantize(30, 10, 0));
    }

    [Fact]
    public void PartAt_and_PartBefore_split_a_boundary_between_the_part_that_begins_and_the_part_that_ends()
    {
        var offsets = new[] { 0.0, 1.8, 2.8, 2.8 };
        // Placed at 4.2: 4.2 + 1.8 computes to 6 exactly; x = 6 begins part 1, and from the left ends part 0.
        Assert.Equal(1, Timeline.PartAt(offsets, 4.2, 1, 6));
        Assert.Equal(0, Timeline.PartBefore(offsets, 4.2, 1, 6));
        // Two parts start at 4.2 + 2.8 (the first of length 0): a position there is in the last of them.
        Assert.Equal(3, Timeline.PartAt(offsets, 4.2, 1, 4.2 + 2.8));
        Assert.Equal(0, Timeline.PartAt(offsets, 4.2, 1, 0));
    }

    [Fact]
    public void Bisect_counts_the_items_at_most_x()
    {
        Assert.Equal(0.0, Timeline.Bisect(new[] { 30.0, 60.0, 80.0 }, 29.999));
        Assert.Equal(1.0, Timeline.Bisect(new[] { 30.0, 60.0, 80.0 }, 30));
        Assert.Equal(3.0, Timeline.Bisect(new[] { 30.0, 60.0, 80.0 }, 1e9));
        Assert.Equal(0.0, Timeline.Bisect(Array.Empty<double>(), 5));
    }
}

/// <summary>The shapes added as rows of the table alone: each against its formula written out here.</summary>
public class ShapeTableTests
{
    [Fact]
    public void Sqrt_decays_as_warmup_stable_decays_1_minus_sqrt()
    {
        var schedule = Schedule.Parse("schedule W over 100it { lr = const(0.1, 60it) + sqrt(0.1 -> 0.001, rest) }").Create();
        for (int s = 60; s <= 100; s++)
        {
            double p = (s - 60) / 40.0;
            // Hugging Face's _get_wsd_scheduler_lambda, decay_type '1-sqrt': min + (1 - min) * (1 - sqrt(p)) of the peak, here in values.
            double expected = 0.1 + (0.001 - 0.1) * Math.Sqrt(p);
            Assert.Equal(expected, schedule.Evaluate(0, s), 15);
        }
        // 'sqrt' with a plain value stays the math function.
        Assert.Equal(0.5, Schedule.Parse("schedule F over 1it { lr = sqrt(0.25) }").Create().Evaluate(0, 0));
    }

    [Fact]
    public void KCos_is_timms_cosine_with_k_decay()
    {
        var schedule = Schedule.Parse("schedule K over 50it { lr = kcos(0.1 -> 0.001, 50it, 0.5) }").Create();
        for (int s = 0; s <= 50; s++)
        {
            // timm/scheduler/cosine_lr.py: lr_min + 0.5 * (lr_max - lr_min) * (1 + cos(pi * t^k / t_i^k)).
            double expected = 0.001 + 0.5 * (0.1 - 0.001) * (1 + Math.Cos(Math.PI * Math.Pow(s, 0.5) / Math.Pow(50, 0.5)));
            Assert.Equal(expected, schedule.Evaluate(0, s), 14);
        }
        Assert.Equal("k", Sched.Model.Shape.KCos.Extra);
    }

    [Fact]
    public void A_new_shape_is_checked_like_the_others()
    {
        // Monotone rows are judged at their ends: an lr going below 0 is found exactly there.
        var analysis = Schedule.Analyze("schedule N over 10it { lr = kcos(0.1 -> -0.01, 10it, 2) }");
        Assert.Contains(analysis.Diagnostics, d => d.Id == "SCHED011" && d.Message.Contains("-0.01 at step 10"));
    }
}
