using System.Globalization;

namespace Sched.Tests;

/// <summary>
/// The plateau presets (torch_plateau, keras_plateau, fastai_plateau, timm_plateau) against their anchors written out in
/// PlateauAnchors.cs, on scripted metrics: one report per epoch end, at the position of the steps taken, as the anchors
/// step once per epoch. The lr of every step of every epoch is compared with the lr the anchor gives that epoch.
/// </summary>
public class PlateauPresetTests
{
    private const int StepsPerEpoch = 3;

    // ---- metric scripts, one value per epoch ----

    private const double Nan = double.NaN, Inf = double.PositiveInfinity;

    /// <summary>A loss that falls by 10 % an epoch: always better, never a reduction.</summary>
    private static readonly double[] Improving = Enumerable.Range(0, 24).Select(e => 2.0 * Math.Pow(0.9, e)).ToArray();

    /// <summary>A loss that never moves: a reduction every time patience runs out.</summary>
    private static readonly double[] Flat = Enumerable.Repeat(0.7, 24).ToArray();

    private static readonly double[] Noisy =
        [1.00, 0.91, 0.93, 0.85, 0.86, 0.87, 0.84, 0.84, 0.85, 0.83, 0.835, 0.84, 0.80, 0.81, 0.80, 0.80, 0.81, 0.79, 0.795, 0.79, 0.80, 0.80, 0.78, 0.785];

    /// <summary>NaN losses among finite ones: a NaN is never better.</summary>
    private static readonly double[] NaNs =
        [1.0, 0.9, Nan, Nan, 0.85, Nan, 0.86, 0.8, Nan, Nan, Nan, 0.7, 0.7, Nan, 0.69, 0.69, 0.68, Nan, Nan, 0.5, Nan, Nan, Nan, Nan];

    /// <summary>+inf first (not better than the initial best, +inf), then finite, then -inf (better than all, beaten by nothing).</summary>
    private static readonly double[] Infinite =
        [Inf, Inf, 1.0, Inf, 0.9, Inf, Inf, 0.95, 0.8, -Inf, 0.5, 0.4, 0.3, Inf, 0.2, 0.1, 0.05, 0.01, 0.001, 0.0001, 1e-5, 1e-6, 1e-7, 1e-8];

    /// <summary>Around 100, falling by 0.00005, 0.005, 0.02 in turn: rel 1e-4 (0.01 here) and abs 1e-4 disagree on which are better.</summary>
    private static readonly double[] Slow = SlowScript();

    /// <summary>A negative loss (a log-likelihood's negative): the relative threshold scales a negative best.</summary>
    private static readonly double[] Negative =
        [-1.0, -1.2, -1.25, -1.25, -1.3, -1.3, -1.3, -1.31, -1.31, -1.3101, -1.4, -1.4, -1.4, -1.4, -1.41, -1.5, -1.5, -1.5, -1.49, -1.6, -1.6, -1.6, -1.6, -1.6];

    /// <summary>With min_delta 0.05: 0.09 + 0.05 &lt; 0.14 is false, 0.09 &lt; 0.14 - 0.05 is true in doubles; fastai and Keras write one each.</summary>
    private static readonly double[] Rounding = [0.14, 0.09, 0.09, 0.04, 0.09, 0.04, 0.04, 0.02];

    private static readonly double[] Rising = Enumerable.Range(0, 24).Select(e => 0.1 + 0.03 * e).ToArray();

    private static readonly double[] AccFlat = Enumerable.Repeat(0.6, 24).ToArray();

    private static readonly double[] AccNoisy =
        [0.50, 0.55, 0.54, 0.60, 0.59, 0.60, 0.61, 0.61, 0.605, 0.62, 0.615, 0.62, 0.63, 0.625, 0.63, 0.63, 0.64, 0.635, 0.64, 0.64, 0.638, 0.641, 0.64, 0.642];

    private static readonly double[] AccNaNs =
        [0.5, Nan, 0.6, Nan, Nan, 0.55, 0.7, Nan, Nan, Nan, 0.71, 0.72, Nan, 0.72, 0.72, 0.73, Nan, Nan, Nan, Nan, 0.74, 0.75, Nan, 0.76];

