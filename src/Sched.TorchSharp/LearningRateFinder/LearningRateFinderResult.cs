namespace Sched.TorchSharp;

/// <summary>Why a range test ended.</summary>
public enum LearningRateFinderStop
{
    /// <summary>It ran every iteration.</summary>
    Completed,

    /// <summary>The smoothed loss exceeded <see cref="LearningRateFinderOptions.DivergenceFactor"/> times the best.</summary>
    Diverged,

    /// <summary>The loss became NaN or infinite.</summary>
    NonFinite,
}

/// <summary>One iteration of a range test.</summary>
/// <param name="Iteration">0-based iteration (optimizer step) index.</param>
/// <param name="LearningRate">The swept rate this step trained at (before any per-group multiplier).</param>
/// <param name="Loss">The training loss of this step's batch, computed before the step.</param>
/// <param name="SmoothedLoss">The bias-corrected exponential moving average of <paramref name="Loss"/> up to this step.</param>
/// <param name="ValidationLoss">With a validation batch source: the loss of the next validation batch after this step, in eval mode; otherwise NaN.</param>
/// <param name="SmoothedValidationLoss">The same moving average over <paramref name="ValidationLoss"/>; NaN without validation.</param>
public readonly record struct LearningRateFinderPoint(
    int Iteration, double LearningRate, double Loss, double SmoothedLoss, double ValidationLoss, double SmoothedValidationLoss);

/// <summary>A suggested learning rate and the point of the (smoothed) loss curve it was read from.</summary>
/// <param name="Method">"minimum", "steep" or "valley".</param>
/// <param name="LearningRate">The suggestion.</param>
/// <param name="Iteration">The iteration of the curve point it comes from.</param>
/// <param name="PointLearningRate">That point's learning rate (for "minimum", ten times the suggestion).</param>
/// <param name="PointLoss">That point's smoothed loss.</param>
public sealed record LearningRateSuggestion(string Method, double LearningRate, int Iteration, double PointLearningRate, double PointLoss);

/// <summary>What a range test found: the curve, why it stopped, and fastai's three suggestions.</summary>
public sealed class LearningRateFinderResult
{
    internal LearningRateFinderResult(
        IReadOnlyList<LearningRateFinderPoint> points, LearningRateFinderStop stop, LearningRateFinderOptions options, bool hasValidation)
    {
        Points = points;
        Stop = stop;
        Options = options;
        HasValidation = hasValidation;
        BestSmoothedLoss = points.Where(p => double.IsFinite(p.SmoothedLoss)).Select(p => p.SmoothedLoss).DefaultIfEmpty(double.NaN).Min();
        (SuggestionStart, SuggestionEnd) = LearningRateSuggestions.Window(points, options.EffectiveSkipStart, options.SkipEnd);
        double[] lrs = points.Skip(SuggestionStart).Take(SuggestionEnd - SuggestionStart).Select(p => p.LearningRate).ToArray();
        double[] losses = points.Skip(SuggestionStart).Take(SuggestionEnd - SuggestionStart).Select(p => p.SmoothedLoss).ToArray();
        Minimum = Offset(LearningRateSuggestions.Minimum(lrs, losses));
        Steep = Offset(LearningRateSuggestions.Steep(lrs, losses));
        Valley = Offset(LearningRateSuggestions.Valley(lrs, losses));
    }

    /// <summary>One point per iteration taken, in order.</summary>
    public IReadOnlyList<LearningRateFinderPoint> Points { get; }

    /// <summary>Why the sweep ended; anything but <see cref="LearningRateFinderStop.Completed"/> means it stopped early.</summary>
    public LearningRateFinderStop Stop { get; }

    /// <summary>The settings it ran with.</summary>
    public LearningRateFinderOptions Options { get; }

    /// <summary>Whether a validation loss was recorded every iteration (<see cref="LearningRateFinder.RunWithValidation"/>).</summary>
    public bool HasValidation { get; }

    /// <summary>Iterations taken: <see cref="LearningRateFinderOptions.Iterations"/> unless it stopped early.</summary>
    public int IterationCount => Points.Count;

    /// <summary>The lowest finite smoothed loss; NaN when there is none.</summary>
    public double BestSmoothedLoss { get; }

    /// <summary>First iteration the suggestions look at.</summary>
    public int SuggestionStart { get; }

    /// <summary>One past the last iteration the suggestions look at.</summary>
    public int SuggestionEnd { get; }

    /// <summary>fastai's <c>minimum</c>: a tenth of the rate at the lowest smoothed loss; null with fewer than 2 usable points.</summary>
    public LearningRateSuggestion? Minimum { get; }

    /// <summary>fastai's <c>steep</c>: the rate where the smoothed loss falls fastest against log lr; null with fewer than 2 usable points.</summary>
    public LearningRateSuggestion? Steep { get; }

    /// <summary>fastai's <c>valley</c> (its default): a point halfway along the longest falling stretch of the smoothed loss; null with fewer than 2 usable points.</summary>
    public LearningRateSuggestion? Valley { get; }

    /// <summary>The suggestions that exist, in the order minimum, steep, valley.</summary>
    public IEnumerable<LearningRateSuggestion> Suggestions => new[] { Minimum, Steep, Valley }.OfType<LearningRateSuggestion>();

    private LearningRateSuggestion? Offset(LearningRateSuggestion? s) => s is null ? null : s with { Iteration = s.Iteration + SuggestionStart };
}
