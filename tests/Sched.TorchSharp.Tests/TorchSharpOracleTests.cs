using TorchSharp.Modules;
using static TorchSharp.torch;
using LRScheduler = TorchSharp.torch.optim.lr_scheduler.LRScheduler;
using CyclicImpl = TorchSharp.torch.optim.lr_scheduler.impl.CyclicLR;

namespace Sched.TorchSharp.Tests;

/// <summary>
/// TorchSharp 0.107's schedulers as a second oracle for the PyTorch presets in Library/pytorch.sched. Two identical SGD optimizers
/// over the same tiny model: one driven by TorchSharp's scheduler (scheduler.step() once per scheduler step), the other by the
/// preset through <see cref="ScheduleDriver"/> (driver.Step() once per scheduler step). Per-epoch presets are created with
/// stepsPerEpoch = 1, so one Sched step is one scheduler step. Where TorchSharp ports PyTorch faithfully the groups' values agree
/// at every step; where it does not (CyclicLR momentum and exp_range, OneCycleLR with several groups or at total_steps), the tests
/// pin the difference, and Sched follows PyTorch (torch/optim/lr_scheduler.py), the reference its presets are named after.
/// </summary>
public class TorchSharpOracleTests
{
    // Several TorchSharp schedulers are chainable (recursive): StepLR, ExponentialLR, LinearLR, PolynomialLR and CosineAnnealingLR
    // multiply or update the group's previous lr each step, as PyTorch's get_lr does, where Sched evaluates the closed form. The
    // rounding of k chained multiplications grows like k ulps, far below 1e-12 relative over these few dozen steps.
    private const double Relative = 1e-12;

    private sealed class Pair : IDisposable
    {
        public readonly TinyModel Model = new(7);
        public readonly optim.Optimizer Oracle, Driven;

        public Pair(double lr, double momentum, int groups)
        {
            Oracle = Sgd(Model, lr, momentum, groups);
            Driven = Sgd(Model, lr, momentum, groups);
        }

        private static optim.Optimizer Sgd(TinyModel model, double lr, double momentum, int groups) => groups == 1
            ? optim.SGD(model.Parameters, lr, momentum: momentum)
            : optim.SGD([new SGD.ParamGroup(model.FirstParameters), new SGD.ParamGroup(model.SecondParameters)], lr, momentum: momentum);

        /// <summary>One optimizer step on each, then one scheduler step and one driver step.</summary>
        public void Step(LRScheduler scheduler, ScheduleDriver driver)
        {
            Model.TrainStep(Oracle);
            scheduler.step();
            Model.TrainStep(Driven);
            driver.Step();
        }

        public void Dispose()
        {
            Oracle.Dispose();
            Driven.Dispose();
            Model.Dispose();
        }
    }

    private static double[] Lrs(optim.Optimizer o) => o.ParamGroups.Select(g => g.LearningRate).ToArray();

    private static double[] Momenta(optim.Optimizer o) => o.ParamGroups.Select(g => ((SGD.ParamGroup)g).Momentum).ToArray();

