using System.Globalization;

namespace Sched.Tests;

/// <summary>
/// The PyTorch presets (Library/pytorch.sched) against torch/optim/lr_scheduler.py written out in C#.
/// last_epoch counts scheduler.step() calls: the step index for per-batch schedulers, the epoch index
/// (step / stepsPerEpoch, rounded down) for per-epoch ones.
/// </summary>
public class PyTorchPresetTests
{
    // StepLR._get_closed_form_lr: base_lr * gamma ** (last_epoch // step_size); stepped per epoch.
    [Fact]
    public void StepLR_EveryStep()
    {
        var s = Build.Create("schedule S over 10ep { lr = step_lr(0.1, 3ep, 0.5) }", 4);
        Expect.Track(s, "lr", 0, 45, x => 0.1 * Math.Pow(0.5, Math.Min(x, 40) / 4 / 3));
    }

    // ExponentialLR._get_closed_form_lr: base_lr * gamma ** last_epoch; per epoch (default period) and per batch.
    // Past the end the value of the last scheduler step before the end holds (the limit from the left, docs/language.md §1).
    [Fact]
    public void ExponentialLR_EveryStep()
    {
        var s = Build.Create("schedule S over 8ep { lr = exponential(0.1, 0.8) }", 3);
        Expect.Track(s, "lr", 0, 30, x => 0.1 * Math.Pow(0.8, Math.Min(x, 23) / 3));
        var t = Build.Create("schedule S over 50it { lr = exponential(0.1, 0.95, 1it) }");
        Expect.Track(t, "lr", 0, 55, x => 0.1 * Math.Pow(0.95, Math.Min(x, 49)));
    }

    // LinearLR._get_closed_form_lr: base_lr * (start_factor + (end_factor - start_factor) * min(total_iters, last_epoch) / total_iters).
    private static double LinearLR(double lr, double sf, double ef, double total, long e) =>
        lr * (sf + (ef - sf) * Math.Min(total, e) / total);

    [Fact]
    public void LinearLR_EveryStep()
    {
        var s = Build.Create("schedule S over 9ep { lr = linear_lr(0.1) }", 4);
        Expect.Track(s, "lr", 0, 40, x => LinearLR(0.1, 1.0 / 3, 1, 5, Math.Min(x, 36) / 4));
        var t = Build.Create("schedule S over 30it { lr = linear_lr(0.2, 0.1, 0.5, 20it, 1it) }");
        Expect.Track(t, "lr", 0, 35, x => LinearLR(0.2, 0.1, 0.5, 20, Math.Min(x, 30)));
    }

    // PolynomialLR._get_closed_form_lr: base_lr * (1 - min(total_iters, last_epoch) / total_iters) ** power.
    [Fact]
    public void PolynomialLR_EveryStep()
    {
        var s = Build.Create("schedule S over 6ep { lr = polynomial(0.1, 4ep, 2) }", 3);
        Expect.Track(s, "lr", 0, 22, x => 0.1 * Math.Pow(1 - Math.Min(4.0, Math.Min(x, 18) / 3) / 4, 2));
        var t = Build.Create("schedule S over 25it { lr = polynomial(0.1, 20it, 0.9, 1it) }");
        Expect.Track(t, "lr", 0, 30, x => 0.1 * Math.Pow(1 - Math.Min(20.0, Math.Min(x, 25)) / 20, 0.9));
    }

    // CosineAnnealingLR._get_closed_form_lr: eta_min + (base_lr - eta_min) * (1 + cos(pi * last_epoch / T_max)) / 2,
    // with the schedule's total = T_max (the preset holds eta_min after t_max, where PyTorch's formula rises again).
    [Fact]
    public void CosineAnnealingLR_EveryStep()
    {
        var s = Build.Create("schedule S over 6ep { lr = cosine_annealing(0.1, 6ep, 0.001) }", 3);
        Expect.Track(s, "lr", 0, 22, x => 0.001 + (0.1 - 0.001) * (1 + Math.Cos(Math.PI * (Math.Min(x, 18) / 3) / 6)) / 2);
        var t = Build.Create("schedule S over 40it { lr = cosine_annealing(0.1, 40it, period = 1it) }");
        Expect.Track(t, "lr", 0, 45, x => 0.1 * (1 + Math.Cos(Math.PI * Math.Min(x, 40) / 40)) / 2);
    }

