namespace Sched.Reference.Tests;

/// <summary>
/// The examples of issue #11, with values worked out by hand from docs/language.md §4–§7 (each comment shows the
/// working). Each is checked against the product (text → Parse → Create → Evaluate) and against the oracle (the same
/// schedule built as a model), so the hand-worked values also pin the oracle down.
/// </summary>
public class ReferenceExampleTests
{
    /// <summary>One example: its text, its model for the oracle, and (step, expected value) rows of its only track.</summary>
    public sealed record Example(string Text, ScheduleModel Model, (double Step, double Value)[] Rows)
    {
        public override string ToString() => Text; // the test's display name
    }

    static Seg Seg(SegKind kind, double a, double? b, double steps, double? power = null) =>
        new(kind, new Num(a), b is null ? null : new Num(b.Value), power is null ? null : new Num(power.Value), new DLit(steps, Unit.It));

    static ScheduleModel Model(string name, double over, Part lr) => new(name, [], new DLit(over, Unit.It), [new Track("lr", lr, null)]);

    static Val OneOverOnePlusStep => new Bin('/', new Num(1), new Bin('+', new Num(1), new Var("step")));

    public static IEnumerable<object[]> Examples()
    {
        // A. The track lasts 41.9 + 17.8 = 59.7 (that double sum is the double 59.7) steps. Row 60 is past the end, so it
        // holds the end value: poly at p = 1, 0.3 + (0.6 - 0.3) * (1 - 1)^0.5 = 0.3 + 0.3 * 0 = 0.3. Rows 61..70 the same.
        yield return [new Example(
            "schedule A over 70it { lr = const(0.4, 41.9it) + poly(0.6 -> 0.3, 17.8it, 0.5) }",
            Model("A", 70, new Seq([Seg(SegKind.Const, 0.4, null, 41.9), Seg(SegKind.Poly, 0.6, 0.3, 17.8, 0.5)])),
            [(41, 0.4), (60, 0.3), (61, 0.3), (70, 0.3)])];

        // A2. The track lasts 13 + 0.1 = 13.1 steps; row 14 holds the end value: poly at p = 1,
        // 0.8 + (0.1 - 0.8) * (1 - 1)^0.5 = 0.8 + (-0.7) * 0 = 0.8 exactly.
        yield return [new Example(
            "schedule A2 over 20it { lr = const(0.5, 13it) + poly(0.1 -> 0.8, 0.1it, 0.5) }",
            Model("A2", 20, new Seq([Seg(SegKind.Const, 0.5, null, 13), Seg(SegKind.Poly, 0.1, 0.8, 0.1, 0.5)])),
            [(13, 0.1), (14, 0.8), (20, 0.8)])];

        // B. Cycle k starts at k * 10; its body fn lasts 5 steps, so in [10k + 5, 10k + 10) the body's end value holds,
        // computed with x = the body's end (10k + 5): 1/(1 + 5) = 1/6 in cycle 0, 1/(1 + 15) = 1/16 in cycle 1. Before
        // it, fn reads step = x: rows 0..4 are 1/(1 + s). The last cycle is whole, so from 20 on the track holds the
        // body's end value in cycle 1: 1/16.
        var rowsB = new List<(double, double)>();
        for (int s = 0; s <= 4; s++) rowsB.Add((s, 1.0 / (1 + s)));
        for (int s = 5; s <= 9; s++) rowsB.Add((s, 1.0 / 6));
        for (int s = 10; s <= 14; s++) rowsB.Add((s, 1.0 / (1 + s)));
        for (int s = 15; s <= 20; s++) rowsB.Add((s, 1.0 / 16));
        yield return [new Example(
            "schedule B over 20it { lr = repeat(2, every = 10it) { fn(1/(1+step), 5it) } }",
            Model("B", 20, new Rep(new Num(2), null, new DLit(10, Unit.It), new Seg(SegKind.Fn, OneOverOnePlusStep, null, null, new DLit(5, Unit.It)))),
            rowsB.ToArray())];

        // B2. A %-only body with a count and no `every` fills the rest (20 steps here), shared equally by the 2 cycles:
        // L = 20 / 2 = 10. The body is 50 % of its cycle: 50 * 10 / 100 = 5 steps. So the layout is B's, and so are
        // the values: rows 5..9 hold 1/6, rows 15..20 hold 1/16.
        yield return [new Example(
            "schedule B2 over 20it { lr = repeat(2) { fn(1/(1+step), 50%) } }",
            Model("B2", 20, new Rep(new Num(2), null, null, new Seg(SegKind.Fn, OneOverOnePlusStep, null, null, new DLit(50, Unit.Pct)))),
            rowsB.ToArray())];

        // C. The repeat starts at 90; L = 1.4 + 0 = 1.4; 4 whole cycles: length c(3) + 1 * 1.4 = 3 * 1.4 + 1.4 = 5.6, so
        // the track ends at 95.6. From there it holds its end value: the repeat's last cycle is whole, so the body's end
        // value in cycle 3, which is the end value of its last part, const(0.39, 0it), a part of length 0 included: 0.39.
        yield return [new Example(
            "schedule C over 100it { lr = const(0.5, 90it) + repeat(4) { cos(0.04 -> 0.8, 1.4it) + const(0.39, 0it) } }",
            Model("C", 100, new Seq([
                Seg(SegKind.Const, 0.5, null, 90),
                new Rep(new Num(4), null, null, new Seq([Seg(SegKind.Cos, 0.04, 0.8, 1.4), Seg(SegKind.Const, 0.39, null, 0)]))])),
            [(96, 0.39), (97, 0.39), (100, 0.39)])];

        // D. Lengths: 4.2; the repeat's body 1.8 + 1 = 2.8, one whole cycle: 2.8; rest = 10 - (4.2 + 2.8 + 0) = 3. The
        // body is placed at 4.2; its const(0.1) at 4.2 + 1.8 * 1 = 6 (the double sum rounds to 6 exactly), so at row 6 it
        // has begun: 0.1. The last const starts at 4.2 + 2.8 = 7: row 7 is 0.2. Row 5 is in the lin, not checked here.
        yield return [new Example(
            "schedule D over 10it { lr = const(0.5, 4.2it) + repeat(1) { lin(0.9 -> 0.8, 1.8it) + const(0.1, 1it) } + const(0.2, rest) }",
            Model("D", 10, new Seq([
                Seg(SegKind.Const, 0.5, null, 4.2),
                new Rep(new Num(1), null, null, new Seq([Seg(SegKind.Lin, 0.9, 0.8, 1.8), Seg(SegKind.Const, 0.1, null, 1)])),
                new Seg(SegKind.Const, new Num(0.2), null, null, new DRest())])),
            [(4, 0.5), (6, 0.1), (7, 0.2), (10, 0.2)])];

        // Cycle starts are computed, not summed: with L = 9 and mult 10, c(k) = 9 * (10^k - 1) / 9, so cycles start at
        // 0, 9, 99, 999; the track lasts c(3) + 1 * 9 * 10^3 = 9999. At each start p = 0, and cos(1 -> 0) at p = 0 is
        // 0 + (1 - 0) * (1 + cos 0) / 2 = 1. From 9999 on it holds cos at p = 1: 0 + 1 * (1 + cos pi) / 2 = 0.
        yield return [new Example(
            "schedule M over 9999it { lr = repeat(4, mult = 10) { cos(1 -> 0, 9it) } }",
            Model("M", 9999, new Rep(new Num(4), new Num(10), null, Seg(SegKind.Cos, 1, 0, 9))),
            [(0, 1), (9, 1), (99, 1), (999, 1), (9999, 0)])];
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Product_gives_the_hand_worked_values(Example example)
    {
        var run = global::Sched.Schedule.Parse(example.Text).Create();
        var wrong = example.Rows
            .Select(r => (r.Step, r.Value, Actual: run.Evaluate(0, r.Step)))
            .Where(r => !Differential.Same(r.Actual, r.Value))
            .Select(r => $"row {r.Step}: expected {r.Value:R}, product {r.Actual:R}")
            .ToList();
        Assert.True(wrong.Count == 0, example.Text + "\n" + string.Join("\n", wrong));
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Oracle_gives_the_hand_worked_values(Example example)
    {
        // The model must print as the example's text (modulo spacing and parentheses), so both sides see one schedule.
        Assert.Equal(Squeeze(example.Text), Squeeze(Printer.Schedule(example.Model)));
        var oracle = new Oracle(new RunCase(example.Model, 1, []));
        foreach (var (step, value) in example.Rows)
        {
            double actual = oracle.Evaluate(0, step);
            Assert.True(Differential.Same(actual, value), $"{example.Text}\nrow {step}: expected {value:R}, oracle {actual:R}");
        }
    }

    // Compares texts without spaces, line breaks and parentheses (the printer parenthesizes every operation).
    static string Squeeze(string text) => new(text.Where(ch => !char.IsWhiteSpace(ch) && ch != '(' && ch != ')').ToArray());
}
