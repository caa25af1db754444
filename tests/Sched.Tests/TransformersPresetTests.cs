namespace Sched.Tests;

/// <summary>
/// The Hugging Face presets (Library/transformers.sched) against the lambdas of transformers/optimization.py,
/// written out here in C#: value = lr_lambda(step) * lr, every step from 0 to past the end.
/// </summary>
public class TransformersPresetTests
{
    private static ISchedule Make(string call, int total) => Build.Create($"schedule S over {total}it {{ lr = {call} }}");

    // transformers/optimization.py: _get_*_lr_lambda warm-up branch: float(s) / float(max(1, W)).
    private static double Warm(long s, int w) => (double)s / Math.Max(1, w);

    [Fact]
    public void Hf_linear_equals_get_linear_schedule_with_warmup()
    {
        const double lr = 3e-4; const int w = 7, t = 50;
        var s = Make("hf_linear(3e-4, 7it)", t);
        // _get_linear_schedule_with_warmup_lr_lambda: max(0, (T - s) / max(1, T - W)) after the warm-up.
        Expect.Track(s, "lr", 0, t + 10, x => lr * (x < w ? Warm(x, w) : Math.Max(0.0, (double)(t - x) / Math.Max(1, t - w))));
    }

    [Fact]
    public void Hf_constant_equals_get_constant_schedule_with_warmup_and_get_constant_schedule()
    {
        const double lr = 5e-5; const int w = 9, t = 40;
        // _get_constant_schedule_with_warmup_lr_lambda: float(s) / float(max(1.0, W)) before W, then 1.0.
        Expect.Track(Make("hf_constant(5e-5, 9it)", t), "lr", 0, t + 5, x => lr * (x < w ? Warm(x, w) : 1.0));
        // get_constant_schedule: lambda _: 1.
        Expect.Track(Make("hf_constant(5e-5)", t), "lr", 0, t + 5, _ => lr);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(1.5)]
    public void Hf_cosine_equals_get_cosine_schedule_with_warmup(double cycles)
    {
        const double lr = 0.02; const int w = 10, t = 73;
        var s = Make($"hf_cosine(0.02, 10it, {cycles.ToString(System.Globalization.CultureInfo.InvariantCulture)})", t);
        // _get_cosine_schedule_with_warmup_lr_lambda: max(0, 0.5 * (1 + cos(pi * num_cycles * 2 * progress))).
        double F(long x) => x < w ? Warm(x, w)
            : Math.Max(0.0, 0.5 * (1.0 + Math.Cos(Math.PI * cycles * 2.0 * ((double)(x - w) / Math.Max(1, t - w)))));
        Expect.Track(s, "lr", 0, t, x => lr * F(x));
        // Past num_training_steps HF keeps evaluating the cosine; the preset holds its value at T (documented).
        Expect.Track(s, "lr", t + 1, t + 10, _ => lr * F(t));
    }

    [Fact]
    public void Warmup_cos_equals_get_cosine_schedule_with_warmup_and_min_lr()
    {
        const double lr = 0.1, minLr = 0.004; const int w = 12, t = 90;
        var zero = Make("warmup_cos(0.1, 12it)", t);
        var withMin = Make("warmup_cos(0.1, 12it, 0.004)", t);
        var hfMin = Make("hf_cosine_min_lr(0.1, 12it, 0.004)", t);
        // _get_cosine_schedule_with_warmup_lr_lambda with min_lr_rate (0 for get_cosine_schedule_with_warmup,
        // min_lr / lr for get_cosine_with_min_lr_schedule_with_warmup), num_cycles = 0.5.
        double F(long x, double rate)
        {
            if (x < w) return Warm(x, w);
            double progress = (double)(Math.Min(x, t) - w) / Math.Max(1, t - w); // the preset holds at T
            double factor = 0.5 * (1.0 + Math.Cos(Math.PI * 0.5 * 2.0 * progress));
            return Math.Max(0, factor * (1 - rate) + rate);
        }
        Expect.Track(zero, "lr", 0, t + 10, x => lr * F(x, 0));
        Expect.Track(withMin, "lr", 0, t + 10, x => lr * F(x, minLr / lr));
        Expect.Track(hfMin, "lr", 0, t + 10, x => lr * F(x, minLr / lr));
    }

    [Fact]
    public void Hf_cosine_min_lr_with_cycles_equals_get_cosine_with_min_lr_schedule_with_warmup()
    {
        const double lr = 0.5, minLr = 0.05, cycles = 1.25; const int w = 5, t = 61;
        var s = Make("hf_cosine_min_lr(0.5, 5it, 0.05, 1.25)", t);
        double F(long x)
        {
            if (x < w) return Warm(x, w);
            double progress = (double)(x - w) / Math.Max(1, t - w);
            double factor = 0.5 * (1.0 + Math.Cos(Math.PI * cycles * 2.0 * progress));
            return Math.Max(0, factor * (1 - minLr / lr) + minLr / lr);
        }
        Expect.Track(s, "lr", 0, t, x => lr * F(x));
        Expect.Track(s, "lr", t + 1, t + 10, _ => lr * F(t));
    }

    [Theory]
    [InlineData(4, 10, 74)]  // restarts on exact binary fractions
    [InlineData(3, 10, 100)] // restarts at (s - W) = 30, 60 of 90
    public void Hf_cosine_restarts_equals_get_cosine_with_hard_restarts_schedule_with_warmup(int cycles, int w, int t)
    {
        const double lr = 0.01;
        var s = Make($"hf_cosine_restarts(0.01, {w}it, {cycles})", t);
        // _get_cosine_with_hard_restarts_schedule_with_warmup_lr_lambda.
        double F(long x)
        {
            if (x < w) return Warm(x, w);
            double progress = (double)(x - w) / Math.Max(1, t - w);
            if (progress >= 1.0) return 0.0;
            double frac = (cycles * progress) % 1.0;
            return Math.Max(0.0, 0.5 * (1.0 + Math.Cos(Math.PI * frac)));
        }
        Expect.Track(s, "lr", 0, t + 10, x => lr * F(x));
    }

