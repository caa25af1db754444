using System.Reflection;
using TorchSharp.Modules;
using static TorchSharp.torch;
using LRScheduler = TorchSharp.torch.optim.lr_scheduler.LRScheduler;

namespace Sched.TorchSharp.Tests;

/// <summary>
/// TorchSharp 0.107's ReduceLROnPlateau as a second oracle for torch_plateau: one SGD optimizer stepped by it
/// (<c>scheduler.step(metric)</c> at each epoch end), another driven by the preset through <see cref="ScheduleDriver"/>
/// (<c>driver.Step()</c> after each optimizer step, <c>driver.Report(metric, value)</c> at each epoch end). Its decision follows
/// PyTorch's and the groups' lrs agree at every step; where TorchSharp falls short of PyTorch (get_last_lr, step(), the
/// min_lr list, state_dict), the tests pin what TorchSharp does.
/// </summary>
public class TorchSharpPlateauTests
{
    private const int StepsPerEpoch = 2;
    private const double Nan = double.NaN, Inf = double.PositiveInfinity;

    private static readonly double[] Flat = Enumerable.Repeat(0.7, 16).ToArray();
    private static readonly double[] Noisy = [1.00, 0.91, 0.93, 0.85, 0.86, 0.87, 0.84, 0.84, 0.85, 0.83, 0.835, 0.84, 0.80, 0.81, 0.80, 0.80];
    private static readonly double[] NaNs = [1.0, 0.9, Nan, Nan, 0.85, Nan, 0.86, 0.8, Nan, Nan, Nan, 0.7, 0.7, Nan, 0.69, 0.69];
    private static readonly double[] Infinite = [Inf, Inf, 1.0, Inf, 0.9, Inf, Inf, 0.95, 0.8, -Inf, 0.5, 0.4, 0.3, Inf, 0.2, 0.1];
    private static readonly double[] Accuracy = [0.50, 0.55, 0.54, 0.60, 0.59, 0.60, 0.61, 0.61, 0.605, 0.62, 0.615, 0.62, 0.63, 0.625, 0.63, 0.63];

    // TorchSharp's ParamGroup has its own lr (0.001 unless given): each group is given 0.1.
    private static optim.Optimizer Sgd(TinyModel model, int groups = 1) => groups == 1
        ? optim.SGD(model.Parameters, 0.1, momentum: 0.9)
        : optim.SGD([new SGD.ParamGroup(model.FirstParameters, lr: 0.1), new SGD.ParamGroup(model.SecondParameters, lr: 0.1)], 0.1, momentum: 0.9);

    private static double Lr(optim.Optimizer o, int group = 0) => o.ParamGroups.ElementAt(group).LearningRate;

    /// <summary>
    /// The preset over one epoch more than the script (its last report still inside the phase) and TorchSharp's scheduler, each
    /// on its own optimizer over one model: every step's lr compared exactly, then the epoch's metric given to both.
    /// </summary>
    private static void Agree(string call, double[] script, Func<optim.Optimizer, LRScheduler> make, double lr = 0.1)
    {
        using var model = new TinyModel(11);
        using var oracle = optim.SGD(model.Parameters, lr, momentum: 0.9);
        using var driven = optim.SGD(model.Parameters, lr, momentum: 0.9);
        var scheduler = make(oracle);
        var schedule = Schedule.Parse($"schedule S over {script.Length + 1}ep {{ lr = {call} }}").Create(StepsPerEpoch);
        var driver = new ScheduleDriver(schedule, driven);
        int changes = 0;
        for (int epoch = 0; epoch < script.Length; epoch++)
        {
            for (int k = 0; k < StepsPerEpoch; k++)
            {
                Assert.True(Lr(oracle) == Lr(driven), $"{call}, epoch {epoch} step {k}: TorchSharp {Lr(oracle):R}, Sched {Lr(driven):R}");
                model.TrainStep(oracle);
                model.TrainStep(driven);
                driver.Step();
            }
            double before = Lr(oracle);
            scheduler.step(script[epoch]);
            driver.Report("val_loss", script[epoch]);
            if (Lr(oracle) != before) changes++;
        }
        Assert.True(Lr(oracle) == Lr(driven), $"{call}, after the last report: TorchSharp {Lr(oracle):R}, Sched {Lr(driven):R}");
        Assert.True(changes > 0, $"{call}: TorchSharp never reduced");
    }

    [Fact]
    public void ReduceLROnPlateau_agrees_with_torch_plateau_on_flat_noisy_NaN_and_infinite_losses()
    {
        foreach (var script in new[] { Flat, Noisy, NaNs, Infinite })
            Agree("torch_plateau(0.1, val_loss, patience = 2)", script, o => optim.lr_scheduler.ReduceLROnPlateau(o, patience: 2));
    }