    /// <summary>+inf becomes the best accuracy; nothing after it is better.</summary>
    private static readonly double[] AccInfinite =
        [0.5, 0.6, -Inf, 0.7, Inf, 0.8, 0.9, 0.95, 0.99, 0.995, 0.999, 1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05, 0.02, 0.01];

    private static double[] SlowScript()
    {
        double[] drops = [0.00005, 0.005, 0.02];
        var values = new double[24];
        values[0] = 100;
        for (int e = 1; e < values.Length; e++) values[e] = values[e - 1] - drops[(e - 1) % 3];
        return values;
    }

    /// <summary>One preset call and its anchor on one script; <paramref name="Reduces"/>: the anchor must reduce at least once.</summary>
    internal sealed record Case(string Call, string Metric, double[] Script, Func<IPlateauAnchor> Anchor, bool Reduces = true);

    // ---- PyTorch: torch/optim/lr_scheduler.py ReduceLROnPlateau ----

    private static readonly Dictionary<string, Case> TorchCases = new()
    {
        ["improving"] = new("torch_plateau(0.1, val_loss, patience = 2)", "val_loss", Improving, () => new TorchReduceLROnPlateau(0.1, patience: 2), Reduces: false),
        ["flat"] = new("torch_plateau(0.1, val_loss, patience = 2)", "val_loss", Flat, () => new TorchReduceLROnPlateau(0.1, patience: 2)),
        ["noisy"] = new("torch_plateau(0.1, val_loss, patience = 2)", "val_loss", Noisy, () => new TorchReduceLROnPlateau(0.1, patience: 2)),
        ["nan"] = new("torch_plateau(0.1, val_loss, patience = 2)", "val_loss", NaNs, () => new TorchReduceLROnPlateau(0.1, patience: 2)),
        ["inf"] = new("torch_plateau(0.1, val_loss, patience = 2)", "val_loss", Infinite, () => new TorchReduceLROnPlateau(0.1, patience: 2)),
        ["defaults, flat"] = new("torch_plateau(0.1, val_loss)", "val_loss", Flat, () => new TorchReduceLROnPlateau(0.1)),
        ["cooldown, flat"] = new("torch_plateau(0.1, val_loss, factor = 0.5, patience = 1, cooldown = 2)", "val_loss", Flat,
            () => new TorchReduceLROnPlateau(0.1, factor: 0.5, patience: 1, cooldown: 2)),
        ["cooldown, noisy"] = new("torch_plateau(0.1, val_loss, factor = 0.5, patience = 0, cooldown = 3)", "val_loss", Noisy,
            () => new TorchReduceLROnPlateau(0.1, factor: 0.5, patience: 0, cooldown: 3)),
        ["min_lr clamps, flat"] = new("torch_plateau(0.1, val_loss, factor = 0.5, patience = 0, min_lr = 0.02)", "val_loss", Flat,
            () => new TorchReduceLROnPlateau(0.1, factor: 0.5, patience: 0, minLr: 0.02)),
        ["eps stops, flat"] = new("torch_plateau(1e-7, val_loss, factor = 0.5, patience = 0)", "val_loss", Flat,
            () => new TorchReduceLROnPlateau(1e-7, factor: 0.5, patience: 0)),
        ["eps, min_lr and cooldown, nan"] = new("torch_plateau(3e-6, val_loss, factor = 0.3, patience = 0, cooldown = 1, min_lr = 1e-8, eps = 1e-7)", "val_loss", NaNs,
            () => new TorchReduceLROnPlateau(3e-6, factor: 0.3, patience: 0, cooldown: 1, minLr: 1e-8, eps: 1e-7)),
        ["rel, slow"] = new("torch_plateau(0.1, val_loss, patience = 1)", "val_loss", Slow, () => new TorchReduceLROnPlateau(0.1, patience: 1)),
        ["abs, slow"] = new("torch_plateau(0.1, val_loss, patience = 0, threshold_mode = abs)", "val_loss", Slow,
            () => new TorchReduceLROnPlateau(0.1, patience: 0, thresholdMode: "abs")),
        // With a negative best, best * (1 - threshold) lies above the best: an equal loss counts as better, so no reduction.
        ["rel, negative"] = new("torch_plateau(0.1, val_loss, patience = 1, threshold = 0.01)", "val_loss", Negative,
            () => new TorchReduceLROnPlateau(0.1, patience: 1, threshold: 0.01), Reduces: false),
        ["abs, negative"] = new("torch_plateau(0.1, val_loss, patience = 1, threshold = 0.01, threshold_mode = abs)", "val_loss", Negative,
            () => new TorchReduceLROnPlateau(0.1, patience: 1, threshold: 0.01, thresholdMode: "abs")),
        ["max rel, rising"] = new("torch_plateau(0.1, accuracy, mode = max, patience = 1)", "accuracy", Rising,
            () => new TorchReduceLROnPlateau(0.1, mode: "max", patience: 1), Reduces: false),
        ["max rel, noisy"] = new("torch_plateau(0.1, accuracy, mode = max, patience = 1)", "accuracy", AccNoisy,
            () => new TorchReduceLROnPlateau(0.1, mode: "max", patience: 1)),
        ["max rel, nan"] = new("torch_plateau(0.1, accuracy, mode = max, patience = 1)", "accuracy", AccNaNs,
            () => new TorchReduceLROnPlateau(0.1, mode: "max", patience: 1)),
        ["max rel, inf"] = new("torch_plateau(0.1, accuracy, mode = max, patience = 1)", "accuracy", AccInfinite,
            () => new TorchReduceLROnPlateau(0.1, mode: "max", patience: 1)),
        ["max abs, noisy"] = new("torch_plateau(0.1, accuracy, mode = max, threshold = 0.01, threshold_mode = abs, patience = 1)", "accuracy", AccNoisy,
            () => new TorchReduceLROnPlateau(0.1, mode: "max", threshold: 0.01, thresholdMode: "abs", patience: 1)),
    };

