namespace Sched.Tests;

/// <summary>
/// The fastai presets (Library/fastai.sched) against fastai/callback/schedule.py written out in C#:
/// SchedCos, combine_scheds and the schedules fit_one_cycle, fit_flat_cos and fit_sgdr build.
/// ParamScheduler evaluates at pos = train_iter / total_iter before each batch, so step s is pos = s / T.
/// </summary>
public class FastaiPresetTests
{
    // fastai/callback/schedule.py, sched_cos: start + (1 + cos(pi * (1 - pos))) * (end - start) / 2,
    // written around `end` as end + (start - end) * (1 - cos(pi * (1 - pos))) / 2 (the same expression:
    // (1 + c) / 2 = 1 - (1 - c) / 2). Evaluated literally, fastai's form ends at start + (end - start), which
    // in doubles misses end by up to an ulp of start: 6e-12 relative for one_cycle's lr_max -> lr_max / 1e5.
    private static double SchedCos(double start, double end, double pos) =>
        end + (start - end) * (1 - Math.Cos(Math.PI * (1 - pos))) / 2;

    // fastai/callback/schedule.py, combine_scheds: pcts = cumsum([0] + pcts);
    // idx = min((pos >= pcts).nonzero().max(), len(pcts) - 2); actual_pos = (pos - pcts[idx]) / (pcts[idx+1] - pcts[idx]).
    private static double CombineScheds(double[] pcts, Func<double, double>[] scheds, double pos)
    {
        var cum = new double[pcts.Length + 1];
        for (int i = 0; i < pcts.Length; i++) cum[i + 1] = cum[i] + pcts[i];
        int idx = 0;
        for (int i = 0; i < cum.Length; i++) if (pos >= cum[i]) idx = i;
        idx = Math.Min(idx, cum.Length - 2);
        double actual = (pos - cum[idx]) / (cum[idx + 1] - cum[idx]);
        return scheds[idx](actual);
    }

    // fastai/callback/schedule.py, combined_cos(pct, start, middle, end).
    private static double CombinedCos(double pct, double start, double middle, double end, double pos) =>
        CombineScheds([pct, 1 - pct], [p => SchedCos(start, middle, p), p => SchedCos(middle, end, p)], pos);

    // Past the end fastai stops training; the schedule holds the value at pos = 1.
    private static double Pos(long step, double total) => Math.Min(step, total) / total;

    // fit_one_cycle(5 epochs, lr_max = 0.01, pct_start = 0.3, div = 20, div_final = 1e4) at 7 batches per
    // epoch: T = 35, the phase boundary at 10.5 steps.
    [Fact]
    public void OneCycle_MatchesFitOneCycle_EveryStep()
    {
        var s = Build.Create("""
            schedule S over 5ep {
                lr = one_cycle(0.01, 30%, 20, 1e4)
                momentum = one_cycle_mom(0.95, 0.85, 30%)
            }
            """, 7);
        const double t = 35;
        Expect.Track(s, "lr", 0, 40, x => CombinedCos(0.3, 0.01 / 20, 0.01, 0.01 / 1e4, Pos(x, t)));
        Expect.Track(s, "momentum", 0, 40, x => CombinedCos(0.3, 0.95, 0.85, 0.95, Pos(x, t)));
    }

    // fastai's defaults: pct_start = 0.25, div = 25, div_final = 1e5, moms = (0.95, 0.85, 0.95); 4 epochs
    // of 6 batches, the boundary exactly at step 6.
    [Fact]
    public void OneCycle_Defaults_EveryStep()
    {
        var s = Build.Create("""
            schedule S over 4ep {
                lr = one_cycle(0.003)
                momentum = one_cycle_mom()
            }
            """, 6);
        const double t = 24;
        Expect.Track(s, "lr", 0, 30, x => CombinedCos(0.25, 0.003 / 25, 0.003, 0.003 / 1e5, Pos(x, t)));
        Expect.Track(s, "momentum", 0, 30, x => CombinedCos(0.25, 0.95, 0.85, 0.95, Pos(x, t)));
    }

    // fit_flat_cos: combined_cos(pct_start, lr, lr, lr / div_final); defaults pct_start = 0.75, div_final = 1e5,
    // 3 epochs of 9 batches: the cosine starts at step 20.25.
    [Fact]
    public void FlatCos_MatchesFitFlatCos_EveryStep()
    {
        var s = Build.Create("schedule S over 3ep { lr = flat_cos(0.02) }", 9);
        Expect.Track(s, "lr", 0, 32, x => CombinedCos(0.75, 0.02, 0.02, 0.02 / 1e5, Pos(x, 27)));

        var t = Build.Create("schedule S over 3ep { lr = flat_cos(0.02, 50%, 1e3) }", 9);
        Expect.Track(t, "lr", 0, 32, x => CombinedCos(0.5, 0.02, 0.02, 0.02 / 1e3, Pos(x, 27)));
    }

    // fit_sgdr(n_cycles, cycle_len, lr_max, cycle_mult): n_epoch = cycle_len * (cycle_mult^n_cycles - 1) // (cycle_mult - 1);
    // pcts = [cycle_len * cycle_mult^i / n_epoch]; combine_scheds(pcts, [SchedCos(lr_max, 0)] * n_cycles).
    private static double FitSgdr(int nCycles, double cycleLen, double lrMax, double cycleMult, double pos)
    {
        double nEpoch = Math.Floor(cycleLen * (Math.Pow(cycleMult, nCycles) - 1) / (cycleMult - 1));
        var pcts = Enumerable.Range(0, nCycles).Select(i => cycleLen * Math.Pow(cycleMult, i) / nEpoch).ToArray();
        var scheds = Enumerable.Range(0, nCycles).Select(_ => (Func<double, double>)(p => SchedCos(lrMax, 0, p))).ToArray();
        return CombineScheds(pcts, scheds, pos);
    }

    // 3 cycles of 1, 2, 4 epochs (7 epochs) at 5 batches per epoch: restarts at steps 5 and 15, end at 35.
    [Fact]
    public void Sgdr_MatchesFitSgdr_EveryStep()
    {
        var s = Build.Create("schedule S over 7ep { lr = sgdr(0.1, 1ep) }", 5);
        Expect.Track(s, "lr", 0, 40, x => FitSgdr(3, 1, 0.1, 2, Pos(x, 35)));
    }

    // cycle_mult = 3, cycle_len = 2: cycles of 2, 6 and 18 epochs (26 epochs) at 3 batches per epoch.
    [Fact]
    public void Sgdr_Mult3_EveryStep()
    {
        var s = Build.Create("schedule S over 26ep { lr = sgdr(0.05, 2ep, 3) }", 3);
        Expect.Track(s, "lr", 0, 85, x => FitSgdr(3, 2, 0.05, 3, Pos(x, 78)));
    }
}