    [Fact]
    public void Hf_polynomial_equals_get_polynomial_decay_schedule_with_warmup()
    {
        const double lr = 1e-3, lrEnd = 1e-5, power = 2.5; const int w = 8, t = 57;
        var s = Make("hf_polynomial(1e-3, 8it, 1e-5, 2.5)", t);
        // _get_polynomial_decay_schedule_with_warmup_lr_lambda (returns decay / lr_init; LambdaLR multiplies by lr_init).
        double F(long x)
        {
            if (x < w) return Warm(x, w);
            if (x > t) return lrEnd / lr;
            double pctRemaining = 1 - (double)(x - w) / (t - w);
            return ((lr - lrEnd) * Math.Pow(pctRemaining, power) + lrEnd) / lr;
        }
        Expect.Track(s, "lr", 0, t + 10, x => lr * F(x));
    }

    [Theory]
    [InlineData(10, 10)]
    [InlineData(10, 25)]
    [InlineData(0, 10000)] // HF's default timescale when num_warmup_steps is 0
    public void Inverse_sqrt_equals_get_inverse_sqrt_schedule(int w, int timescale)
    {
        const double lr = 0.7; const int t = 120;
        string call = timescale == w || w == 0 ? $"inverse_sqrt(0.7, {w}it)" : $"inverse_sqrt(0.7, {w}it, {timescale}it)";
        var s = Make(call, t);
        // _get_inverse_sqrt_schedule_lr_lambda: 1 / sqrt((s + shift) / timescale), shift = timescale - W.
        double F(long x) => x < w ? Warm(x, w) : 1.0 / Math.Sqrt((double)(x + (timescale - w)) / timescale);
        Expect.Track(s, "lr", 0, t, x => lr * F(x));
        Expect.Track(s, "lr", t + 1, t + 10, _ => lr * F(t)); // no end in HF: the preset holds at the total
    }

    // transformers/optimization.py _get_wsd_scheduler_lambda.
    private static double Wsd(long x, int w, int st, int d, string decayType, double r, double cycles, string warmupType = "linear")
    {
        if (x < w)
        {
            double progress = (double)x / Math.Max(1, w);
            double rise = warmupType switch
            {
                "linear" => progress,
                "cosine" => 0.5 * (1.0 - Math.Cos(Math.PI * progress)),
                _ => 1.0 - Math.Sqrt(1.0 - progress),
            };
            return Math.Max(0.0, rise * (1.0 - r) + r);
        }
        if (x < w + st) return 1.0;
        if (x < w + st + d)
        {
            double progress = (double)(x - w - st) / Math.Max(1, d);
            double factor = decayType switch
            {
                "linear" => 1.0 - progress,
                "cosine" => 0.5 * (1.0 + Math.Cos(Math.PI * cycles * 2.0 * progress)),
                _ => 1.0 - Math.Sqrt(progress),
            };
            return Math.Max(0.0, factor * (1.0 - r) + r);
        }
        return r;
    }

    [Theory]
    [InlineData("wsd(0.3, 9it, 23it, 0.1)", "cosine", 0.1, 0.5)]
    [InlineData("wsd(0.3, 9it, 23it)", "cosine", 0.0, 0.5)]
    [InlineData("wsd(0.3, 9it, 23it, 0.1, 1.5)", "cosine", 0.1, 1.5)]
    [InlineData("wsd_linear(0.3, 9it, 23it, 0.1)", "linear", 0.1, 0.5)]
    [InlineData("wsd_linear(0.3, 9it, 23it)", "linear", 0.0, 0.5)]
    [InlineData("wsd_sqrt(0.3, 9it, 23it, 0.1)", "1-sqrt", 0.1, 0.5)]
    [InlineData("wsd_sqrt(0.3, 9it, 23it)", "1-sqrt", 0.0, 0.5)]
    public void Wsd_equals_get_wsd_schedule(string call, string decayType, double r, double cycles)
    {
        const double lr = 0.3; const int w = 9, d = 23, t = 80; // num_training_steps = 80: stable = 48
        var s = Make(call, t);
        Expect.Track(s, "lr", 0, t + 10, x => lr * Wsd(x, w, t - w - d, d, decayType, r, cycles));
    }

    // warmup_type "cosine" and "1-sqrt": the warm-up written as its own segment before a wsd without one (docs/presets.md).
    [Theory]
    [InlineData("cos(0.3 * 0.1 -> 0.3, 9it) + wsd(0.3, 0it, 23it, 0.1)", "cosine", "cosine", 0.1)]
    [InlineData("cos(0 -> 0.3, 9it) + wsd_sqrt(0.3, 0it, 23it)", "cosine", "1-sqrt", 0.0)]
    [InlineData("fn(0.3 * (0.1 + 0.9 * (1 - sqrt(1 - p))), 9it) + wsd_linear(0.3, 0it, 23it, 0.1)", "1-sqrt", "linear", 0.1)]
    public void Wsd_with_other_warmup_types_is_the_warmup_then_wsd_without_one(string call, string warmupType, string decayType, double r)
    {
        const double lr = 0.3; const int w = 9, d = 23, t = 80;
        var s = Make(call, t);
        Expect.Track(s, "lr", 0, t + 10, x => lr * Wsd(x, w, t - w - d, d, decayType, r, 0.5, warmupType));
    }
}