    public static TheoryData<string> TorchNames => new(TorchCases.Keys);

    [Theory]
    [MemberData(nameof(TorchNames))]
    public void Torch_plateau_equals_PyTorchs_ReduceLROnPlateau(string name) => Agree(TorchCases[name]);

    // ---- Keras: keras/src/callbacks/reduce_lr_on_plateau.py ReduceLROnPlateau ----

    private static readonly Dictionary<string, Case> KerasCases = new()
    {
        ["improving"] = new("keras_plateau(0.1, val_loss, patience = 2)", "val_loss", Improving, () => new KerasReduceLROnPlateau(0.1, patience: 2), Reduces: false),
        ["flat"] = new("keras_plateau(0.1, val_loss, patience = 2)", "val_loss", Flat, () => new KerasReduceLROnPlateau(0.1, patience: 2)),
        ["noisy"] = new("keras_plateau(0.1, val_loss, patience = 2)", "val_loss", Noisy, () => new KerasReduceLROnPlateau(0.1, patience: 2)),
        ["nan"] = new("keras_plateau(0.1, val_loss, patience = 2)", "val_loss", NaNs, () => new KerasReduceLROnPlateau(0.1, patience: 2)),
        ["inf"] = new("keras_plateau(0.1, val_loss, patience = 2)", "val_loss", Infinite, () => new KerasReduceLROnPlateau(0.1, patience: 2)),
        ["defaults, flat"] = new("keras_plateau(0.1, val_loss)", "val_loss", Flat, () => new KerasReduceLROnPlateau(0.1)),
        ["patience 0, noisy"] = new("keras_plateau(0.1, val_loss, patience = 0)", "val_loss", Noisy, () => new KerasReduceLROnPlateau(0.1, patience: 0)),
        ["cooldown, flat"] = new("keras_plateau(0.1, val_loss, factor = 0.5, patience = 1, cooldown = 2)", "val_loss", Flat,
            () => new KerasReduceLROnPlateau(0.1, factor: 0.5, patience: 1, cooldown: 2)),
        ["cooldown, noisy"] = new("keras_plateau(0.1, val_loss, factor = 0.5, patience = 1, cooldown = 3)", "val_loss", Noisy,
            () => new KerasReduceLROnPlateau(0.1, factor: 0.5, patience: 1, cooldown: 3)),
        ["min_lr clamps, flat"] = new("keras_plateau(0.1, val_loss, factor = 0.5, patience = 1, min_lr = 0.02)", "val_loss", Flat,
            () => new KerasReduceLROnPlateau(0.1, factor: 0.5, patience: 1, minLr: 0.02)),
        ["min_delta, slow"] = new("keras_plateau(0.1, val_loss, patience = 1, min_delta = 0.01)", "val_loss", Slow,
            () => new KerasReduceLROnPlateau(0.1, patience: 1, minDelta: 0.01)),
        ["min_delta at a rounding"] = new("keras_plateau(0.1, val_loss, patience = 1, min_delta = 0.05)", "val_loss", Rounding,
            () => new KerasReduceLROnPlateau(0.1, patience: 1, minDelta: 0.05)),
        ["max (auto from 'acc'), noisy"] = new("keras_plateau(0.1, val_accuracy, mode = max, min_delta = 0.01, patience = 2)", "val_accuracy", AccNoisy,
            () => new KerasReduceLROnPlateau(0.1, "val_accuracy", minDelta: 0.01, patience: 2)),
        ["max, nan"] = new("keras_plateau(0.1, val_accuracy, mode = max, patience = 1)", "val_accuracy", AccNaNs,
            () => new KerasReduceLROnPlateau(0.1, "val_accuracy", mode: "max", patience: 1)),
        ["max, inf and cooldown"] = new("keras_plateau(0.1, val_accuracy, mode = max, patience = 1, cooldown = 1, min_lr = 1e-4)", "val_accuracy", AccInfinite,
            () => new KerasReduceLROnPlateau(0.1, "val_accuracy", mode: "max", patience: 1, cooldown: 1, minLr: 1e-4)),
    };