    // CosineAnnealingWarmRestarts.step() without an epoch: T_cur += 1; if T_cur >= T_i: T_cur -= T_i; T_i *= T_mult;
    // get_lr: eta_min + (base_lr - eta_min) * (1 + cos(pi * T_cur / T_i)) / 2.
    private static double[] WarmRestartsStepped(double lr, int t0, int tMult, double etaMin, int steps)
    {
        var values = new double[steps + 1];
        double tCur = 0, tI = t0;
        for (int e = 0; e <= steps; e++)
        {
            if (e > 0)
            {
                tCur += 1;
                if (tCur >= tI) { tCur -= tI; tI *= tMult; }
            }
            values[e] = etaMin + (lr - etaMin) * (1 + Math.Cos(Math.PI * tCur / tI)) / 2;
        }
        return values;
    }

    // Per batch: T_0 = 5, T_mult = 2: restarts at 5, 15, 35; the total 40 cuts the fourth cycle.
    [Fact]
    public void WarmRestarts_PerBatch_EveryStep()
    {
        var s = Build.Create("schedule S over 40it { lr = warm_restarts(0.1, 5it, 2, 0.001) }");
        var v = WarmRestartsStepped(0.1, 5, 2, 0.001, 40);
        Expect.Track(s, "lr", 0, 45, x => v[Math.Min(x, 40)]);  // past the end: the limit at 40, T_cur = 5 of T_i = 40
    }

    // Per epoch (period = 1ep), T_0 = 3 epochs, T_mult = 1, 4 batches per epoch.
    [Fact]
    public void WarmRestarts_PerEpoch_EveryStep()
    {
        var s = Build.Create("schedule S over 10ep { lr = warm_restarts(0.1, 3ep, period = 1ep) }", 4);
        var v = WarmRestartsStepped(0.1, 3, 1, 0, 10);
        Expect.Track(s, "lr", 0, 45, x => v[Math.Min(x, 40) / 4]);  // past the end: epoch 10's value (T_cur = 1 after the restart at 9)
    }

    // step(epoch) with fractional epochs, PyTorch's per-batch recipe step(epoch + i / iters):
    // n = int(log(epoch / T_0 * (T_mult - 1) + 1, T_mult)); T_cur = epoch - T_0 * (T_mult ** n - 1) / (T_mult - 1); T_i = T_0 * T_mult ** n.
    [Fact]
    public void WarmRestarts_FractionalEpochs_EveryStep()
    {
        var s = Build.Create("schedule S over 14ep { lr = warm_restarts(0.1, 2ep, 2) }", 5);
        Expect.Track(s, "lr", 0, 69, x =>
        {
            double epoch = x / 5.0, tCur = epoch, tI = 2;
            if (epoch >= 2)
            {
                int n = (int)(Math.Log(epoch / 2 * (2 - 1) + 1) / Math.Log(2));
                tCur = epoch - 2 * (Math.Pow(2, n) - 1) / (2 - 1);
                tI = 2 * Math.Pow(2, n);
            }
            return 0.1 * (1 + Math.Cos(Math.PI * tCur / tI)) / 2;
        });
    }

    // OneCycleLR.get_lr (anneal_strategy = 'cos', three_phase = False): phases end at float(pct_start * total_steps) - 1
    // and total_steps - 1; pct = (step_num - start_step) / (end_step - start_step); _annealing_cos(start, end, pct) =
    // end + (start - end) / 2 * (cos(pi * pct) + 1). PyTorch steps at most total_steps times; the preset holds from T - 1.
    private static double OneCycle(double start, double middle, double end, double pctStart, int total, long step)
    {
        double[] ends = [pctStart * total - 1, total - 1];
        double[] from = [start, middle], to = [middle, end];
        double startStep = 0;
        for (int i = 0; i < 2; i++)
        {
            if (step <= ends[i] || i == 1)
            {
                double pct = (step - startStep) / (ends[i] - startStep);
                return to[i] + (from[i] - to[i]) / 2 * (Math.Cos(Math.PI * pct) + 1);
            }
            startStep = ends[i];
        }
        throw new InvalidOperationException();
    }

