using Sched.TorchSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace Sched.Samples.Tests;

/// <summary>
/// What the sample's range test relies on in Sched.TorchSharp: a suggestion per optimizer, what each suggestion is for, and the recorder
/// that lets the sample's own loop run the sweep.
/// </summary>
public sealed class LearningRateRecommendationTests
{
    [Fact]
    public void Sgd_gets_steep_and_adaptive_optimizers_get_valley()
    {
        using var model = nn.Linear(3, 1);
        using var sgd = optim.SGD(model.parameters(), 0.1, momentum: 0.9);
        using var adam = optim.Adam(model.parameters());
        using var adamW = optim.AdamW(model.parameters());
        Assert.Equal("steep", LearningRateSuggestions.MethodFor(sgd));
        Assert.Equal("valley", LearningRateSuggestions.MethodFor(adam));
        Assert.Equal("valley", LearningRateSuggestions.MethodFor(adamW));

        // Losses falling fastest between 1e-3 and 1e-2, so steep reads 1e-3; the lowest loss at 1e-1, so minimum reads 1e-2.
        var recorder = new LearningRateRecorderFixture([1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1], [2.0, 1.9, 1.8, 1.0, 0.9, 3.0]);
        LearningRateFinderResult result = recorder.Result;
        Assert.Equal(1e-3, result.RecommendedFor(sgd)!.LearningRate, 15);
        Assert.Equal(result.Valley, result.RecommendedFor(adam));
    }

    [Fact]
    public void Every_method_says_what_it_is_for()
    {
        Assert.Equal(["minimum", "steep", "valley"], LearningRateSuggestions.Methods);
        Assert.Contains("SGD + momentum", LearningRateSuggestions.Purpose("steep"));
        Assert.Contains("Adam", LearningRateSuggestions.Purpose("valley"));
        Assert.Contains("upper bound", LearningRateSuggestions.Purpose("minimum"));
        Assert.Throws<ArgumentException>(() => LearningRateSuggestions.Purpose("lowest"));
    }

    [Fact]
    public void The_recorder_smooths_as_a_bias_corrected_average_and_stops_at_divergence()
    {
        var recorder = new LearningRateFinderRecorder(new LearningRateFinderOptions { Iterations = 10 });
        Assert.True(recorder.Record(1e-7, 1.0));
        Assert.True(recorder.Record(1e-6, 2.0));
        Assert.False(recorder.Record(1e-5, 100.0));
        LearningRateFinderResult result = recorder.ToResult();

        // β = 0.98: (0.02·1) / (1 − 0.98) = 1; (0.98·0.02 + 0.02·2) / (1 − 0.98²) = 0.0596 / 0.0396; then far above 4 × the best (1).
        Assert.Equal([1.0, 0.0596 / 0.0396, (0.98 * 0.0596 + 0.02 * 100) / (1 - 0.98 * 0.98 * 0.98)], result.Points.Select(p => p.SmoothedLoss), new Tolerance(1e-12));
        Assert.Equal(LearningRateFinderStop.Diverged, result.Stop);
        Assert.Equal([1e-7, 1e-6, 1e-5], result.Points.Select(p => p.LearningRate));
        Assert.Throws<InvalidOperationException>(() => recorder.Record(1e-4, 1.0));
    }

    [Fact]
    public void The_recorder_stops_at_a_loss_that_is_not_finite_and_after_the_last_iteration()
    {
        var nan = new LearningRateFinderRecorder();
        Assert.True(nan.Record(1e-7, 2.0));
        Assert.False(nan.Record(1e-6, double.NaN));
        Assert.Equal(LearningRateFinderStop.NonFinite, nan.ToResult().Stop);

        var full = new LearningRateFinderRecorder(new LearningRateFinderOptions { Iterations = 3 });
        Assert.True(full.Record(1e-7, 2.0));
        Assert.True(full.Record(1e-6, 2.0));
        Assert.False(full.Record(1e-5, 2.0));
        Assert.Equal(LearningRateFinderStop.Completed, full.ToResult().Stop);
    }

    [Fact]
    public void The_recorder_reproduces_the_library_range_test_given_its_losses()
    {
        torch.random.manual_seed(3);
        using var model = nn.Linear(4, 1);
        using var optimizer = optim.SGD(model.parameters(), 0.01);
        using var x = randn(64, 4);
        using var y = x.sum(1, keepdim: true);
        LearningRateFinderResult library = LearningRateFinder.Run(model, optimizer, () => (x, y), (output, target) => nn.functional.mse_loss(output, target));

        var recorder = new LearningRateFinderRecorder();
        foreach (LearningRateFinderPoint point in library.Points) recorder.Record(point.LearningRate, point.Loss);
        LearningRateFinderResult mine = recorder.ToResult();

        Assert.Equal(library.Stop, mine.Stop);
        Assert.Equal(library.Points.Select(p => p.SmoothedLoss), mine.Points.Select(p => p.SmoothedLoss));
        Assert.Equal(library.Suggestions, mine.Suggestions);
    }

    /// <summary>A result from given rates and losses, with no smoothing and nothing skipped, so the suggestions read the losses as given.</summary>
    private sealed class LearningRateRecorderFixture
    {
        public LearningRateRecorderFixture(double[] rates, double[] losses)
        {
            var recorder = new LearningRateFinderRecorder(new LearningRateFinderOptions
            {
                Iterations = rates.Length, Smoothing = 0, SkipStart = 0, SkipEnd = 0, StopOnDivergence = false,
            });
            for (int i = 0; i < rates.Length; i++) recorder.Record(rates[i], losses[i]);
            Result = recorder.ToResult();
        }

        public LearningRateFinderResult Result { get; }
    }

    private sealed class Tolerance(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= tolerance * Math.Max(1, Math.Abs(a));
        public int GetHashCode(double value) => 0;
    }
}