    public static TheoryData<string> KerasNames => new(KerasCases.Keys);

    [Theory]
    [MemberData(nameof(KerasNames))]
    public void Keras_plateau_equals_Keras_ReduceLROnPlateau(string name) => Agree(KerasCases[name]);

    // ---- fastai: fastai/callback/tracker.py ReduceLROnPlateau ----

    private static readonly Dictionary<string, Case> FastaiCases = new()
    {
        ["improving"] = new("fastai_plateau(0.1)", "valid_loss", Improving, () => new FastaiReduceLROnPlateau(0.1), Reduces: false),
        ["flat"] = new("fastai_plateau(0.1)", "valid_loss", Flat, () => new FastaiReduceLROnPlateau(0.1)),
        ["noisy"] = new("fastai_plateau(0.1, patience = 2)", "valid_loss", Noisy, () => new FastaiReduceLROnPlateau(0.1, patience: 2)),
        ["nan"] = new("fastai_plateau(0.1, patience = 2)", "valid_loss", NaNs, () => new FastaiReduceLROnPlateau(0.1, patience: 2)),
        ["inf"] = new("fastai_plateau(0.1, factor = 2, patience = 2)", "valid_loss", Infinite, () => new FastaiReduceLROnPlateau(0.1, factor: 2, patience: 2)),
        ["min_delta, noisy"] = new("fastai_plateau(0.1, min_delta = 0.02, patience = 2, factor = 2)", "valid_loss", Noisy,
            () => new FastaiReduceLROnPlateau(0.1, minDelta: 0.02, patience: 2, factor: 2)),
        ["min_delta, slow"] = new("fastai_plateau(0.1, min_delta = 0.01, patience = 1, factor = 2)", "valid_loss", Slow,
            () => new FastaiReduceLROnPlateau(0.1, minDelta: 0.01, patience: 1, factor: 2)),
        ["min_delta at a rounding"] = new("fastai_plateau(0.1, min_delta = 0.05)", "valid_loss", Rounding,
            () => new FastaiReduceLROnPlateau(0.1, minDelta: 0.05)),
        ["min_lr clamps, flat"] = new("fastai_plateau(0.1, factor = 2, min_lr = 0.02)", "valid_loss", Flat,
            () => new FastaiReduceLROnPlateau(0.1, factor: 2, minLr: 0.02)),
        ["max, noisy"] = new("fastai_plateau(0.1, accuracy, mode = max, min_delta = 0.01, patience = 2)", "accuracy", AccNoisy,
            () => new FastaiReduceLROnPlateau(0.1, "accuracy", minDelta: 0.01, patience: 2)),
        ["max, nan"] = new("fastai_plateau(0.1, accuracy, mode = max, patience = 2)", "accuracy", AccNaNs,
            () => new FastaiReduceLROnPlateau(0.1, "accuracy", patience: 2)),
        ["max, inf"] = new("fastai_plateau(0.1, accuracy, mode = max, factor = 3)", "accuracy", AccInfinite,
            () => new FastaiReduceLROnPlateau(0.1, "accuracy", factor: 3)),
    };

