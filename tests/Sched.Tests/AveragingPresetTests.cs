using System.Globalization;

namespace Sched.Tests;

/// <summary>
/// The weight-averaging presets against their anchors written out in C#: PyTorch's SWALR (stepped, with its recursive
/// <c>_get_initial_lr</c>), OneCycleLR followed by SWALR, the documented SWA update loop, and timm's ModelEmaV3.get_decay.
/// </summary>
public class AveragingPresetTests
{
    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    // torch/optim/swa_utils.py SWALR: construction calls step() once (_step_count = 1); each get_lr uses step = _step_count - 1,
    // max(1, step) when anneal_epochs = 0, recovers the start lr from the group's current lr with _get_initial_lr and the
    // previous alpha, and returns swa_lr * alpha + lr * (1 - alpha). values[k] is the group's lr after k step() calls.
    private static double[] SwalrStepped(double groupLr, double swaLr, int annealEpochs, bool cosine, int steps)
    {
        double Anneal(double t) => cosine ? (1 - Math.Cos(Math.PI * t)) / 2 : t;
        double InitialLr(double lr, double alpha) => alpha == 1 ? swaLr : (lr - alpha * swaLr) / (1 - alpha);
        var values = new double[steps + 1];
        for (int k = 0; k <= steps; k++)
        {
            int step = annealEpochs == 0 ? Math.Max(1, k) : k;
            double prevAlpha = Anneal(Math.Max(0, Math.Min(1, (step - 1) / (double)Math.Max(1, annealEpochs))));
            double prevLr = InitialLr(groupLr, prevAlpha);
            double alpha = Anneal(Math.Max(0, Math.Min(1, step / (double)Math.Max(1, annealEpochs))));
            groupLr = swaLr * alpha + prevLr * (1 - alpha);
            values[k] = groupLr;
        }
        return values;
    }

    [Theory]
    [InlineData(4, true)]
    [InlineData(3, false)]
    [InlineData(1, true)]
    [InlineData(0, true)]
    [InlineData(0, false)]
    public void Swalr_per_epoch_equals_SWALR_stepped_after_each_epoch(int annealEpochs, bool cosine)
    {
        // A constant 0.05 for two epochs, then SWALR created at the switch: k = the SWALR steps taken, one per epoch.
        string preset = cosine ? "swalr" : "swalr_linear";
        var s = Build.Create($"schedule S over 10ep {{ lr = const(0.05, 2ep) + {preset}(0.05, 0.002, {annealEpochs}ep) }}", 4);
        var swalr = SwalrStepped(0.05, 0.002, annealEpochs, cosine, 8);
        Expect.Track(s, "lr", 0, 45, x => x < 8 ? 0.05 : swalr[Math.Min(x, 39) / 4 - 2]);
    }

    [Fact]
    public void Swalr_from_a_small_lr_keeps_it_exactly()
    {
        // SWALR's first value is the group's lr itself; with lr far below swa_lr, cos(lr -> swa_lr) would round it away.
        var s = Build.Create("schedule S over 8ep { lr = const(4e-7, 1ep) + swalr(4e-7, 0.01, 5ep) }", 3);
        var swalr = SwalrStepped(4e-7, 0.01, 5, cosine: true, 7);
        Expect.Track(s, "lr", 0, 26, x => x < 3 ? 4e-7 : swalr[Math.Min(x, 23) / 3 - 1]);
        Assert.Equal(4e-7, s.ValueAt("lr", 3));
    }

    [Fact]
    public void Swalr_per_batch_equals_SWALR_stepped_after_each_batch()
    {
        var s = Build.Create("schedule S over 40it { lr = const(0.1, 10it) + swalr(0.1, 0.01, 15it, 1it) }");
        var swalr = SwalrStepped(0.1, 0.01, 15, cosine: true, 30);
        Expect.Track(s, "lr", 0, 45, x => x < 10 ? 0.1 : swalr[Math.Min(x, 40) - 10]);
        var t = Build.Create("schedule S over 40it { lr = const(0.1, 10it) + swalr_linear(0.1, 0.01, 15it, 1it) }");
        var linear = SwalrStepped(0.1, 0.01, 15, cosine: false, 30);
        Expect.Track(t, "lr", 0, 45, x => x < 10 ? 0.1 : linear[Math.Min(x, 40) - 10]);
    }