    [Theory]
    [InlineData(50, 0.3)]   // phase 1 ends at step 14
    [InlineData(37, 0.25)]  // phase 1 ends at 8.25
    public void OneCycleLR_EveryStep(int total, double pct)
    {
        var s = Build.Create($$"""
            schedule S(pct = {{pct * 100}}%) over {{total}}it {
                lr = torch_one_cycle(0.1, pct)
                momentum = torch_one_cycle_mom(pct_start = pct)
            }
            """);
        Expect.Track(s, "lr", 0, total + 5, x => OneCycle(0.1 / 25, 0.1, 0.1 / 25 / 1e4, pct, total, Math.Min(x, total - 1)));
        Expect.Track(s, "momentum", 0, total + 5, x => OneCycle(0.95, 0.85, 0.95, pct, total, Math.Min(x, total - 1)));
    }

    // OneCycleLR with div_factor = 10, final_div_factor = 100.
    [Fact]
    public void OneCycleLR_Factors_EveryStep()
    {
        var s = Build.Create("schedule S over 60it { lr = torch_one_cycle(0.5, 40%, 10, 100) }");
        Expect.Track(s, "lr", 0, 65, x => OneCycle(0.05, 0.5, 0.05 / 100, 0.4, 60, Math.Min(x, 59)));
    }

    // CyclicLR.get_lr: cycle = floor(1 + last_epoch / total_size); x = 1 + last_epoch / total_size - cycle;
    // scale_factor = x / step_ratio if x <= step_ratio else (x - 1) / (step_ratio - 1);
    // lr = base_lr + (max_lr - base_lr) * scale_factor * scale_fn(cycle or last_epoch).
    private static double Cyclic(double baseLr, double maxLr, double up, double down, string mode, double gamma, long step)
    {
        double totalSize = up + down, stepRatio = up / totalSize;
        double cycle = Math.Floor(1 + step / totalSize);
        double x = 1.0 + step / totalSize - cycle;
        double scale = x <= stepRatio ? x / stepRatio : (x - 1) / (stepRatio - 1);
        double fn = mode switch
        {
            "triangular" => 1.0,
            "triangular2" => 1 / Math.Pow(2.0, cycle - 1),
            _ => Math.Pow(gamma, step),
        };
        return baseLr + (maxLr - baseLr) * scale * fn;
    }

    // CyclicLR.get_lr with cycle_momentum: momentum = max_momentum - (max_momentum - base_momentum) * scale_factor * scale_fn(...),
    // the same scale_factor and scale_fn as the lr: the momentum falls while the lr rises.
    private static double CyclicMomentum(double baseM, double maxM, double up, double down, string mode, double gamma, long step) =>
        maxM - (Cyclic(0, 1, up, down, mode, gamma, step) * (maxM - baseM));

    [Fact]
    public void CyclicLR_Momentum_EveryStep_InEachMode()
    {
        var s = Build.Create("""
            schedule S over 60it {
                lr       = cyclic(0.01, 0.1, 4it, 6it)
                momentum = cyclic_mom(4it, 6it)
            }
            """);
        Expect.Track(s, "momentum", 0, 65, x => CyclicMomentum(0.8, 0.9, 4, 6, "triangular", 1, Math.Min(x, 60)));
        var t = Build.Create("schedule S over 53it { lr = cyclic2(0.01, 0.1, 5it, 3it); momentum = cyclic2_mom(5it, 3it, 0.85, 0.95) }");
        Expect.Track(t, "momentum", 0, 60, x => CyclicMomentum(0.85, 0.95, 5, 3, "triangular2", 1, Math.Min(x, 53)));
        var u = Build.Create("schedule S over 57it { lr = cyclic_exp(0.01, 0.1, 4it, 0.99, 6it); momentum = cyclic_exp_mom(4it, 0.99, 6it) }");
        Expect.Track(u, "momentum", 0, 62, x => CyclicMomentum(0.8, 0.9, 4, 6, "exp_range", 0.99, Math.Min(x, 57)));
    }

