namespace Sched.TorchSharp;

/// <summary>How the learning rate moves from <see cref="LearningRateFinderOptions.StartLearningRate"/> to <see cref="LearningRateFinderOptions.EndLearningRate"/>.</summary>
public enum LearningRateSweep
{
    /// <summary>Geometrically, <c>exp(start -> end)</c>: equal steps in log lr, as fastai's <c>lr_find</c> does by default.</summary>
    Exponential,

    /// <summary>Linearly, <c>lin(start -> end)</c>: Smith's original range test (arXiv:1506.01186 §3.3).</summary>
    Linear,
}

/// <summary>Settings of a learning-rate range test; the defaults are fastai's <c>lr_find</c>.</summary>
public sealed class LearningRateFinderOptions
{
    /// <summary>The learning rate of the first iteration. Default 1e-7.</summary>
    public double StartLearningRate { get; init; } = 1e-7;

    /// <summary>
    /// The rate the sweep heads for: iteration <c>i</c> of <c>N</c> trains at the schedule's value at step <c>i</c>, so the last
    /// iteration trains one step short of it, as in fastai. Default 10.
    /// </summary>
    public double EndLearningRate { get; init; } = 10;

    /// <summary>The most iterations (optimizer steps) the sweep takes. Default 100.</summary>
    public int Iterations { get; init; } = 100;

    /// <summary>Exponential (default) or linear.</summary>
    public LearningRateSweep Sweep { get; init; } = LearningRateSweep.Exponential;

    /// <summary>The factor of the loss's exponential moving average (bias-corrected). Default 0.98; 0 turns smoothing off.</summary>
    public double Smoothing { get; init; } = 0.98;

    /// <summary>Whether to stop once the smoothed loss exceeds <see cref="DivergenceFactor"/> times the best so far. Default true.</summary>
    public bool StopOnDivergence { get; init; } = true;

    /// <summary>The factor over the best smoothed loss at which the loss counts as diverged. Default 4.</summary>
    public double DivergenceFactor { get; init; } = 4;

    /// <summary>
    /// Iterations at the start left out of the suggestions, where the average is still settling; null: a tenth of
    /// <see cref="Iterations"/>, as fastai.
    /// </summary>
    public int? SkipStart { get; init; }

    /// <summary>Iterations at the end left out of the suggestions and the plot, where the loss blows up. Default 5, as fastai.</summary>
    public int SkipEnd { get; init; } = 5;

    /// <summary>Per-group factors on the swept rate (discriminative learning rates); null: every group gets the same rate.</summary>
    public GroupMultipliers? LearningRateMultipliers { get; init; }

    internal int EffectiveSkipStart => SkipStart ?? Iterations / 10;

    internal void Validate()
    {
        if (!double.IsFinite(StartLearningRate) || StartLearningRate <= 0)
            throw new ArgumentOutOfRangeException(nameof(StartLearningRate), StartLearningRate, "the start learning rate must be positive and finite");
        if (!double.IsFinite(EndLearningRate) || EndLearningRate <= StartLearningRate)
            throw new ArgumentOutOfRangeException(nameof(EndLearningRate), EndLearningRate, $"the end learning rate must be finite and above the start ({StartLearningRate})");
        if (Iterations < 2)
            throw new ArgumentOutOfRangeException(nameof(Iterations), Iterations, "a range test needs at least 2 iterations");
        if (!(Smoothing >= 0 && Smoothing < 1))
            throw new ArgumentOutOfRangeException(nameof(Smoothing), Smoothing, "the smoothing factor must be in [0, 1)");
        if (!(DivergenceFactor > 1))
            throw new ArgumentOutOfRangeException(nameof(DivergenceFactor), DivergenceFactor, "the divergence factor must be above 1");
        if (SkipStart < 0) throw new ArgumentOutOfRangeException(nameof(SkipStart), SkipStart, "cannot skip a negative number of iterations");
        if (SkipEnd < 0) throw new ArgumentOutOfRangeException(nameof(SkipEnd), SkipEnd, "cannot skip a negative number of iterations");
    }
}