    // torch/optim/lr_scheduler.py OneCycleLR.get_lr, cos, two phases, at any step_num up to total_steps: phase ends
    // float(pct_start * total_steps) - 1 and total_steps - 1; the last phase also serves step_num = total_steps, with pct > 1.
    // _annealing_cos(start, end, pct) = end + (start - end) / 2.0 * (cos(pi * pct) + 1).
    private static double OneCycle(double start, double middle, double end, double pctStart, int total, int stepNum)
    {
        double[] ends = [pctStart * total - 1, total - 1];
        double[] from = [start, middle], to = [middle, end];
        double startStep = 0;
        for (int i = 0; i < 2; i++)
        {
            if (stepNum <= ends[i] || i == 1)
            {
                double pct = (stepNum - startStep) / (ends[i] - startStep);
                return to[i] + (from[i] - to[i]) / 2.0 * (Math.Cos(Math.PI * pct) + 1);
            }
            startStep = ends[i];
        }
        throw new InvalidOperationException();
    }

    [Theory]
    // steps per epoch, cycle epochs, total epochs, pct_start in %, max_lr, swa_lr, anneal_epochs
    [InlineData(5, 4, 9, 30, 0.1, 0.01, 0)]
    [InlineData(7, 3, 8, 25, 0.4, 0.05, 2)]
    [InlineData(10, 2, 6, 40, 0.2, 0.002, 3)]
    [InlineData(391, 20, 30, 30, 0.1, 0.01, 5)]
    public void One_cycle_then_SWA_equals_OneCycleLR_then_SWALR(int spe, int cycleEpochs, int epochs, int pctPercent, double maxLr, double swaLr, int anneal)
    {
        double pctStart = pctPercent / 100.0;
        var s = Build.Create($$"""
            schedule S over {{epochs}}ep {
                lr       = torch_one_cycle_swa({{F(maxLr)}}, {{F(swaLr)}}, {{cycleEpochs}}ep, {{pctPercent}}%, anneal_epochs = {{anneal}}ep)
                momentum = torch_one_cycle_swa_mom({{cycleEpochs}}ep, pct_start = {{pctPercent}}%)
            }
            """, spe);
        int total = cycleEpochs * spe, last = epochs * spe;
        double initial = maxLr / 25, min = initial / 1e4;
        // OneCycleLR's T-th step() sets the lr and momentum of step T; SWALR, created then, starts from that lr, stepped per epoch.
        var swalr = SwalrStepped(OneCycle(initial, maxLr, min, pctStart, total, total), swaLr, anneal, cosine: true, epochs - cycleEpochs);
        Expect.Track(s, "lr", 0, last + 5, x =>
            x < total ? OneCycle(initial, maxLr, min, pctStart, total, (int)x) : swalr[(Math.Min(x, last - 1) - total) / spe]);
        Expect.Track(s, "momentum", 0, last + 5, x => OneCycle(0.95, 0.85, 0.95, pctStart, total, (int)Math.Min(x, total)));
    }

    [Fact]
    public void One_cycle_then_SWA_at_a_constant_lr_switches_at_the_cycles_end()
    {
        // The seed's recipe: OneCycleLR over 20 of 30 epochs, then SWA at a constant 0.01.
        var s = Build.Create("schedule S over 30ep { lr = torch_one_cycle_swa(0.1, 0.01, 20ep, anneal_epochs = 0ep) }", 391);
        Expect.At(s, "lr", 20 * 391 - 1, 0.1 / 25 / 1e4);
        Expect.Track(s, "lr", 20 * 391, 30 * 391 + 3, _ => 0.01);
    }

