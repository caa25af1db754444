namespace Sched.Tests;

/// <summary>Schedules from papers and libraries, checked against their published closed forms.</summary>
public class LiteratureScheduleTests
{
    private const string SmithOneCycle = """
        /// Leslie Smith's 1cycle with cyclical momentum (fastai use_clr_beta, 95 epochs).
        schedule SmithOneCycle(peak = 0.8) over 95ep {
            lr       = lin(peak/10 -> peak, 41ep) + lin(peak -> peak/10, 41ep) + lin(peak/10 -> peak/1000, rest)
            momentum = lin(0.95 -> 0.85, 41ep) + lin(0.85 -> 0.95, 41ep) + const(0.95, rest)
        }
        """;

    // Smith's 1cycle at 10 steps/epoch: phases of 410, 410 and 130 steps.
    [Fact]
    public void SmithOneCycle_PhasesAtTenStepsPerEpoch()
    {
        var s = Build.Create(SmithOneCycle, 10);
        const double peak = 0.8;
        double lo = peak / 10, end = peak / 1000;

        Assert.Equal(950, s.TotalSteps);
        Assert.Equal(10, s.StepsPerEpoch);
        Assert.Equal(new[] { "lr", "momentum" }, s.TrackNames);

        Expect.At(s, "lr", 0, lo);
        Expect.At(s, "lr", 205, lo + (peak - lo) * (205.0 / 410));
        Expect.At(s, "lr", 410, peak);
        Expect.At(s, "lr", 820, lo);
        Expect.At(s, "lr", 949, lo + (end - lo) * (129.0 / 130));
        Expect.At(s, "lr", 950, end);
        Expect.At(s, "lr", 10000, end);

        Expect.At(s, "momentum", 0, 0.95);
        Expect.At(s, "momentum", 205, 0.95 + (0.85 - 0.95) * (205.0 / 410));
        Expect.At(s, "momentum", 410, 0.85);
        Expect.At(s, "momentum", 820, 0.95);
        Expect.At(s, "momentum", 949, 0.95);
        Expect.At(s, "momentum", 950, 0.95);
        Expect.At(s, "momentum", 10000, 0.95);
    }

    // Every step of both tracks, so no phase boundary is off by one.
    [Fact]
    public void SmithOneCycle_EveryStep()
    {
        var s = Build.Create(SmithOneCycle, 10);
        const double peak = 0.8;
        double lo = peak / 10, end = peak / 1000;
        Expect.Track(s, "lr", 0, 960, x =>
            x < 410 ? lo + (peak - lo) * (x / 410.0)
            : x < 820 ? peak + (lo - peak) * ((x - 410) / 410.0)
            : x < 950 ? lo + (end - lo) * ((x - 820) / 130.0)
            : end);
        Expect.Track(s, "momentum", 0, 960, x =>
            x < 410 ? 0.95 + (0.85 - 0.95) * (x / 410.0)
            : x < 820 ? 0.85 + (0.95 - 0.85) * ((x - 410) / 410.0)
            : 0.95);
    }

    // Triangular cosine cycles of 80 steps (40 up, 40 down) repeated to fill 800 steps: ten cycles.
    [Fact]
    public void CosineTriangleRepeatedFillsTenCycles()
    {
        var s = Build.Create("""
            schedule CosTriangle over 800it {
                lr = repeat { cos(0 -> 1.13e-6, 40it) + cos(1.13e-6 -> 0, 40it) }
            }
            """);
        const double peak = 1.13e-6;
        Assert.Equal(800, s.TotalSteps);

        Expect.At(s, "lr", 0, 0);
        Expect.At(s, "lr", 40, peak);
        Expect.At(s, "lr", 80, 0);
        Expect.At(s, "lr", 120, peak);
        Expect.At(s, "lr", 160, 0);
        Expect.At(s, "lr", 800, 0);

        Expect.Track(s, "lr", 0, 810, x =>
        {
            if (x >= 800) return 0 + (peak - 0) * (1 + Math.Cos(Math.PI * 1)) / 2; // held: end of the down phase
            long k = x / 80;
            double u = x - 80 * k;
            return u < 40
                ? peak + (0 - peak) * (1 + Math.Cos(Math.PI * (u / 40))) / 2
                : 0 + (peak - 0) * (1 + Math.Cos(Math.PI * ((u - 40) / 40))) / 2;
        });

        // Ten peaks and ten troughs in the run.
        int peaks = 0, troughs = 0;
        for (int x = 0; x < 800; x++)
        {
            double v = s.ValueAt("lr", x);
            if (v == peak) peaks++;
            if (v == 0) troughs++;
        }
        Assert.Equal(10, peaks);
        Assert.Equal(10, troughs);
    }