    private static void Close(double expected, double actual, double relative, string what)
    {
        double tolerance = relative * Math.Max(Math.Abs(expected), Math.Abs(actual));
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected:R}, got {actual:R} (difference {expected - actual:R})");
    }

    /// <summary>Steps both for <paramref name="steps"/> scheduler steps, comparing every group's lr (and momentum if asked) from step 0.</summary>
    /// <remarks>
    /// Past its `over` total a schedule holds its value at the end: for exponential that is the last period's lr * gamma^(N - 1),
    /// where ExponentialLR at step N gives lr * gamma^N, so the exponential schedules are one step longer than the steps compared.
    /// </remarks>
    private static void Agree(string text, int steps, Func<optim.Optimizer, LRScheduler> make, double lr = 0.1, bool momentum = false, int stepsPerEpoch = 1)
    {
        using var pair = new Pair(lr, momentum: 0.9, groups: 1);
        ISchedule schedule = Schedule.Parse(text).Create(stepsPerEpoch);
        var scheduler = make(pair.Oracle);
        var driver = new ScheduleDriver(schedule, pair.Driven);
        for (int k = 0; ; k++)
        {
            Close(Lrs(pair.Oracle)[0], Lrs(pair.Driven)[0], Relative, $"lr at step {k}");
            if (momentum) Close(Momenta(pair.Oracle)[0], Momenta(pair.Driven)[0], Relative, $"momentum at step {k}");
            if (k == steps) break;
            pair.Step(scheduler, driver);
        }
    }

    [Fact]
    public void StepLR_agrees_with_step_lr() =>
        Agree("schedule S over 20ep { lr = step_lr(0.1, 3ep, 0.5) }", 20, o => optim.lr_scheduler.StepLR(o, 3, 0.5));

    [Fact]
    public void StepLR_per_batch_agrees_with_step_lr_in_it() =>
        Agree("schedule S over 25it { lr = step_lr(0.2, 7it, 0.3) }", 25, o => optim.lr_scheduler.StepLR(o, 7, 0.3), lr: 0.2);

    [Fact]
    public void MultiStepLR_agrees_with_multi_step()
    {
        Agree("schedule S over 16ep { lr = multi_step(0.1, [4, 11, 14], 0.2) }", 16,
            o => optim.lr_scheduler.MultiStepLR(o, [4, 11, 14], 0.2));
        Agree("schedule S over 30it { lr = multi_step(0.1, [3, 9, 17, 20, 24, 28], 0.5, 1it) }", 30,
            o => optim.lr_scheduler.MultiStepLR(o, [3, 9, 17, 20, 24, 28], 0.5));
    }

    [Fact]
    public void ExponentialLR_agrees_with_exponential() =>
        Agree("schedule S over 31ep { lr = exponential(0.1, 0.9) }", 30, o => optim.lr_scheduler.ExponentialLR(o, 0.9));

    [Fact]
    public void ExponentialLR_per_batch_agrees_with_exponential_period_1it() =>
        Agree("schedule S over 41it { lr = exponential(0.1, 0.95, 1it) }", 40, o => optim.lr_scheduler.ExponentialLR(o, 0.95));

    [Fact]
    public void LinearLR_agrees_with_linear_lr()
    {
        // TorchSharp 0.107's LinearLR defaults end_factor to 5 (PyTorch: 1.0), so both factors are given.
        Agree("schedule S over 12ep { lr = linear_lr(0.1, 0.25, 1, 8ep) }", 12, o => optim.lr_scheduler.LinearLR(o, 0.25, 1.0, 8));
        Agree("schedule S over 30it { lr = linear_lr(0.2, 0.1, 0.5, 20it, 1it) }", 30, o => optim.lr_scheduler.LinearLR(o, 0.1, 0.5, 20), lr: 0.2);
    }

    [Fact]
    public void PolynomialLR_agrees_with_polynomial()
    {
        Agree("schedule S over 14ep { lr = polynomial(0.1, 10ep, 2) }", 14, o => optim.lr_scheduler.PolynomialLR(o, 10, 2));
        Agree("schedule S over 25it { lr = polynomial(0.1, 20it, 1, 1it) }", 25, o => optim.lr_scheduler.PolynomialLR(o, 20, 1));
    }

    [Fact]
    public void CosineAnnealingLR_agrees_with_cosine_annealing()
    {
        Agree("schedule S over 10ep { lr = cosine_annealing(0.1, 10ep, 0.001) }", 10, o => optim.lr_scheduler.CosineAnnealingLR(o, 10, 0.001));
        Agree("schedule S over 40it { lr = cosine_annealing(0.1, 40it, 0.002, 1it) }", 40, o => optim.lr_scheduler.CosineAnnealingLR(o, 40, 0.002));
    }

    [Fact]
    public void CyclicLR_triangular_and_triangular2_lr_agree_with_cyclic_and_cyclic2()
    {
        Agree("schedule S over 60it { lr = cyclic(0.01, 0.1, 4it, 6it) }", 60,
            o => optim.lr_scheduler.CyclicLR(o, [0.01], [0.1], 4, 6, cycle_momentum: false));
        Agree("schedule S over 53it { lr = cyclic2(0.01, 0.1, 4it, 6it) }", 53,
            o => optim.lr_scheduler.CyclicLR(o, [0.01], [0.1], 4, 6, CyclicImpl.Mode.Triangular2, cycle_momentum: false));
    }

    private const string OneCycleText = """
        schedule S over 50it {
            lr       = torch_one_cycle(0.5, 30%, 10, 100)
            momentum = torch_one_cycle_mom(0.8, 0.9, 30%)
        }
        """;

    private static LRScheduler OneCycle(optim.Optimizer o) => optim.lr_scheduler.OneCycleLR(o, 0.5, total_steps: 50, pct_start: 0.3,
        base_momentum: 0.8, max_momentum: 0.9, div_factor: 10, final_div_factor: 100);

    [Fact]
    public void OneCycleLR_one_group_agrees_with_torch_one_cycle_before_its_last_step() =>
        Agree(OneCycleText, 49, OneCycle, momentum: true); // steps 0 .. total_steps - 1

    [Fact]
    public void SequentialLR_of_LinearLR_and_CosineAnnealingLR_agrees_with_warmup_cos()
    {
        // Warm-up + cosine as PyTorch users build it: SequentialLR([LinearLR(start_factor, 1, W), CosineAnnealingLR(T_max, eta_min)],
        // milestones = [W]); TorchSharp 0.107 restarts the cosine with step(0) at W as PyTorch does. Compared up to W + T_max: after
        // it both libraries' cosine rises again, where warmup_cos holds eta_min.
        Agree("schedule S over 60it { lr = warmup_cos(0.1, 8it, 0.001, 0.1 * 0.1) }", 60,
            o => optim.lr_scheduler.SequentialLR(o,
                [optim.lr_scheduler.LinearLR(o, 0.1, 1.0, 8), optim.lr_scheduler.CosineAnnealingLR(o, 52, 0.001)], [8]));
        Agree("schedule S over 15ep { lr = warmup_cos(0.05, 5ep, 0, 0.05 / 3) by epoch }", 15,
            o => optim.lr_scheduler.SequentialLR(o,
                [optim.lr_scheduler.LinearLR(o, 1.0 / 3, 1.0, 5), optim.lr_scheduler.CosineAnnealingLR(o, 10, 0)], [5]), lr: 0.05);
    }

    [Fact]
    public void SequentialLR_restarts_MultiStepLR_so_its_milestones_move_by_the_warm_up()
    {
        // SequentialLR calls step(0) on the next scheduler at its milestone, so MultiStepLR counts from the switch:
        // milestones [4, 9] after a 3-epoch LinearLR drop at epochs 7 and 12. multi_step reads the schedule's step, so
        // the same run is written with the warm-up added: [7, 12] (docs/presets.md, multi_step, "After a warm-up").
        Agree("schedule S over 16ep { lr = lin(0.005 -> 0.05, 3ep) by epoch + multi_step(0.05, [7, 12], 0.5) }", 16,
            o => optim.lr_scheduler.SequentialLR(o,
                [optim.lr_scheduler.LinearLR(o, 0.1, 1.0, 3), optim.lr_scheduler.MultiStepLR(o, [4, 9], 0.5)], [3]), lr: 0.05);
    }

    // ---- Where TorchSharp 0.107 differs from PyTorch ----

    [Fact]
    public void MultiStepLR_with_a_repeated_milestone_drops_once_in_TorchSharp_twice_in_PyTorch()
    {
        // PyTorch keeps milestones in a Counter and multiplies by gamma ** milestones[last_epoch]: [4, 11, 11] drops by
        // gamma^2 at 11. TorchSharp 0.107 tests _milestones.IndexOf(last_epoch) and multiplies by gamma once.
        using var pair = new Pair(0.1, momentum: 0.9, groups: 1);
        var schedule = Schedule.Parse("schedule S over 16ep { lr = multi_step(0.1, [4, 11, 11], 0.2) }").Create(1);
        var scheduler = optim.lr_scheduler.MultiStepLR(pair.Oracle, [4, 11, 11], 0.2);
        var driver = new ScheduleDriver(schedule, pair.Driven);
        for (int k = 0; k <= 16; k++)
        {
            if (k > 0) pair.Step(scheduler, driver);
            double torchSharp = Lrs(pair.Oracle)[0], pyTorch = Lrs(pair.Driven)[0];
            Close(0.1 * Math.Pow(0.2, k < 4 ? 0 : k < 11 ? 1 : 3), pyTorch, Relative, $"Sched at step {k}");
            Close(0.1 * Math.Pow(0.2, k < 4 ? 0 : k < 11 ? 1 : 2), torchSharp, Relative, $"TorchSharp at step {k}");
        }
    }

    [Fact]
    public void CyclicLR_momentum_moves_with_lr_in_TorchSharp_against_it_in_PyTorch()
    {
        // PyTorch: momentum = max_momentum - (max_momentum - base_momentum) * scale, falling while lr rises ("cycled inversely").
        // TorchSharp 0.107 adds instead: max_momentum + (max_momentum - base_momentum) * scale, rising with lr past max_momentum
        // (0.9 -> 1.0 here, a momentum of 1 at the peak). Sched follows PyTorch: cyclic_mom (defaults 0.8 / 0.9) is PyTorch's.
        using var pair = new Pair(0.01, momentum: 0.9, groups: 1);
        var schedule = Schedule.Parse("""
            schedule S over 30it {
                lr       = cyclic(0.01, 0.1, 4it, 6it)
                momentum = cyclic_mom(4it, 6it)
            }
            """).Create();
        var scheduler = optim.lr_scheduler.CyclicLR(pair.Oracle, [0.01], [0.1], 4, 6, base_momentum: [0.8], max_momentum: [0.9]);
        var driver = new ScheduleDriver(schedule, pair.Driven);
        double peak = 0;
        for (int k = 0; k <= 30; k++)
        {
            if (k > 0) pair.Step(scheduler, driver);
            Close(Lrs(pair.Oracle)[0], Lrs(pair.Driven)[0], Relative, $"lr at step {k}");
            double torchSharp = Momenta(pair.Oracle)[0], pyTorch = Momenta(pair.Driven)[0];
            // Mirror images about max_momentum: TorchSharp - 0.9 == 0.9 - PyTorch.
            Close(0.9 - pyTorch, torchSharp - 0.9, 1e-9, $"momentum mirror at step {k}");
            Assert.True(torchSharp >= 0.9 - 1e-15 && pyTorch <= 0.9 + 1e-15, $"step {k}: TorchSharp {torchSharp}, PyTorch {pyTorch}");
            peak = Math.Max(peak, torchSharp);
        }
        Assert.Equal(1.0, peak, 12); // at each lr peak (steps 4, 14, 24) TorchSharp's momentum is 1.0; PyTorch's is 0.8
        Assert.Equal(0.8, schedule.ValueAt("momentum", 4), 12);
    }

    [Fact]
    public void CyclicLR_exp_range_scales_by_gamma_per_cycle_in_TorchSharp_per_iteration_in_PyTorch()
    {
        // PyTorch's exp_range uses scale_mode 'iterations': amplitude * gamma^last_epoch. TorchSharp 0.107 gives ExpRange
        // ScaleMode.Cycle: amplitude * gamma^cycle (cycle 1-based). Sched's cyclic_exp follows PyTorch (gamma^step), so the
        // amplitudes differ by the factor gamma^(cycle - step) at every step.
        const double baseLr = 0.01, maxLr = 0.1, gamma = 0.99;
        using var pair = new Pair(baseLr, momentum: 0.9, groups: 1);
        var schedule = Schedule.Parse("schedule S over 40it { lr = cyclic_exp(0.01, 0.1, 4it, 0.99, 6it) }").Create();
        var scheduler = optim.lr_scheduler.CyclicLR(pair.Oracle, [baseLr], [maxLr], 4, 6, CyclicImpl.Mode.ExpRange, gamma, cycle_momentum: false);
        var driver = new ScheduleDriver(schedule, pair.Driven);
        for (int k = 0; k <= 40; k++)
        {
            if (k > 0) pair.Step(scheduler, driver);
            double torchSharp = Lrs(pair.Oracle)[0], pyTorch = Lrs(pair.Driven)[0];
            double cycle = Math.Floor(1 + k / 10.0);
            Close((pyTorch - baseLr) * Math.Pow(gamma, cycle - k), torchSharp - baseLr, 1e-9, $"amplitude at step {k}");
        }
        // At the first peak (step 4): PyTorch 0.01 + 0.09 * 0.99^4 = 0.0964536, TorchSharp 0.01 + 0.09 * 0.99^1 = 0.0991.
        Assert.Equal(baseLr + (maxLr - baseLr) * Math.Pow(gamma, 4), schedule.ValueAt("lr", 4), 15);
    }

    [Fact]
    public void CyclicLR_exp_range_agrees_when_TorchSharp_is_given_PyTorchs_iterations_scaling()
    {
        // TorchSharp's custom scale_fn with ScaleMode.Iterations reproduces PyTorch's exp_range, and then matches cyclic_exp.
        Agree("schedule S over 40it { lr = cyclic_exp(0.01, 0.1, 4it, 0.99, 6it) }", 40,
            o => optim.lr_scheduler.CyclicLR(o, [0.01], [0.1], 4, 6, gamma: 0.99, scale_fn: x => Math.Pow(0.99, x),
                scale_mode: CyclicImpl.ScaleMode.Iterations, cycle_momentum: false), lr: 0.01);
    }

    [Fact]
    public void OneCycleLR_with_two_groups_computes_the_second_group_from_the_first_phase_in_TorchSharp()
    {
        // TorchSharp 0.107's OneCycleLR.get_lr picks a phase with `step_num <= end_step || i == phases.Length - 1`, where i is the
        // param group's index, not the phase's (PyTorch: `i == len(self._schedule_phases) - 1` with i the phase index). With two
        // phases, group 1 always takes phase 0: the warm-up cosine initial_lr -> max_lr continued past its end (pct > 1), so its lr
        // falls back towards initial_lr instead of annealing to min_lr. Group 0 is right. Sched gives every group PyTorch's value.
        using var pair = new Pair(0.1, momentum: 0.9, groups: 2);
        var schedule = Schedule.Parse(OneCycleText).Create();
        var scheduler = OneCycle(pair.Oracle);
        var driver = new ScheduleDriver(schedule, pair.Driven);
        const double initial = 0.5 / 10, max = 0.5, end0 = 0.3 * 50 - 1; // phase 0 ends at step 14
        static double Anneal(double start, double end, double pct) => end + (start - end) / 2.0 * (Math.Cos(Math.PI * pct) + 1);
        for (int k = 0; k <= 49; k++)
        {
            if (k > 0) pair.Step(scheduler, driver);
            double[] torchSharp = Lrs(pair.Oracle), sched = Lrs(pair.Driven);
            double[] torchSharpMomentum = Momenta(pair.Oracle), schedMomentum = Momenta(pair.Driven);
            Close(torchSharp[0], sched[0], Relative, $"group 0 lr at step {k}");
            Close(torchSharpMomentum[0], schedMomentum[0], Relative, $"group 0 momentum at step {k}");
            Close(Anneal(initial, max, k / end0), torchSharp[1], 1e-12, $"group 1 lr at step {k}");
            Close(Anneal(0.9, 0.8, k / end0), torchSharpMomentum[1], 1e-12, $"group 1 momentum at step {k}");
            Close(sched[0], sched[1], 0, $"Sched group 1 lr at step {k}");
            if (k <= end0) Close(sched[1], torchSharp[1], Relative, $"group 1 lr in phase 0 at step {k}");
        }
        // At step 49 (total_steps - 1) PyTorch gives min_lr = 0.5 / 10 / 100 = 5e-4; TorchSharp's group 1 is phase 0 at pct 49/14:
        // lr 0.275, momentum 0.85 (PyTorch's momentum there: 0.9).
        Assert.Equal(5e-4, Lrs(pair.Driven)[1], 15);
        Assert.Equal(Anneal(initial, max, 49 / end0), Lrs(pair.Oracle)[1], 15);
        Assert.True(Lrs(pair.Oracle)[1] > 0.1, $"TorchSharp group 1 lr at step 49: {Lrs(pair.Oracle)[1]}");
    }

    [Fact]
    public void OneCycleLR_at_total_steps_gives_zero_in_TorchSharp_where_Sched_holds_min_lr()
    {
        // Stepping OneCycleLR total_steps times (last_epoch = total_steps, which PyTorch still accepts) finds no phase in
        // TorchSharp 0.107 (step_num > every end_step, and the group index 0 is not the last phase's index), so lr and momentum
        // become 0. PyTorch takes the last phase there (pct slightly over 1) and raises only after that. Sched holds min_lr and
        // max_momentum from total_steps - 1 on, PyTorch's final values, and the driver holds them past the end.
        using var pair = new Pair(0.1, momentum: 0.9, groups: 1);
        var schedule = Schedule.Parse(OneCycleText).Create();
        var scheduler = OneCycle(pair.Oracle);
        var driver = new ScheduleDriver(schedule, pair.Driven, new ScheduleDriverOptions { PastEnd = PastEndBehavior.Hold });
        for (int k = 1; k <= 50; k++) pair.Step(scheduler, driver);
        Assert.Equal(0.0, Lrs(pair.Oracle)[0]);
        Assert.Equal(0.0, Momenta(pair.Oracle)[0]);
        Assert.Equal(5e-4, Lrs(pair.Driven)[0], 15);
        Assert.Equal(0.9, Momenta(pair.Driven)[0], 15);
        Assert.ThrowsAny<Exception>(() => scheduler.step()); // step 51: TorchSharp throws, as PyTorch does
    }
}