    [Fact]
    public void CyclicLR_Triangular_EveryStep()
    {
        var s = Build.Create("schedule S over 60it { lr = cyclic(0.01, 0.1, 4it, 6it) }");
        Expect.Track(s, "lr", 0, 65, x => Cyclic(0.01, 0.1, 4, 6, "triangular", 1, Math.Min(x, 60)));
        var t = Build.Create("schedule S over 45it { lr = cyclic(0.001, 0.006, 5it) }");
        Expect.Track(t, "lr", 0, 50, x => Cyclic(0.001, 0.006, 5, 5, "triangular", 1, Math.Min(x, 45)));
    }

    [Fact]
    public void CyclicLR_Triangular2_EveryStep()
    {
        var s = Build.Create("schedule S over 53it { lr = cyclic2(0.01, 0.1, 4it, 6it) }");
        Expect.Track(s, "lr", 0, 60, x => Cyclic(0.01, 0.1, 4, 6, "triangular2", 1, Math.Min(x, 53)));
    }

    [Fact]
    public void CyclicLR_ExpRange_EveryStep()
    {
        var s = Build.Create("schedule S over 57it { lr = cyclic_exp(0.01, 0.1, 4it, 0.99, 6it) }");
        Expect.Track(s, "lr", 0, 62, x => Cyclic(0.01, 0.1, 4, 6, "exp_range", 0.99, Math.Min(x, 57)));
    }

    // MultiStepLR._get_closed_form_lr: base_lr * gamma ** bisect_right(milestones, last_epoch) (milestones sorted, repeats kept).
    private static double MultiStep(double lr, double gamma, int[] milestones, long e) =>
        lr * Math.Pow(gamma, milestones.Count(m => m <= e));

    // Per epoch, 3 steps per epoch: milestones 2, 5, 5 (a repeated milestone drops twice), 8; unsorted; a single one.
    [Fact]
    public void MultiStepLR_PerEpoch_EveryStep()
    {
        var s = Build.Create("schedule S over 10ep { lr = multi_step(0.1, [2, 5, 5, 8], gamma = 0.5) }", 3);
        Expect.Track(s, "lr", 0, 35, x => MultiStep(0.1, 0.5, [2, 5, 5, 8], Math.Min(x, 30) / 3));
        var t = Build.Create("schedule S over 12ep { lr = multi_step(0.2, [7, 3]) }", 3);
        Expect.Track(t, "lr", 0, 40, x => MultiStep(0.2, 0.1, [3, 7], Math.Min(x, 36) / 3));
        var u = Build.Create("schedule S over 6ep { lr = multi_step(0.1, [1]) }", 3);
        Expect.Track(u, "lr", 0, 20, x => MultiStep(0.1, 0.1, [1], Math.Min(x, 18) / 3));
    }

    // Per batch: milestones 7, 7 (compounding), 20; nine milestones; four at once; past the end the last value holds.
    [Fact]
    public void MultiStepLR_PerBatch_EveryStep()
    {
        var s = Build.Create("schedule S over 30it { lr = multi_step(0.1, [7, 7, 20], period = 1it) }");
        Expect.Track(s, "lr", 0, 35, x => MultiStep(0.1, 0.1, [7, 7, 20], Math.Min(x, 30)));
        var t = Build.Create("schedule S over 50it { lr = multi_step(0.1, [10, 20, 30, 40, 45, 47, 48, 49, 50], 0.7, 1it) }");
        Expect.Track(t, "lr", 0, 55, x => MultiStep(0.1, 0.7, [10, 20, 30, 40, 45, 47, 48, 49, 50], Math.Min(x, 50)));
        var u = Build.Create("schedule S over 3ep { lr = multi_step(0.1, [5, 5, 5, 5], 0.5, 1it) }", 4);
        Expect.Track(u, "lr", 0, 15, x => MultiStep(0.1, 0.5, [5, 5, 5, 5], Math.Min(x, 12)));
    }

