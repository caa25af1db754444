namespace Sched.Tests;

/// <summary>optax_warmup_cosine and keras_cosine (Library/optax.sched) against their published formulas, written out in C#.</summary>
public class OptaxPresetTests
{
    // optax/schedules/_schedule.py warmup_cosine_decay_schedule = join_schedules([linear_schedule(init, peak, W),
    // cosine_decay_schedule(peak, decay_steps - W, alpha = end / peak, exponent)], [W]).
    private static double Optax(long count, double init, double peak, int w, int decaySteps, double end, double exponent)
    {
        if (count < w)
        {
            // polynomial_schedule with power 1: (init - end) * (1 - clip(count, 0, W) / W) + end, end = peak here.
            double c = Math.Clamp(count, 0, w);
            return (init - peak) * (1 - c / w) + peak;
        }
        double alpha = peak == 0 ? 0 : end / peak;
        double steps = decaySteps - w;
        double k = Math.Min(count - w, steps);
        double cosine = 0.5 * (1 + Math.Cos(Math.PI * k / steps));
        return peak * ((1 - alpha) * Math.Pow(cosine, exponent) + alpha);
    }

    [Theory]
    [InlineData(0.0, 1e-3, 10, 100, 0.0, 1.0)]
    [InlineData(1e-4, 1e-3, 10, 100, 1e-5, 1.0)]
    [InlineData(1e-4, 1e-3, 7, 61, 2e-5, 2.0)]
    [InlineData(0.0, 0.5, 0, 40, 0.01, 0.5)]
    public void Optax_warmup_cosine_equals_warmup_cosine_decay_schedule(double init, double peak, int w, int decaySteps, double end, double exponent)
    {
        string F(double v) => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        int total = decaySteps + 10;
        var s = Build.Create($"schedule S over {total}it {{ lr = optax_warmup_cosine({F(init)}, {F(peak)}, {w}it, {decaySteps}it, {F(end)}, {F(exponent)}) + const({F(end)}) }}");
        Expect.Track(s, "lr", 0, total + 5, x => Optax(x, init, peak, w, decaySteps, end, exponent));
    }

    // keras/src/optimizers/schedules/learning_rate_schedule.py CosineDecay.__call__ with warmup_target:
    // step = min(step, decay_steps + warmup_steps); warm-up below warmup_steps, else decay from warmup_target.
    private static double Keras(long step, double initial, int decaySteps, double alpha, double? target, int w)
    {
        if (target is null)
        {
            double s0 = Math.Min(step, decaySteps);
            double c0 = 0.5 * (1.0 + Math.Cos(Math.PI * (s0 / decaySteps)));
            return initial * ((1 - alpha) * c0 + alpha);
        }
        double s = Math.Min(step, decaySteps + w);
        if (s < w)
        {
            double completed = s / w;
            return (target.Value - initial) * completed + initial;
        }
        double fraction = (s - w) / decaySteps;
        double cosineDecayed = 0.5 * (1.0 + Math.Cos(Math.PI * fraction));
        return target.Value * ((1 - alpha) * cosineDecayed + alpha);
    }

    [Fact]
    public void Keras_cosine_with_warmup_equals_CosineDecay_with_warmup_target()
    {
        const int total = 90;
        var s = Build.Create($"schedule S over {total}it {{ lr = keras_cosine(1e-4, 60it, 0.05, 2e-3, 15it) + const(1e-4) }}");
        Expect.Track(s, "lr", 0, total + 5, x => Keras(x, 1e-4, 60, 0.05, 2e-3, 15));
    }

    [Fact]
    public void Keras_cosine_without_warmup_equals_CosineDecay()
    {
        var s = Build.Create("schedule S over 70it { lr = keras_cosine(0.3, 64it, 0.1) }");
        Expect.Track(s, "lr", 0, 80, x => Keras(x, 0.3, 64, 0.1, null, 0));
    }
}
