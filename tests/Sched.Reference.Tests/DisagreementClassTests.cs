namespace Sched.Reference.Tests;

/// <summary>
/// One minimal schedule per kind of disagreement the random differential test found (shrunk, then written here
/// with the value worked out by hand from docs/language.md §7), so each kind has a readable regression test.
/// </summary>
public class DisagreementClassTests
{
    public sealed record Row(string Kind, string Text, int StepsPerEpoch, string Track, double X, double Expected)
    {
        public override string ToString() => $"{Kind}: {Text} at {X:R}";
    }

    public static IEnumerable<object[]> Rows()
    {
        // A. End values are the formula at p = 1. The track ends at 16 + 1.8 = 17.8; at 18 it holds
        // poly(1 -> 0) at p = 1: 0 + (1 - 0) * (1 - 1)^1 = 0 (not a negative lr).
        yield return [new Row("A end value at p = 1", "schedule A1 over 30it { lr = const(1, 16it) + poly(1 -> 0, 1.8it) }", 1, "lr", 18, 0)];

        // A. Inside a cycle: 13 / 0.25 = 52 cycles; cycle 32 starts at 32 * 0.25 = 8; its body lasts 0.1 * 0.25 / 100 =
        // 0.00025 steps and ends at 8 + 0.00025 = 8.00025 (that double), from where its end value holds: poly at p = 1 = 0.6.
        yield return [new Row("A held value at p = 1", "schedule A2 over 13it { lr = repeat(every = 0.25it) { poly(1 -> 0.6, 0.1%) } }", 1, "lr", 8.00025, 0.6)];

        // B. A %-only body with a count fills the 150 steps: L = 150 / 2 = 75; the body lasts 0 * 75 / 100 = 0 steps, so from
        // the cycle's start on its end value holds, computed with x = the body's end = 0: 1 / (1 + 0) = 1 (rows 1..74).
        yield return [new Row("B end value read at the part's end", "schedule B1 over 150it { lr = repeat(2) { fn(1 / (1 + step), 0%) } }", 1, "lr", 1, 1)];

        // B. The body const(1, 2it) * epoch ends at 2 in cycle 0; from there its end value holds: 1 * m at p = 1 with
        // epoch = 2 / 1 = 2, so 2 at 2.5 (not epoch = 2.5).
        yield return [new Row("B m read at the part's end", "schedule B2 over 38it { lr = 0.5; b = repeat(every = 3it) { const(1, 2it) * epoch } }", 1, "b", 2.5, 2)];

        // C. Three whole cycles of 6.1: the track ends at 2 * 6.1 + 6.1 = 18.3 (18.299999999999997); from there it holds the
        // body's end value in cycle 2, the end value of its last part, const(0, 0it), a part of length 0 included: 0.
        yield return [new Row("C zero-length last part", "schedule C1 over 70it { lr = repeat(3) { const(1, 6.1it) + const(0, 0it) } }", 1, "lr", 19, 0)];

        // C. rest = 10 - 2 * 10 / 100 = 9.8; the track ends at 9.8 + 0.2 = 10, holding A's end value (by: not quantized),
        // the end value of its last part, const(0.8, 0it): 0.8.
        yield return [new Row("C zero-length last part under by", "schedule C2 over 10it { lr = const(1) + (const(1, 2%) + const(0.8, 0it)) by epoch }", 1, "lr", 10, 0.8)];

        // D. Cycle 1 starts at 1 * (0.4 * 1) = 0.4; its const(0.5) at 0.4 + 0.3 * 1 = 0.7 (the double sum is 0.7), so at 0.7
        // it has begun: 0.5 (not 0.7 - 0.4 = 0.29999999999999993 < 0.3).
        yield return [new Row("D parts placed at S + o(i)σ", "schedule D1 over 6it { lr = repeat(2) { const(1, 0.3it) + const(0.5, 0.1it) } }", 1, "lr", 0.7, 0.5)];

        // D. Cycle starts are computed: L = 4 / 3; cycle 2 starts at 12 + 2 * (4/3) = 14.666666666666666 (summing gives
        // 14.666666666666668), so at 14.666666666666666 the lin is at p = 0: 1.
        yield return [new Row("D cycles at S + c(k)", "schedule D2 over 35it { lr = const(1, 12it) + repeat { lin(1 -> 0.8, 4it/3) } }", 1, "lr", 14.666666666666666, 1)];

        // D. rest = 30 - (0 - 1) = 31; the repeat is placed at 0 - 1 * 1 = -1, cycle k at -1 + k; cycle 2 starts at 1, so at
        // 0.9999999999999999 cycle 1 (from 0) is at p = 0.9999999999999999: 1 + (3 - 1) * p, which rounds to 3.
        yield return [new Row("D from placed at S - dσ", "schedule D3 over 30it { lr = 0.5; b = repeat { lin(1 -> 3, 1it) } from 1it }", 1, "b", 0.9999999999999999, 3)];

        // D. A sum inside a sum is one part: o(2) = 0.03 + (2 * 0.1 + 5 * 2 / 100) = 0.03 + 0.30000000000000004 =
        // 0.33000000000000007 > 0.33, so at 0.33 the inner sum still gives the value: its const(1) (from 0.03 + 0.2).
        yield return [new Row("D nested sum is one part", "schedule D4 over 2it { lr = const(1, 1.5%) + (const(1, 2*0.1it) + const(1, 5%)) + const(0.5) }", 1, "lr", 0.33, 1)];
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Product_gives_the_reference_value(Row row)
    {
        var run = global::Sched.Schedule.Parse(row.Text).Create(row.StepsPerEpoch);
        double actual = run.Evaluate(run.IndexOf(row.Track), row.X);
        Assert.True(Differential.Same(actual, row.Expected), $"{row.Text}\n{row.Track} at {row.X:R}: expected {row.Expected:R}, product {actual:R}");
    }

    // E. Rejections of valid schedules. `const(0.5, 1ep) from 1.5it` within 20 steps lays out for 2 to 21 steps per
    // epoch, so by §9 it is no error ("an error only if no steps per epoch lays the schedule out"); with 3 it is 0.5.
    // The second has finite values everywhere (p is capped at 1, §7): at 2 it holds poly's end 2 times m at p = 1, 2 - 1.
    [Theory]
    [InlineData("schedule E1 over 20it { lr = const(0.5, 1ep) from 1.5it }", 3, 0.0, 0.5)]
    [InlineData("schedule E2 over 10it { lr = const(0.5, 1.56it) + poly(0.04 -> 2, 0.04it, 0.3) * (2 - p) }", 1, 2.0, 2.0)]
    public void Product_accepts_a_valid_schedule(string text, int stepsPerEpoch, double x, double expected)
    {
        var analysis = global::Sched.Schedule.Analyze(text);
        Assert.False(analysis.HasErrors, text + "\n" + string.Join("\n", analysis.Diagnostics));
        var run = global::Sched.Schedule.Parse(text).Create(stepsPerEpoch);
        Assert.True(Differential.Same(run.Evaluate(0, x), expected), $"{text}\nlr at {x}: expected {expected}, product {run.Evaluate(0, x):R}");
    }
}