    public static TheoryData<string> FastaiNames => new(FastaiCases.Keys);

    [Theory]
    [MemberData(nameof(FastaiNames))]
    public void Fastai_plateau_equals_fastais_ReduceLROnPlateau(string name) => Agree(FastaiCases[name]);

    // ---- timm: timm/scheduler/plateau_lr.py PlateauLRScheduler, stepped by train.py ----

    private static readonly Dictionary<string, Case> TimmCases = new()
    {
        ["improving"] = new("timm_plateau(0.1, val_loss, mode = min, patience_t = 2)", "val_loss", Improving,
            () => new TimmPlateauLRScheduler(0.1, patienceT: 2, mode: "min"), Reduces: false),
        ["flat"] = new("timm_plateau(0.1, val_loss, mode = min, patience_t = 2)", "val_loss", Flat, () => new TimmPlateauLRScheduler(0.1, patienceT: 2, mode: "min")),
        ["noisy"] = new("timm_plateau(0.1, val_loss, mode = min, patience_t = 2)", "val_loss", Noisy, () => new TimmPlateauLRScheduler(0.1, patienceT: 2, mode: "min")),
        ["nan"] = new("timm_plateau(0.1, val_loss, mode = min, patience_t = 2)", "val_loss", NaNs, () => new TimmPlateauLRScheduler(0.1, patienceT: 2, mode: "min")),
        ["inf"] = new("timm_plateau(0.1, val_loss, mode = min, patience_t = 2)", "val_loss", Infinite, () => new TimmPlateauLRScheduler(0.1, patienceT: 2, mode: "min")),
        ["defaults (mode max), noisy accuracy"] = new("timm_plateau(0.1, top1, patience_t = 2)", "top1", AccNoisy, () => new TimmPlateauLRScheduler(0.1, patienceT: 2)),
        ["defaults, flat accuracy"] = new("timm_plateau(0.1, top1)", "top1", AccFlat, () => new TimmPlateauLRScheduler(0.1)),
        // Reports during the warm-up, and the one at its end, are ignored: timm steps its plateau only from step(warmup_t + 1).
        ["warm-up, flat"] = new("timm_plateau(0.1, val_loss, warmup_t = 3ep, warmup_lr_init = 0.001, mode = min, patience_t = 1)", "val_loss", Flat,
            () => new TimmPlateauLRScheduler(0.1, warmupT: 3, warmupLrInit: 0.001, patienceT: 1, mode: "min")),
        ["warm-up, noisy"] = new("timm_plateau(0.1, val_loss, warmup_t = 4ep, warmup_lr_init = 1e-4, mode = min, patience_t = 1)", "val_loss", Noisy,
            () => new TimmPlateauLRScheduler(0.1, warmupT: 4, warmupLrInit: 1e-4, patienceT: 1, mode: "min")),
        ["warm-up, cooldown and lr_min, flat accuracy"] = new("timm_plateau(0.1, top1, warmup_t = 2ep, patience_t = 1, cooldown_t = 1, decay_rate = 0.5, lr_min = 0.005)", "top1", AccFlat,
            () => new TimmPlateauLRScheduler(0.1, warmupT: 2, patienceT: 1, cooldownT: 1, decayRate: 0.5, lrMin: 0.005)),
        ["warm-up, threshold, nan accuracy"] = new("timm_plateau(0.1, top1, warmup_t = 1ep, warmup_lr_init = 0.01, patience_t = 0, threshold = 0.01)", "top1", AccNaNs,
            () => new TimmPlateauLRScheduler(0.1, warmupT: 1, warmupLrInit: 0.01, patienceT: 0, threshold: 0.01)),
    };

