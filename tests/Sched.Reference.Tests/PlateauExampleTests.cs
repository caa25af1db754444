namespace Sched.Reference.Tests;

/// <summary>
/// Plateau phases with their values worked out by hand from docs/language.md §6 (each comment shows the working: best,
/// bad reports, cooldown after each report), checked against the product and against the oracle, so that the rules the
/// oracle replays are pinned down by hand too.
/// </summary>
public class PlateauExampleTests
{
    public sealed record Example(string Text, ScheduleModel Model, int StepsPerEpoch, Report[] Reports, (double Step, double Value)[] Rows)
    {
        public override string ToString() => Text;
    }

    static Report[] Reports(string metric, params (double Position, double Value)[] reports) =>
        reports.Select(r => new Report(metric, r.Value, r.Position)).ToArray();

    static ScheduleModel Model(string name, Dur over, Part lr) => new(name, [], over, [new Track("lr", lr, null)]);

    static Seg Const(double v, Dur? d) => new(SegKind.Const, new Num(v), null, null, d);

    public static IEnumerable<object[]> Examples()
    {
        // T (torch). The phase spans [2, 10). Reports of 1.0 at 2..7: at 2 better than +inf (best 1); at 3 not below
        // 1 × (1 − 1e-4): bad 1; at 4 bad 2 > patience 1: 0.1 × 0.5 = 0.05 from 4, cooldown 1, bad 0; at 5 bad 1, then
        // in cooldown: cooldown 0, bad 0; at 6 bad 1; at 7 bad 2: 0.025 from 7, cooldown 1; 0.5 at 8 is better.
        yield return [new Example(
            "schedule T over 10it { lr = const(0.2, 2it) + plateau(0.1, rest, on = val_loss, factor = 0.5, patience = 1, cooldown = 1) }",
            Model("T", new DLit(10, Unit.It), new Seq([Const(0.2, new DLit(2, Unit.It)),
                new Plat(new Num(0.1), new DRest(), "val_loss", Factor: new Num(0.5), Patience: new Num(1), Cooldown: new Num(1))])),
            1, Reports("val_loss", (2, 1.0), (3, 1.0), (4, 1.0), (5, 1.0), (6, 1.0), (7, 1.0), (8, 0.5)),
            [(1, 0.2), (2, 0.1), (3, 0.1), (4, 0.05), (6, 0.05), (7, 0.025), (9, 0.025), (10, 0.025), (12, 0.025)])];

        // K (keras, mode max). Accuracy 0.5 at 1..7: at 1 better than −∞; at 2 not above 0.5 + 1e-4, out of cooldown: bad 1 =
        // patience, 0.1 > min_lr: max(0.01, 0.004) = 0.01 from 2, cooldown 2; at 3 cooldown 1 (bad cleared, not counted); at 4
        // cooldown 0, bad 1: max(0.001, 0.004) = 0.004 from 4, cooldown 2; at 5 cooldown 1; at 6 cooldown 0, bad 1, but
        // 0.004 is not above min_lr: no reduction, cooldown 2; at 7 cooldown 1.
        yield return [new Example(
            "schedule K over 8it { lr = plateau(0.1, on = acc, mode = max, patience = 1, cooldown = 2, min_lr = 0.004, rule = keras) }",
            Model("K", new DLit(8, Unit.It), new Plat(new Num(0.1), null, "acc", Mode: "max", Patience: new Num(1), Cooldown: new Num(2),
                MinLr: new Num(0.004), Rule: "keras")),
            1, Reports("acc", (1, 0.5), (2, 0.5), (3, 0.5), (4, 0.5), (5, 0.5), (6, 0.5), (7, 0.5)),
            [(0, 0.1), (1, 0.1), (2, 0.01), (3, 0.01), (4, 0.004), (7, 0.004), (8, 0.004)])];

        // F (fastai). threshold 0.05: at 1, 0.14 + 0.05 < +∞: best 0.14; at 2, 0.09 + 0.05 is 0.14 (as a double too), not
        // below it: bad 1 = patience: 0.05 from 2; at 3, 0.04 + 0.05 = 0.09 < 0.14: best 0.04; at 4, 0 + 0.05 is not below
        // 0.04: 0.025 from 4; at 5 again: 0.0125 from 5.
        yield return [new Example(
            "schedule F over 6it { lr = plateau(0.1, on = loss, factor = 0.5, patience = 1, threshold = 0.05, rule = fastai) }",
            Model("F", new DLit(6, Unit.It), new Plat(new Num(0.1), null, "loss", Factor: new Num(0.5), Patience: new Num(1),
                Threshold: new Num(0.05), Rule: "fastai")),
            1, Reports("loss", (1, 0.14), (2, 0.09), (3, 0.04), (4, 0.0), (5, 0.0)),
            [(0, 0.1), (1, 0.1), (2, 0.05), (3, 0.05), (4, 0.025), (5, 0.0125), (6, 0.0125)])];

        // B (by epoch, 2 steps an epoch). The phase spans [0, 6). At 1, 1.0 is better; at 3, 2.0 is bad 1 > patience 0:
        // 0.1 × 0.1 from 3. Under `by epoch` the phase reads x quantized to 0, 2, 4: the reduction shows from 4 (3 reads 2).
        // From 6 the const.
        yield return [new Example(
            "schedule B over 4ep { lr = plateau(0.1, 3ep, on = m, patience = 0) by epoch + const(0.5) }",
            Model("B", new DLit(4, Unit.Ep), new Seq([new By(new Plat(new Num(0.1), new DLit(3, Unit.Ep), "m", Patience: new Num(0)), null),
                Const(0.5, null)])),
            2, Reports("m", (1, 1.0), (3, 2.0)),
            [(0, 0.1), (2, 0.1), (3, 0.1), (4, 0.1 * 0.1), (5, 0.1 * 0.1), (6, 0.5), (8, 0.5)])];

        // N (NaN and infinities, patience 0). At 1, +∞ is not below +∞ × (1 − 1e-4) = +∞: bad, 0.1 × 0.1 from 1; at 2 NaN is
        // never better: × 0.1 again from 2; at 3, 1.0 is better; at 4, −∞ is better; at 5, 0.5 is not below −∞: × 0.1 from 5.
        yield return [new Example(
            "schedule N over 7it { lr = plateau(0.1, on = v, patience = 0) }",
            Model("N", new DLit(7, Unit.It), new Plat(new Num(0.1), null, "v", Patience: new Num(0))),
            1, Reports("v", (1, double.PositiveInfinity), (2, double.NaN), (3, 1.0), (4, double.NegativeInfinity), (5, 0.5)),
            [(0, 0.1), (1, 0.1 * 0.1), (2, 0.1 * 0.1 * 0.1), (4, 0.1 * 0.1 * 0.1), (5, 0.1 * 0.1 * 0.1 * 0.1), (7, 0.1 * 0.1 * 0.1 * 0.1)])];
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Product_gives_the_hand_worked_values(Example example)
    {
        var run = global::Sched.Schedule.Parse(example.Text).Create(example.StepsPerEpoch);
        foreach (var r in example.Reports) run.Report(r.Metric, r.Value, r.Position);
        foreach (var (step, value) in example.Rows)
            Assert.True(Differential.Same(run.Evaluate(0, step), value), $"{example.Text}\nrow {step}: expected {value:R}, product {run.Evaluate(0, step):R}");
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Oracle_gives_the_hand_worked_values(Example example)
    {
        Assert.Equal(Squeeze(example.Text), Squeeze(Printer.Schedule(example.Model)));
        var oracle = new Oracle(new RunCase(example.Model, example.StepsPerEpoch, []) { Reports = example.Reports });
        foreach (var (step, value) in example.Rows)
            Assert.True(Differential.Same(oracle.Evaluate(0, step), value), $"{example.Text}\nrow {step}: expected {value:R}, oracle {oracle.Evaluate(0, step):R}");
    }

    static string Squeeze(string text) => new(text.Where(ch => !char.IsWhiteSpace(ch) && ch != '(' && ch != ')').ToArray());
}
