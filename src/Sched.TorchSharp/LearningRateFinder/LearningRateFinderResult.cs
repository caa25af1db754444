using Optimizer = TorchSharp.torch.optim.Optimizer;

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

    /// <summary>
    /// The suggestion to train <paramref name="optimizer"/> at (<see cref="LearningRateSuggestions.MethodFor"/>): steep for SGD, valley
    /// for adaptive optimizers; when that one is missing, the first of the others in the order steep, minimum, valley. Null without any.
    /// </summary>
    public LearningRateSuggestion? RecommendedFor(Optimizer optimizer)
    {
        string method = LearningRateSuggestions.MethodFor(optimizer);
        return Suggestions.FirstOrDefault(s => s.Method == method) ?? Steep ?? Minimum ?? Valley;
    }

    private LearningRateSuggestion? Offset(LearningRateSuggestion? s) => s is null ? null : s with { Iteration = s.Iteration + SuggestionStart };
}

/// <summary>
/// The range test's bookkeeping for a training loop of the caller's own: give it each step's rate and loss, and it smooths the loss, stops
/// the sweep as <see cref="LearningRateFinder.Run"/> does (all iterations taken, divergence, a loss that is not finite) and builds the
/// result. Drive the rates with <see cref="LearningRateFinder.CreateSweep"/>.
/// </summary>
public sealed class LearningRateFinderRecorder
{
    private readonly List<LearningRateFinderPoint> _points = [];
    private double _average, _betaPower = 1, _best = double.PositiveInfinity;

    /// <param name="options">The sweep; null: fastai's defaults, as <see cref="LearningRateFinder.Run"/>.</param>
    public LearningRateFinderRecorder(LearningRateFinderOptions? options = null)
    {
        Options = options ?? new LearningRateFinderOptions();
        Options.Validate();
    }

    /// <summary>The settings the sweep runs with.</summary>
    public LearningRateFinderOptions Options { get; }

    /// <summary>Why the sweep ended; null while it goes on.</summary>
    public LearningRateFinderStop? Stop { get; private set; }

    /// <summary>Records one iteration: the rate it trained at and its batch's loss (NaN or infinite when the loss was not finite).</summary>
    /// <returns>True to take another step; false once the sweep is over.</returns>
    /// <exception cref="InvalidOperationException">The sweep is already over.</exception>
    public bool Record(double learningRate, double loss)
    {
        if (Stop is not null) throw new InvalidOperationException($"the sweep is over ({Stop}); build the result with ToResult");
        double beta = Options.Smoothing;
        _betaPower *= beta;
        _average = beta * _average + (1 - beta) * loss;
        double smoothed = _average / (1 - _betaPower);
        _points.Add(new LearningRateFinderPoint(_points.Count, learningRate, loss, smoothed, double.NaN, double.NaN));

        if (!double.IsFinite(smoothed)) Stop = LearningRateFinderStop.NonFinite;
        else
        {
            if (smoothed < _best) _best = smoothed;
            if (Options.StopOnDivergence && smoothed > Options.DivergenceFactor * _best) Stop = LearningRateFinderStop.Diverged;
            else if (_points.Count >= Options.Iterations) Stop = LearningRateFinderStop.Completed;
        }
        return Stop is null;
    }

    /// <summary>The curve so far, its suggestions, and why it ended (<see cref="LearningRateFinderStop.Completed"/> when the caller ended it first).</summary>
    public LearningRateFinderResult ToResult() => new(_points.ToArray(), Stop ?? LearningRateFinderStop.Completed, Options, hasValidation: false);
}
