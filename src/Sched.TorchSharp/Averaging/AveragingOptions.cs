namespace Sched.TorchSharp;

/// <summary>How a <see cref="ModelAverager"/> reads its schedule and treats the model's buffers.</summary>
public sealed class AveragingOptions
{
    /// <summary>The schedule track to read; null: <c>swa</c> for <see cref="AveragingRule.Swa"/>, <c>ema</c> for <see cref="AveragingRule.Ema"/>.</summary>
    public string? Track { get; init; }

    /// <summary>
    /// Whether floating-point buffers (BatchNorm's running mean and variance) are averaged like the parameters (true) or copied from
    /// the model at every update (false). Integer buffers (BatchNorm's batch counter) are always copied. Null: the anchor library's
    /// default, false for SWA (PyTorch's <c>use_buffers = False</c>: recompute the statistics with <see cref="BatchNormUpdate"/>),
    /// true for EMA (timm's <c>ModelEmaV3</c>).
    /// </summary>
    public bool? AverageBuffers { get; init; }
}
