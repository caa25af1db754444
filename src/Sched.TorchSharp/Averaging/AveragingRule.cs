namespace Sched.TorchSharp;

/// <summary>How a <see cref="ModelAverager"/> folds the model into its average, and which schedule track says when and how much.</summary>
public enum AveragingRule
{
    /// <summary>
    /// Stochastic weight averaging, equal weights (PyTorch's <c>AveragedModel</c> default): where the <c>swa</c> track is 1,
    /// <c>avg += (p - avg) / (n + 1)</c> and n, the models averaged so far, grows by one; where it is 0, nothing.
    /// </summary>
    Swa,

    /// <summary>
    /// Exponential moving average (PyTorch's <c>get_ema_multi_avg_fn</c>, timm's <c>ModelEmaV3</c>): at every step
    /// <c>avg = d * avg + (1 - d) * p</c>, the decay d read from the <c>ema</c> track (0 copies the model).
    /// </summary>
    Ema,
}

/// <summary>The schedule tracks the averaging rules read, and the values they take.</summary>
public static class AveragingTracks
{
    /// <summary><c>swa</c>: 1 at the steps after which the model joins the average, 0 elsewhere (the preset <c>swa_from</c> writes it).</summary>
    public const string Swa = "swa";

    /// <summary><c>ema</c>: the decay d in [0, 1) of the update after each step (the presets <c>timm_ema</c>, <c>timm_ema_warmup</c>).</summary>
    public const string Ema = "ema";

    /// <summary>The track <paramref name="rule"/> reads unless told otherwise.</summary>
    public static string For(AveragingRule rule) => rule switch
    {
        AveragingRule.Swa => Swa,
        AveragingRule.Ema => Ema,
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "the rule is Swa or Ema"),
    };
}