    public static TheoryData<string> TimmNames => new(TimmCases.Keys);

    [Theory]
    [MemberData(nameof(TimmNames))]
    public void Timm_plateau_equals_timms_PlateauLRScheduler(string name) => Agree(TimmCases[name]);

    // ---- the comparison ----

    /// <summary>
    /// A schedule over one epoch more than the script, the preset as its lr. Each epoch: every step's lr against the anchor's,
    /// then the epoch's metric reported to both (the schedule at the steps taken). Past the end the lr holds the anchor's last.
    /// </summary>
    private static void Agree(Case c)
    {
        int epochs = c.Script.Length + 1;
        var schedule = Build.Create($"schedule S over {epochs}ep {{ lr = {c.Call} }}", StepsPerEpoch);
        var anchor = c.Anchor();
        double first = anchor.Lr;
        int reductions = 0;
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            for (int k = 0; k < StepsPerEpoch; k++) Expect.At(schedule, "lr", epoch * StepsPerEpoch + k, anchor.Lr);
            if (epoch == c.Script.Length) break;
            double before = anchor.Lr;
            schedule.Report(c.Metric, c.Script[epoch], (epoch + 1) * StepsPerEpoch);
            anchor.EpochEnd(epoch, c.Script[epoch]);
            if (anchor.Lr < before) reductions++;
        }
        for (int step = epochs * StepsPerEpoch; step < epochs * StepsPerEpoch + 3; step++) Expect.At(schedule, "lr", step, anchor.Lr);
        // The script must exercise what the case is for: a case that never reduces compares constants only.
        if (c.Reduces) Assert.True(reductions > 0, $"{c.Call}: the anchor never reduced from {first}");
        else Assert.Equal(0, reductions);
    }

    // ---- where a preset and its anchor must differ ----

    [Fact]
    public void Torch_plateau_takes_one_min_lr_a_per_group_list_is_one_schedule_per_group()
    {
        // PyTorch's min_lr = [0.02, 0.03] with two param groups: each group's lr is one schedule, each with its own floor.
        var anchor = new TorchReduceLROnPlateau([0.1, 0.05], factor: 0.5, patience: 0, minLrs: [0.02, 0.03]);
        var group0 = Build.Create("schedule G0 over 13ep { lr = torch_plateau(0.1, val_loss, factor = 0.5, patience = 0, min_lr = 0.02) }", 1);
        var group1 = Build.Create("schedule G1 over 13ep { lr = torch_plateau(0.05, val_loss, factor = 0.5, patience = 0, min_lr = 0.03) }", 1);
        for (int epoch = 0; epoch < 12; epoch++)
        {
            Expect.At(group0, "lr", epoch, anchor.Lrs[0]);
            Expect.At(group1, "lr", epoch, anchor.Lrs[1]);
            group0.Report("val_loss", Flat[epoch], epoch + 1);
            group1.Report("val_loss", Flat[epoch], epoch + 1);
            anchor.Step(Flat[epoch]);
        }
        Assert.Equal([0.02, 0.03], anchor.Lrs);
        Assert.Equal(0.02, group0.ValueAt("lr", 12));
        Assert.Equal(0.03, group1.ValueAt("lr", 12));
    }

    [Fact]
    public void Fastai_plateau_multiplies_by_one_over_factor_where_fastai_divides_equal_to_rounding()
    {
        // fastai sets lr / factor; the preset's plateau multiplies by factor = 1 / 10: 0.2 / 10 = 0.02, 0.2 * 0.1 = 0.020000000000000004.
        var schedule = Build.Create("schedule S over 3ep { lr = fastai_plateau(0.2) }", 1);
        var anchor = new FastaiReduceLROnPlateau(0.2);
        foreach (int epoch in new[] { 0, 1 })
        {
            schedule.Report("valid_loss", 0.5, epoch + 1);
            anchor.EpochEnd(epoch, 0.5);
        }
        Assert.Equal(0.02, anchor.Lr);
        Assert.Equal(0.2 * (1.0 / 10), schedule.ValueAt("lr", 2));
        Assert.NotEqual(anchor.Lr, schedule.ValueAt("lr", 2));
        Expect.At(schedule, "lr", 2, anchor.Lr);
    }

    [Fact]
    public void Fastai_plateau_never_raises_a_start_below_min_lr_where_fastai_raises_it_to_min_lr()
    {
        // fastai's max(lr / factor, min_lr) lifts an lr below min_lr up to it at the first reduction; a plateau phase only lowers.
        var schedule = Build.Create("schedule S over 4ep { lr = fastai_plateau(0.01, min_lr = 0.05) }", 1);
        var anchor = new FastaiReduceLROnPlateau(0.01, minLr: 0.05);
        for (int epoch = 0; epoch < 3; epoch++)
        {
            schedule.Report("valid_loss", 0.5, epoch + 1);
            anchor.EpochEnd(epoch, 0.5);
        }
        Assert.Equal(0.05, anchor.Lr);
        Assert.Equal(0.01, schedule.ValueAt("lr", 3));
    }

    [Fact]
    public void Anchors_agree_with_their_libraries_documented_examples()
    {
        // PyTorch's docstring: with patience = 0, the first epoch sets the baseline and the second, if worse, reduces.
        var torch = new TorchReduceLROnPlateau(0.1, patience: 0);
        torch.Step(1.0);
        Assert.Equal(0.1, torch.Lr);
        torch.Step(1.1);
        Assert.Equal(0.1 * 0.1, torch.Lr);
        // Keras reduces when the wait reaches patience, PyTorch when the bad epochs exceed it: patience 2, a flat loss.
        var keras = new KerasReduceLROnPlateau(0.1, patience: 2);
        var pyTorch = new TorchReduceLROnPlateau(0.1, patience: 2);
        var kerasFirst = -1;
        var torchFirst = -1;
        for (int epoch = 0; epoch < 5; epoch++)
        {
            keras.EpochEnd(epoch, 0.7);
            pyTorch.Step(0.7);
            if (kerasFirst < 0 && keras.Lr < 0.1) kerasFirst = epoch;
            if (torchFirst < 0 && pyTorch.Lr < 0.1) torchFirst = epoch;
        }
        Assert.Equal((2, 3), (kerasFirst, torchFirst));
    }

    [Fact]
    public void Every_plateau_preset_has_at_least_four_scripts_with_cooldown_and_min_lr_where_the_anchor_has_them()
    {
        foreach (var (name, cases) in new[] { ("torch", TorchCases), ("keras", KerasCases), ("fastai", FastaiCases), ("timm", TimmCases) })
        {
            var scripts = cases.Values.Select(c => c.Script).Distinct().Count();
            Assert.True(scripts >= 4, string.Create(CultureInfo.InvariantCulture, $"{name}: {scripts} scripts"));
            Assert.Contains(cases.Values, c => c.Script == NaNs || c.Script == AccNaNs);
            Assert.Contains(cases.Values, c => c.Script == Infinite || c.Script == AccInfinite);
            Assert.Contains(cases.Values, c => c.Call.Contains("min_lr", StringComparison.Ordinal) || c.Call.Contains("lr_min", StringComparison.Ordinal));
            if (name != "fastai") Assert.Contains(cases.Values, c => c.Call.Contains("cooldown", StringComparison.Ordinal));
        }
    }
}