    // OneCycleLR.get_lr written out for any phase list: for step s, the first phase with s <= end_step (or the last),
    // pct = (s - start_step) / (end_step - start_step), start_step the previous phase's end_step (0 first);
    // _annealing_cos(start, end, pct) = end + (start - end) / 2 * (cos(pi * pct) + 1);
    // _annealing_linear(start, end, pct) = (end - start) * pct + start.
    private static double OneCyclePhases(double[] ends, double[] from, double[] to, bool linear, long step)
    {
        double startStep = 0;
        for (int i = 0; i < ends.Length; i++)
        {
            if (step <= ends[i] || i == ends.Length - 1)
            {
                double pct = (step - startStep) / (ends[i] - startStep);
                return linear
                    ? (to[i] - from[i]) * pct + from[i]
                    : to[i] + (from[i] - to[i]) / 2 * (Math.Cos(Math.PI * pct) + 1);
            }
            startStep = ends[i];
        }
        throw new InvalidOperationException();
    }

    // anneal_strategy = 'linear', two phases ending at float(pct_start * T) - 1 and T - 1.
    [Theory]
    [InlineData(100, 0.3)]
    [InlineData(37, 0.25)]  // phase 1 ends at 8.25
    public void OneCycleLR_Linear_EveryStep(int total, double pct)
    {
        var s = Build.Create($$"""
            schedule S(pct = {{pct * 100}}%) over {{total}}it {
                lr = torch_one_cycle_linear(0.1, pct)
                momentum = torch_one_cycle_linear_mom(pct_start = pct)
            }
            """);
        double[] ends = [pct * total - 1, total - 1];
        double initial = 0.1 / 25, min = initial / 1e4;
        Expect.Track(s, "lr", 0, total + 5, x => OneCyclePhases(ends, [initial, 0.1], [0.1, min], true, Math.Min(x, total - 1)));
        Expect.Track(s, "momentum", 0, total + 5, x => OneCyclePhases(ends, [0.95, 0.85], [0.85, 0.95], true, Math.Min(x, total - 1)));
        var t = Build.Create($"schedule S over {total}it {{ lr = torch_one_cycle_linear(0.5, 40%, 10, 100) }}");
        double[] ends2 = [0.4 * total - 1, total - 1];
        Expect.Track(t, "lr", 0, total + 5, x => OneCyclePhases(ends2, [0.05, 0.5], [0.5, 0.0005], true, Math.Min(x, total - 1)));
    }

    // three_phase = True: phases end at float(pct_start * T) - 1, float(2 * pct_start * T) - 2 and T - 1;
    // lr initial_lr -> max_lr -> initial_lr -> min_lr; momentum max -> base -> max -> max; cos or linear anneal.
    // PyTorch steps at most total_steps times; the preset holds the value its last phase gives at T - 1, which for
    // linear is (min_lr - initial_lr) * 1 + initial_lr: 4.0000000000022656e-07, not min_lr = 4e-07 (5.7e-13 relative).
    [Theory]
    [InlineData(100, 0.3, false)]  // phases end at 29, 58, 99
    [InlineData(37, 0.25, false)]  // phases end at 8.25, 16.5, 36
    [InlineData(37, 0.4, false)]   // phases end at 13.8, 27.6, 36
    [InlineData(100, 0.3, true)]
    [InlineData(37, 0.25, true)]
    [InlineData(37, 0.4, true)]
    public void OneCycleLR_ThreePhase_EveryStep(int total, double pct, bool linear)
    {
        string preset = linear ? "torch_one_cycle_3_linear" : "torch_one_cycle_3";
        var s = Build.Create($$"""
            schedule S(pct = {{pct * 100}}%) over {{total}}it {
                lr = {{preset}}(0.1, pct)
                momentum = {{preset}}_mom(pct_start = pct)
            }
            """);
        double[] ends = [pct * total - 1, 2 * pct * total - 2, total - 1];
        double initial = 0.1 / 25, min = initial / 1e4;
        Expect.Track(s, "lr", 0, total + 5, x => OneCyclePhases(ends, [initial, 0.1, initial], [0.1, initial, min], linear, Math.Min(x, total - 1)));
        Expect.Track(s, "momentum", 0, total + 5, x => OneCyclePhases(ends, [0.95, 0.85, 0.95], [0.85, 0.95, 0.95], linear, Math.Min(x, total - 1)));
        // The held value is PyTorch's at T - 1, bit for bit.
        Assert.Equal(OneCyclePhases(ends, [initial, 0.1, initial], [0.1, initial, min], linear, total - 1), s.ValueAt("lr", total + 3));
        var t = Build.Create($$"""
            schedule S over {{total}}it {
                lr = {{preset}}(0.5, 20%, 10, 100)
                momentum = {{preset}}_mom(0.8, 0.9, 20%)
            }
            """);
        double[] ends2 = [0.2 * total - 1, 2 * 0.2 * total - 2, total - 1];
        Expect.Track(t, "lr", 0, total + 5, x => OneCyclePhases(ends2, [0.05, 0.5, 0.05], [0.5, 0.05, 0.0005], linear, Math.Min(x, total - 1)));
        Expect.Track(t, "momentum", 0, total + 5, x => OneCyclePhases(ends2, [0.9, 0.8, 0.9], [0.8, 0.9, 0.9], linear, Math.Min(x, total - 1)));
    }

