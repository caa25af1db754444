namespace Sched.Tests;

/// <summary>timm_cosine and timm_cosine_prefix (Library/timm.sched) against timm/scheduler/cosine_lr.py CosineLRScheduler._get_lr, written out in C#.</summary>
public class TimmPresetTests
{
    // timm/scheduler/cosine_lr.py CosineLRScheduler._get_lr(t) for one param group with base lr `lr`, t_in_epochs = False.
    private static double TimmLr(double t, double lr, int tInitial, double lrMin, double cycleMul, double cycleDecay,
        int cycleLimit, int warmupT, double warmupLrInit, bool warmupPrefix, double k)
    {
        if (t < warmupT) return warmupLrInit + t * ((lr - warmupLrInit) / warmupT);
        if (warmupPrefix) t -= warmupT;
        double i, tI, tCurr;
        if (cycleMul != 1)
        {
            i = Math.Floor(Math.Log(1 - t / tInitial * (1 - cycleMul)) / Math.Log(cycleMul)); // Python math.log(x, base)
            tI = Math.Pow(cycleMul, i) * tInitial;
            tCurr = t - (1 - Math.Pow(cycleMul, i)) / (1 - cycleMul) * tInitial;
        }
        else
        {
            i = Math.Floor(t / tInitial);
            tI = tInitial;
            tCurr = t - tInitial * i;
        }
        double lrMax = lr * Math.Pow(cycleDecay, i);
        return i < cycleLimit
            ? lrMin + 0.5 * (lrMax - lrMin) * (1 + Math.Cos(Math.PI * Math.Pow(tCurr, k) / Math.Pow(tI, k)))
            : lrMin;
    }

    [Theory]
    // lr, t_initial, lr_min, cycle_mul, cycle_decay, cycle_limit, warmup_t, warmup_lr_init, k_decay
    [InlineData(0.1, 20, 0.001, 1.0, 0.5, 3, 0, 0.0, 1.0)]
    [InlineData(0.1, 20, 0.001, 1.0, 0.5, 3, 6, 0.01, 1.0)]
    [InlineData(1.0, 16, 0.01, 2.0, 0.5, 3, 5, 0.1, 2.0)]
    [InlineData(1.0, 10, 0.0, 2.0, 0.7, 4, 0, 0.0, 0.5)]
    [InlineData(0.05, 30, 0.0, 1.5, 1.0, 2, 4, 0.0, 1.0)]
    public void Timm_cosine_prefix_equals_CosineLRScheduler_with_warmup_prefix(double lr, int tInitial, double lrMin, double cycleMul,
        double cycleDecay, int cycleLimit, int warmupT, double warmupLrInit, double k) =>
        Compare(true, lr, tInitial, lrMin, cycleMul, cycleDecay, cycleLimit, warmupT, warmupLrInit, k);

    // timm's default: the warm-up overwrites the first warmup_t steps of the cycles, which start at t = 0 (rows with
    // warmup_t inside the first cycle, and one past it, in the second).
    [Theory]
    [InlineData(0.1, 20, 0.001, 1.0, 0.5, 3, 6, 0.01, 1.0)]
    [InlineData(1.0, 16, 0.01, 2.0, 0.5, 3, 5, 0.1, 2.0)]
    [InlineData(0.05, 30, 0.0, 1.5, 1.0, 2, 4, 0.0, 1.0)]
    [InlineData(0.2, 10, 0.002, 1.0, 0.8, 3, 14, 0.0, 1.0)]
    public void Timm_cosine_equals_CosineLRScheduler_without_warmup_prefix(double lr, int tInitial, double lrMin, double cycleMul,
        double cycleDecay, int cycleLimit, int warmupT, double warmupLrInit, double k) =>
        Compare(false, lr, tInitial, lrMin, cycleMul, cycleDecay, cycleLimit, warmupT, warmupLrInit, k);

    private static void Compare(bool prefix, double lr, int tInitial, double lrMin, double cycleMul,
        double cycleDecay, int cycleLimit, int warmupT, double warmupLrInit, double k)
    {
        string F(double v) => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        double length = (prefix ? warmupT : 0) + tInitial * (cycleMul == 1 ? cycleLimit : (Math.Pow(cycleMul, cycleLimit) - 1) / (cycleMul - 1));
        int total = (int)Math.Ceiling(length) + 15;
        var s = Build.Create($"schedule S over {total}it {{ lr = {(prefix ? "timm_cosine_prefix" : "timm_cosine")}({F(lr)}, {tInitial}it, {F(lrMin)}, {F(cycleMul)}, {F(cycleDecay)}, " +
                             $"{cycleLimit}, {warmupT}it, {F(warmupLrInit)}, {F(k)}) + const({F(lrMin)}) }}");
        Expect.Track(s, "lr", 0, total + 5, x => TimmLr(x, lr, tInitial, lrMin, cycleMul, cycleDecay, cycleLimit, warmupT, warmupLrInit, prefix, k));
    }

    [Fact]
    public void Without_warmup_the_prefix_flag_does_not_matter()
    {
        var s = Build.Create("schedule S over 90it { lr = timm_cosine_prefix(0.2, 30it, 0.002, 1, 0.8, 3) }");
        Expect.Track(s, "lr", 0, 100, x => TimmLr(x, 0.2, 30, 0.002, 1, 0.8, 3, 0, 0, false, 1));
    }

    // t_in_epochs = True: timm's step(epoch) sets _get_lr(epoch) for the whole epoch, t_initial and warmup_t in epochs.
    [Fact]
    public void In_epochs_the_call_is_quantized_by_epoch()
    {
        var s = Build.Create("schedule S over 40ep { lr = timm_cosine_prefix(0.1, 12ep, 0.001, 1.5, 0.5, 2, warmup_t = 4ep, warmup_lr_init = 0.01) by epoch + const(0.001) }", 5);
        Expect.Track(s, "lr", 0, 205, x => TimmLr(Math.Min(x, 199) / 5, 0.1, 12, 0.001, 1.5, 0.5, 2, 4, 0.01, true, 1));
        var t = Build.Create("schedule S over 40ep { lr = timm_cosine(0.1, 12ep, 0.001, 1.5, 0.5, 2, warmup_t = 4ep, warmup_lr_init = 0.01) by epoch + const(0.001) }", 5);
        Expect.Track(t, "lr", 0, 205, x => TimmLr(Math.Min(x, 199) / 5, 0.1, 12, 0.001, 1.5, 0.5, 2, 4, 0.01, false, 1));
    }
}