    [Fact]
    public void ReduceLROnPlateau_agrees_with_torch_plateau_with_cooldown_min_lr_and_eps()
    {
        Agree("torch_plateau(0.1, val_loss, factor = 0.5, patience = 1, cooldown = 2)", Noisy,
            o => optim.lr_scheduler.ReduceLROnPlateau(o, factor: 0.5, patience: 1, cooldown: 2));
        Agree("torch_plateau(0.1, val_loss, factor = 0.5, patience = 0, min_lr = 0.02)", Flat,
            o => optim.lr_scheduler.ReduceLROnPlateau(o, factor: 0.5, patience: 0, min_lr: [0.02]));
        Agree("torch_plateau(1e-7, val_loss, factor = 0.5, patience = 0)", Flat,
            o => optim.lr_scheduler.ReduceLROnPlateau(o, factor: 0.5, patience: 0), lr: 1e-7);
    }

    [Fact]
    public void ReduceLROnPlateau_agrees_with_torch_plateau_in_mode_max_with_abs_and_rel_thresholds()
    {
        Agree("torch_plateau(0.1, val_loss, mode = max, threshold = 0.01, threshold_mode = abs, patience = 1)", Accuracy,
            o => optim.lr_scheduler.ReduceLROnPlateau(o, mode: "max", threshold: 0.01, threshold_mode: "abs", patience: 1));
        Agree("torch_plateau(0.1, val_loss, mode = max, patience = 1)", Accuracy,
            o => optim.lr_scheduler.ReduceLROnPlateau(o, mode: "max", patience: 1));
    }

    // ---- Where TorchSharp 0.107 falls short of PyTorch ----

    [Fact]
    public void ReduceLROnPlateau_get_last_lr_never_changes_in_TorchSharp()
    {
        // PyTorch's step(metrics) ends with _last_lr = [group["lr"] ...]; TorchSharp's step(double, int?) never updates _last_lrs,
        // so get_last_lr() gives the lr the scheduler was created with, whatever it has reduced. The schedule gives the value in force.
        using var model = new TinyModel(12);
        using var optimizer = Sgd(model);
        var scheduler = optim.lr_scheduler.ReduceLROnPlateau(optimizer, patience: 0);
        var schedule = Schedule.Parse("schedule S over 4ep { lr = torch_plateau(0.1, val_loss, patience = 0) }").Create(1);
        for (int epoch = 0; epoch < 3; epoch++)
        {
            scheduler.step(0.7);
            schedule.Report("val_loss", 0.7, epoch + 1);
        }
        Assert.Equal(0.1 * 0.1 * 0.1, Lr(optimizer), 15);
        Assert.Equal(new[] { 0.1 }, scheduler.get_last_lr());
        Assert.Equal(Lr(optimizer), schedule.ValueAt("lr", 3));
    }

    [Fact]
    public void ReduceLROnPlateau_step_without_a_metric_throws_so_SequentialLR_cannot_hold_it_in_TorchSharp()
    {
        // TorchSharp's ReduceLROnPlateau overrides step() and step(int?) to throw, and SequentialLR steps its schedulers without a
        // metric (step(0) at a milestone): a warm-up then ReduceLROnPlateau cannot be one TorchSharp scheduler (PyTorch cannot
        // chain it either, pytorch/pytorch#68978). It is one Sched schedule, checked here against the switch written by hand.
        using var model = new TinyModel(13);
        using var optimizer = Sgd(model);
        var plateau = optim.lr_scheduler.ReduceLROnPlateau(optimizer, patience: 1);
        var step = Assert.Throws<InvalidOperationException>(() => plateau.step());
        Assert.Equal("step() should not be used with the ReduceLROnPlateau scheduler. Use step(double, int?), instead.", step.Message);
        var sequential = optim.lr_scheduler.SequentialLR(optimizer, [optim.lr_scheduler.LinearLR(optimizer, 0.1, 1.0, 3), plateau], [3]);
        sequential.step();
        sequential.step();
        var atMilestone = Assert.Throws<InvalidOperationException>(() => sequential.step());
        Assert.Equal("step(int?) should not be used with the ReduceLROnPlateau scheduler. Use step(double, int?), instead.", atMilestone.Message);

        // By hand: LinearLR for the warm-up's 3 epochs, then a ReduceLROnPlateau given the metrics from the end of the warm-up's last
        // epoch on: the report at the plateau phase's start is its first.
        using var oracle = Sgd(model);
        using var driven = Sgd(model);
        var warmup = optim.lr_scheduler.LinearLR(oracle, 0.1, 1.0, 3);
        LRScheduler? reduce = null;
        var schedule = Schedule.Parse("schedule S over 17ep { lr = lin(0.01 -> 0.1, 3ep) by epoch + torch_plateau(0.1, val_loss, patience = 1, factor = 0.5) }")
            .Create(StepsPerEpoch);
        var driver = new ScheduleDriver(schedule, driven);
        for (int epoch = 0; epoch < 16; epoch++)
        {
            for (int k = 0; k < StepsPerEpoch; k++)
            {
                Assert.True(Math.Abs(Lr(oracle) - Lr(driven)) <= 1e-12 * Lr(oracle), $"epoch {epoch} step {k}: TorchSharp {Lr(oracle):R}, Sched {Lr(driven):R}");
                model.TrainStep(oracle);
                model.TrainStep(driven);
                driver.Step();
            }
            if (epoch < 3) warmup.step();
            if (epoch == 2) reduce = optim.lr_scheduler.ReduceLROnPlateau(oracle, patience: 1, factor: 0.5);
            reduce?.step(Noisy[epoch]);
            driver.Report("val_loss", Noisy[epoch]);
        }
        Assert.True(Lr(driven) < 0.1, $"no reduction: {Lr(driven)}");
    }