    // Warm-up + cosine as PyTorch users build it: SequentialLR(opt, [LinearLR(opt, start_factor = sf, end_factor = 1, total_iters = W),
    // CosineAnnealingLR(opt, T_max, eta_min)], milestones = [W]) (torch/optim/lr_scheduler.py). SequentialLR.step: last_epoch += 1;
    // idx = bisect_right(milestones, last_epoch); at the milestone it calls schedulers[idx].step(0), which restarts the cosine's
    // last_epoch at 0 and uses CosineAnnealingLR._get_closed_form_lr; every other step calls step(). So after s scheduler steps:
    // s < W: LinearLR._get_closed_form_lr = base_lr * (sf + (1 - sf) * min(W, s) / W);
    // s >= W: eta_min + (base_lr - eta_min) * (1 + cos(pi * (s - W) / T_max)) / 2.
    // Past W + T_max PyTorch's cosine rises again; warmup_cos holds eta_min (the expected values stop at s = W + T_max).
    private static double SequentialWarmupCosine(double lr, double sf, int w, int tMax, double etaMin, long s) =>
        s < w
            ? lr * (sf + (1 - sf) * Math.Min(w, s) / w)
            : etaMin + (lr - etaMin) * (1 + Math.Cos(Math.PI * (s - w) / tMax)) / 2;

    [Theory]
    [InlineData(0.1, 0.1, 8, 52, 0.001)]
    [InlineData(0.05, 1.0 / 3, 5, 20, 0.0)]     // LinearLR's default start_factor
    [InlineData(0.2, 0.001, 13, 37, 1e-5)]
    public void SequentialLR_LinearLR_then_CosineAnnealingLR_per_batch_is_warmup_cos(double lr, double sf, int w, int tMax, double etaMin)
    {
        var s = Build.Create(string.Create(CultureInfo.InvariantCulture,
            $"schedule S over {w + tMax}it {{ lr = warmup_cos({lr:R}, {w}it, {etaMin:R}, {lr:R} * {sf:R}) }}"));
        Expect.Track(s, "lr", 0, w + tMax + 5, x => SequentialWarmupCosine(lr, sf, w, tMax, etaMin, Math.Min(x, w + tMax)));
    }

    // The same SequentialLR stepped once per epoch: last_epoch is the epoch index, floor(step / stepsPerEpoch).
    [Theory]
    [InlineData(0.1, 0.1, 3, 12, 0.001, 3)]
    [InlineData(0.05, 1.0 / 3, 5, 10, 0.0, 4)]
    public void SequentialLR_LinearLR_then_CosineAnnealingLR_per_epoch_is_warmup_cos_by_epoch(double lr, double sf, int w, int tMax, double etaMin, int stepsPerEpoch)
    {
        var s = Build.Create(string.Create(CultureInfo.InvariantCulture,
            $"schedule S over {w + tMax}ep {{ lr = warmup_cos({lr:R}, {w}ep, {etaMin:R}, {lr:R} * {sf:R}) by epoch }}"), stepsPerEpoch);
        long end = (long)(w + tMax) * stepsPerEpoch;
        Expect.Track(s, "lr", 0, end + 2 * stepsPerEpoch, x => SequentialWarmupCosine(lr, sf, w, tMax, etaMin, Math.Min(x / stepsPerEpoch, w + tMax)));
    }
}