    // The documented loop: `for epoch in range(E): train(...); if epoch > swa_start: swa_model.update_parameters(model)`.
    [Theory]
    [InlineData(4, 3, 8)]
    [InlineData(1, 0, 5)]
    public void Swa_from_is_1_after_the_last_step_of_every_epoch_past_swa_start(int spe, int swaStart, int epochs)
    {
        var s = Build.Create($"schedule S over {epochs}ep {{ lr = 0.1; swa = swa_from({swaStart + 1}ep) }}", spe);
        Expect.Track(s, "swa", 0, epochs * spe + 3, x =>
        {
            if (x >= epochs * spe) return 0;
            long epoch = x / spe;
            bool lastStepOfEpoch = x % spe == spe - 1;
            return lastStepOfEpoch && epoch > swaStart ? 1 : 0;
        });
    }

    [Fact]
    public void Swa_from_with_a_period_of_one_step_averages_after_every_step()
    {
        var s = Build.Create("schedule S over 5ep { lr = 0.1; swa = swa_from(2ep, 1it) }", 4);
        Expect.Track(s, "swa", 0, 24, x => x >= 8 && x < 20 ? 1 : 0);
    }

    // timm/utils/model_ema.py ModelEmaV3.get_decay(step), called as update(model, step = num_updates) after each optimizer
    // step, num_updates counting the steps taken: the update after 0-based step s passes s + 1.
    private static double TimmDecay(long step, double decay, double minDecay, int updateAfterStep, bool useWarmup, double gamma, double power)
    {
        step = Math.Max(0, step - updateAfterStep - 1);
        if (step <= 0) return 0.0;
        if (!useWarmup) return decay;
        double d = 1 - Math.Pow(1 + step / gamma, -power);
        return Math.Max(Math.Min(d, decay), minDecay);
    }

    [Theory]
    // decay, min_decay, update_after_step, warmup_gamma, warmup_power
    [InlineData(0.9999, 0.0, 0, 1.0, 2.0 / 3)]
    [InlineData(0.999, 0.5, 10, 1.0, 0.75)]
    [InlineData(0.99, 0.0, 3, 4.0, 1.0)]
    public void Timm_ema_warmup_equals_ModelEmaV3_get_decay(double decay, double minDecay, int after, double gamma, double power)
    {
        var s = Build.Create($"schedule S over 3000it {{ lr = 0.1; ema = timm_ema_warmup({F(decay)}, {F(minDecay)}, {after}it, {F(gamma)}, {F(power)}) }}");
        Expect.Track(s, "ema", 0, 3005, x => TimmDecay(Math.Min(x, 3000) + 1, decay, minDecay, after, useWarmup: true, gamma, power));
    }

    [Fact]
    public void Timm_ema_warmup_defaults_reach_0_999_near_31_6k_updates_as_timm_says()
    {
        // timm's comment: inv_gamma = 1, power = 2/3 reaches decay 0.999 at 31.6K steps.
        var s = Build.Create("schedule S over 40000it { lr = 0.1; ema = timm_ema_warmup() }");
        Assert.InRange(s.ValueAt("ema", 31_000), 0.998, 0.999);
        Assert.InRange(s.ValueAt("ema", 32_000), 0.999, 0.9991);
    }

    [Theory]
    [InlineData(0.9999, 0)]
    [InlineData(0.99, 5)]
    public void Timm_ema_equals_ModelEmaV3_get_decay_without_warmup(double decay, int after)
    {
        var s = Build.Create($"schedule S over 50it {{ lr = 0.1; ema = timm_ema({F(decay)}, {after}it) }}");
        Expect.Track(s, "ema", 0, 55, x => TimmDecay(Math.Min(x, 50) + 1, decay, 0, after, useWarmup: false, 1, 1));
    }
}