    // SGDR (Loshchilov & Hutter) with T_0 = 10 epochs, T_mult = 2, three cycles: restarts at 10 and 30 epochs.
    [Theory]
    [InlineData("schedule Sgdr { lr = repeat(3, mult = 2) { cos(0.05 -> 0, 10ep) } }")]
    [InlineData("schedule Sgdr over 70ep { lr = repeat(3, mult = 2) { cos(0.05 -> 0, 10ep) } }")]
    public void Sgdr_RestartsAtTenAndThirtyEpochs(string text)
    {
        var s = Build.Create(text, 10);
        const double etaMax = 0.05, etaMin = 0;
        Assert.Equal(700, s.TotalSteps);

        Expect.At(s, "lr", 100, etaMax);
        Expect.At(s, "lr", 300, etaMax);
        Expect.At(s, "lr", 700, etaMin);

        Expect.Track(s, "lr", 0, 720, x =>
        {
            if (x >= 700) return etaMin;
            double tCur, tI;
            if (x < 100) { tCur = x; tI = 100; }
            else if (x < 300) { tCur = x - 100; tI = 200; }
            else { tCur = x - 300; tI = 400; }
            return etaMin + (etaMax - etaMin) * (1 + Math.Cos(Math.PI * (tCur / tI))) / 2; // p = T_cur / T_i first, as in docs/language.md
        });
    }

    // Step decay (ResNet-style): boundaries exactly at 25 and 40 epochs even when epochs are 7 steps.
    [Fact]
    public void StepDecay_BoundariesOnEpochs()
    {
        var s = Build.Create("""
            schedule StepDecay over 50ep {
                lr = const(0.05, 25ep) + const(0.005, 15ep) + const(0.0005, rest)
            }
            """, 7);
        Assert.Equal(350, s.TotalSteps);
        Expect.At(s, "lr", 174, 0.05);
        Expect.At(s, "lr", 175, 0.005);
        Expect.At(s, "lr", 279, 0.005);
        Expect.At(s, "lr", 280, 0.0005);
        Expect.Track(s, "lr", 0, 360, x => x < 175 ? 0.05 : x < 280 ? 0.005 : 0.0005);
    }

    // Warm-up cosine then a cosine decay modulated by spikes; 95 steps makes the 25 % boundary fractional (23.75).
    [Theory]
    [InlineData(200)]
    [InlineData(95)]
    public void CosineWithSpikes_EveryStep(int total)
    {
        var s = Build.Create($$"""
            schedule Spikes over {{total}}it {
                lr = cos(1e-4 -> 1e-3, 25%) + cos(1e-3 -> 1e-8, rest) * (1 + 0.3*(sin(50*pi*(1-p)) + 0.8))
            }
            """);
        double warm = 25.0 * total / 100, decay = total - warm;
        Assert.Equal(total, s.TotalSteps);

        static double Spiked(double p) =>
            (1e-8 + (1e-3 - 1e-8) * (1 + Math.Cos(Math.PI * p)) / 2) * (1 + 0.3 * (Math.Sin(50 * Math.PI * (1 - p)) + 0.8));

        Expect.Track(s, "lr", 0, total + 5, x =>
            x < warm ? 1e-3 + (1e-4 - 1e-3) * (1 + Math.Cos(Math.PI * (x / warm))) / 2
            : x < total ? Spiked((x - warm) / decay)
            : Spiked(1));
        Expect.At(s, "lr", total, 1e-8 * 1.24);
    }

    // PyTorch's per-epoch CosineAnnealingLR: the value changes only at epoch starts.
    [Fact]
    public void CosineByEpoch_ConstantWithinEachEpoch()
    {
        var s = Build.Create("schedule PerEpoch { lr = cos(0.05 -> 0, 50ep) by epoch }", 7);
        Assert.Equal(350, s.TotalSteps);
        Expect.Track(s, "lr", 0, 360, x =>
        {
            long epochStart = x / 7 * 7;
            return epochStart >= 350 ? 0 : 0 + (0.05 - 0) * (1 + Math.Cos(Math.PI * (epochStart / 350.0))) / 2;
        });
        for (int e = 0; e < 50; e++)
        {
            double first = s.ValueAt("lr", e * 7);
            for (int i = 1; i < 7; i++) Assert.Equal(first, s.ValueAt("lr", e * 7 + i));
        }
    }
}
