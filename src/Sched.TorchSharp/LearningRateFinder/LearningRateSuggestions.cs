using TorchSharp.Modules;
using Optimizer = TorchSharp.torch.optim.Optimizer;

namespace Sched.TorchSharp;

/// <summary>
/// fastai's suggestion methods (fastai/callback/schedule.py: <c>minimum</c>, <c>steep</c>, <c>valley</c>) over a loss curve: learning
/// rates in sweep order and their smoothed losses. The <see cref="LearningRateSuggestion.Iteration"/> they return indexes these arrays.
/// </summary>
/// <remarks>
/// Which one to train at depends on the optimizer (<see cref="MethodFor"/>): fastai tuned <c>valley</c>, its default, for Adam; with SGD
/// and momentum it lands about ten times too low, where <c>steep</c> and <c>minimum</c> are right (docs/experiments.md: on
/// Fashion-MNIST with a 1cycle, valley 0.00145, steep 0.0275, minimum 0.0251, and 0.03 the best constant rate).
/// </remarks>
public static class LearningRateSuggestions
{
    /// <summary>The method names, in the order <see cref="LearningRateFinderResult.Suggestions"/> lists them.</summary>
    public static IReadOnlyList<string> Methods { get; } = ["minimum", "steep", "valley"];

    /// <summary>
    /// The method to train <paramref name="optimizer"/> at: <c>steep</c> for SGD (with or without momentum), <c>valley</c> for the
    /// adaptive optimizers (Adam, AdamW, RMSprop, ...), for which fastai tuned it.
    /// </summary>
    public static string MethodFor(Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        return optimizer is SGD ? "steep" : "valley";
    }

    /// <summary>What a method's suggestion is for, in one line to print beside it.</summary>
    /// <exception cref="ArgumentException">A name other than minimum, steep or valley.</exception>
    public static string Purpose(string method) => method switch
    {
        "minimum" => "a tenth of the rate at the lowest loss: a safe upper bound; for SGD + momentum it agrees with steep",
        "steep" => "where the loss falls fastest: the rate for SGD + momentum (a 1cycle's peak, or a constant rate)",
        "valley" => "fastai's default, tuned for Adam/AdamW; for SGD + momentum about ten times too low",
        _ => throw new ArgumentException($"'{method}' is not a suggestion method; there are {string.Join(", ", Methods)}", nameof(method)),
    };

    /// <summary>
    /// A tenth of the rate at the lowest loss: the minimum itself is already too high to train at, since the loss is about to turn up.
    /// </summary>
    public static LearningRateSuggestion? Minimum(IReadOnlyList<double> learningRates, IReadOnlyList<double> losses)
    {
        if (!Usable(learningRates, losses)) return null;
        int best = 0;
        for (int i = 1; i < losses.Count; i++) if (losses[i] < losses[best]) best = i;
        return new LearningRateSuggestion("minimum", learningRates[best] / 10, best, learningRates[best], losses[best]);
    }

    /// <summary>
    /// The rate at the start of the steepest fall: the most negative slope <c>Δloss / Δln(lr)</c> between neighbouring points.
    /// </summary>
    public static LearningRateSuggestion? Steep(IReadOnlyList<double> learningRates, IReadOnlyList<double> losses)
    {
        if (!Usable(learningRates, losses)) return null;
        int best = -1;
        double steepest = double.PositiveInfinity;
        for (int i = 0; i + 1 < losses.Count; i++)
        {
            double slope = (losses[i + 1] - losses[i]) / (Math.Log(learningRates[i + 1]) - Math.Log(learningRates[i]));
            if (slope < steepest) { steepest = slope; best = i; }
        }
        if (best < 0) best = 0; // every slope NaN: equal neighbouring rates
        return new LearningRateSuggestion("steep", learningRates[best], best, learningRates[best], losses[best]);
    }

    /// <summary>
    /// fastai's default: find the longest strictly decreasing subsequence of the losses, take the stretch it spans by its length ending at
    /// its last point, and pick the point about halfway along it (a third plus a sixth of the way in, in whole points).
    /// </summary>
    public static LearningRateSuggestion? Valley(IReadOnlyList<double> learningRates, IReadOnlyList<double> losses)
    {
        if (!Usable(learningRates, losses)) return null;
        int n = losses.Count;
        // longest[i]: length of the longest strictly decreasing subsequence ending at i.
        var longest = new int[n];
        int end = 0;
        for (int i = 0; i < n; i++)
        {
            longest[i] = 1;
            for (int j = 0; j < i; j++)
            {
                if (losses[i] < losses[j] && longest[j] + 1 > longest[i]) longest[i] = longest[j] + 1;
            }
            if (longest[i] > longest[end]) end = i;
        }
        int start = end == 0 ? 0 : end - longest[end];
        double third = (end - start) / 3.0;
        int index = Math.Clamp(start + (int)third + (int)(third / 2), 0, n - 1);
        return new LearningRateSuggestion("valley", learningRates[index], index, learningRates[index], losses[index]);
    }

    /// <summary>
    /// The stretch of a curve the suggestions read, as fastai: <paramref name="skipStart"/> points off the start and <paramref name="skipEnd"/>
    /// off the end, cut before the first non-finite smoothed loss. When that leaves fewer than 2 points, the finite prefix is used whole.
    /// </summary>
    internal static (int Start, int End) Window(IReadOnlyList<LearningRateFinderPoint> points, int skipStart, int skipEnd)
    {
        int finite = 0;
        while (finite < points.Count && double.IsFinite(points[finite].SmoothedLoss)) finite++;
        int start = Math.Min(skipStart, points.Count);
        int end = Math.Min(Math.Max(points.Count - skipEnd, start), finite);
        if (end - start >= 2) return (start, end);
        return (0, finite);
    }

    private static bool Usable(IReadOnlyList<double> learningRates, IReadOnlyList<double> losses)
    {
        ArgumentNullException.ThrowIfNull(learningRates);
        ArgumentNullException.ThrowIfNull(losses);
        if (learningRates.Count != losses.Count)
            throw new ArgumentException($"{learningRates.Count} learning rates but {losses.Count} losses; give one loss per rate", nameof(losses));
        return losses.Count >= 2;
    }
}