    [Fact]
    public void ReduceLROnPlateau_takes_a_min_lr_list_of_any_length_in_TorchSharp()
    {
        // PyTorch raises ValueError("expected 2 min_lrs, got 3") at construction; TorchSharp 0.107 takes any list: a longer one
        // is cut silently, a shorter one (not of length 1) fails only at the first reduction, with an index out of range.
        using var model = new TinyModel(14);
        // A ParamGroup without an lr keeps its own default, not the optimizer's (PyTorch fills a group's missing options from the optimizer).
        using (var defaults = optim.SGD([new SGD.ParamGroup(model.FirstParameters)], 0.1)) Assert.Equal(0.001, Lr(defaults));
        using var longer = Sgd(model, groups: 2);
        var cut = optim.lr_scheduler.ReduceLROnPlateau(longer, patience: 0, factor: 0.5, min_lr: [0.04, 0.03, 0.5]);
        for (int epoch = 0; epoch < 4; epoch++) cut.step(0.7);
        Assert.Equal(new[] { 0.04, 0.03 }, longer.ParamGroups.Select(g => g.LearningRate));

        using var shorter = optim.SGD([new SGD.ParamGroup([model.First.weight!], lr: 0.1), new SGD.ParamGroup([model.First.bias!], lr: 0.1),
            new SGD.ParamGroup(model.SecondParameters, lr: 0.1)], 0.1);
        var late = optim.lr_scheduler.ReduceLROnPlateau(shorter, patience: 0, min_lr: [0.01, 0.02]);
        late.step(0.7); // the baseline: no reduction, no error
        Assert.Throws<ArgumentOutOfRangeException>(() => late.step(0.7));
        // The first two groups were reduced before the third failed: the optimizer is left half-reduced.
        Assert.Equal(new[] { 0.1 * 0.1, 0.02, 0.1 }, shorter.ParamGroups.Select(g => g.LearningRate));
    }

    [Fact]
    public void No_TorchSharp_scheduler_has_a_state_dict_Sched_keeps_the_state_with_SaveState()
    {
        // PyTorch's LRScheduler.state_dict()/load_state_dict() save best, num_bad_epochs, cooldown_counter for a resume; TorchSharp
        // 0.107's schedulers have neither, so a resumed ReduceLROnPlateau starts over. The schedule's state restores bit for bit.
        var schedulerTypes = typeof(LRScheduler).Assembly.GetTypes().Where(t => typeof(LRScheduler).IsAssignableFrom(t)).ToList();
        Assert.Contains(schedulerTypes, t => t.Name == "ReduceLROnPlateau");
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;
        foreach (var type in schedulerTypes)
        {
            var names = type.GetMethods(all).Select(m => m.Name).ToList();
            Assert.DoesNotContain(names, n => n.Contains("state_dict", StringComparison.OrdinalIgnoreCase));
        }

        // A run stopped after 8 epochs: a fresh TorchSharp scheduler on the restored optimizer forgets its best and bad epochs;
        // a restored schedule goes on as if never stopped.
        using var model = new TinyModel(15);
        using var uninterrupted = Sgd(model);
        using var resumedTorchSharp = Sgd(model);
        var whole = optim.lr_scheduler.ReduceLROnPlateau(uninterrupted, patience: 3);
        var first = optim.lr_scheduler.ReduceLROnPlateau(resumedTorchSharp, patience: 3);
        var text = "schedule S over 17ep { lr = torch_plateau(0.1, val_loss, patience = 3) }";
        var schedule = Schedule.Parse(text).Create(1);
        double[] script = [1.0, 0.5, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6];
        for (int epoch = 0; epoch < 8; epoch++)
        {
            whole.step(script[epoch]);
            first.step(script[epoch]);
            schedule.Report("val_loss", script[epoch], epoch + 1);
        }
        var resumedSchedule = Schedule.Parse(text).Create(1);
        resumedSchedule.RestoreState(schedule.SaveState());
        var second = optim.lr_scheduler.ReduceLROnPlateau(resumedTorchSharp, patience: 3); // nothing to load into it
        for (int epoch = 8; epoch < script.Length; epoch++)
        {
            whole.step(script[epoch]);
            second.step(script[epoch]);
            resumedSchedule.Report("val_loss", script[epoch], epoch + 1);
        }
        // Uninterrupted: reductions after epochs 5 and 9 (bad epochs 2..5, then 6..9). The fresh scheduler takes 0.6 as a new best
        // at epoch 8 and has reduced only once, after epoch 5.
        Assert.Equal(0.1 * 0.1 * 0.1, Lr(uninterrupted), 15);
        Assert.Equal(0.1 * 0.1, Lr(resumedTorchSharp), 15);
        Assert.Equal(Lr(uninterrupted), resumedSchedule.ValueAt("lr", script.Length));
    }
}
