using SkiaSharp;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sched.TorchSharp.Tests;

/// <summary>
/// Least squares y = X w + noise, trained full-batch by SGD without momentum: gradient descent on a quadratic whose Hessian is
/// H = 2 XᵀX / n (mse_loss averages), so it diverges exactly when lr exceeds 2 / λmax(H). The range test must find that edge.
/// </summary>
internal sealed class LeastSquares : IDisposable
{
    public const int Samples = 256, Features = 8;

    public LeastSquares(long seed, double scale = 3)
    {
        var data = new Generator((ulong)seed);
        X = randn(new long[] { Samples, Features }, generator: data) * scale;
        var w = randn(new long[] { Features, 1 }, generator: data);
        Y = X.matmul(w) + 0.1 * randn(new long[] { Samples, 1 }, generator: data);
        ValidationX = randn(new long[] { 64, Features }, generator: data) * scale;
        ValidationY = ValidationX.matmul(w) + 0.1 * randn(new long[] { 64, 1 }, generator: data);
        Model = nn.Linear(Features, 1, hasBias: false);
        using (no_grad()) Model.weight!.zero_();

        using var x64 = X.to_type(ScalarType.Float64);
        using var hessian = 2.0 * x64.t().matmul(x64) / Samples;
        using var eigenvalues = linalg.eigvalsh(hessian);
        DivergenceRate = 2 / eigenvalues.max().item<double>();
    }

    public Tensor X { get; }
    public Tensor Y { get; }
    public Tensor ValidationX { get; }
    public Tensor ValidationY { get; }
    public Linear Model { get; }

    /// <summary>2 / λmax(H): gradient descent diverges above it.</summary>
    public double DivergenceRate { get; }

    public (Tensor, Tensor) Batch() => (X, Y);

    public (Tensor, Tensor) ValidationBatch() => (ValidationX, ValidationY);

    public static Tensor Loss(Tensor output, Tensor target) => nn.functional.mse_loss(output, target);

    public void Dispose()
    {
        Model.Dispose();
        X.Dispose();
        Y.Dispose();
        ValidationX.Dispose();
        ValidationY.Dispose();
    }
}

public class LearningRateFinderTests
{
    [Fact]
    public void Suggestions_lie_below_the_divergence_rate_and_within_four_decades_of_it()
    {
        using var problem = new LeastSquares(7);
        using var optimizer = optim.SGD(problem.Model.parameters(), 0.01);

        var result = LearningRateFinder.Run(problem.Model, optimizer, problem.Batch, LeastSquares.Loss);

        double edge = problem.DivergenceRate;
        Assert.NotNull(result.Minimum);
        Assert.NotNull(result.Steep);
        Assert.NotNull(result.Valley);
        foreach (var suggestion in result.Suggestions)
        {
            Assert.True(suggestion.LearningRate < edge && suggestion.LearningRate > 1e-4 * edge,
                $"{suggestion.Method} suggests {suggestion.LearningRate:g3}; divergence sets in at {edge:g3}");
        }
        // The minimum of the smoothed loss sits near the edge: within a factor of ten of it.
        Assert.InRange(result.Minimum!.PointLearningRate, edge / 10, edge * 10);
    }

    [Fact]
    public void The_sweep_stops_early_once_the_loss_diverges_past_the_edge()
    {
        using var problem = new LeastSquares(8);
        using var optimizer = optim.SGD(problem.Model.parameters(), 0.01);

        var result = LearningRateFinder.Run(problem.Model, optimizer, problem.Batch, LeastSquares.Loss);

        Assert.Equal(LearningRateFinderStop.Diverged, result.Stop);
        Assert.True(result.IterationCount < 100, $"ran {result.IterationCount} iterations");
        var last = result.Points[^1];
        Assert.True(last.LearningRate > problem.DivergenceRate, $"stopped at lr {last.LearningRate:g3}, below the edge {problem.DivergenceRate:g3}");
        Assert.True(last.SmoothedLoss > 4 * result.BestSmoothedLoss);
        Assert.All(result.Points.Take(result.IterationCount - 1), p => Assert.True(p.SmoothedLoss <= 4 * result.BestSmoothedLoss));
    }

    [Fact]
    public void A_non_finite_loss_stops_the_sweep_and_the_suggestions_read_the_finite_part()
    {
        using var problem = new LeastSquares(15);
        using var optimizer = optim.SGD(problem.Model.parameters(), 0.01);
        int calls = 0;

        var result = LearningRateFinder.Run(problem.Model, optimizer, problem.Batch,
            (output, target) => ++calls > 6 ? LeastSquares.Loss(output, target) * double.NaN : LeastSquares.Loss(output, target));

        Assert.Equal(LearningRateFinderStop.NonFinite, result.Stop);
        Assert.Equal(7, result.IterationCount);
        Assert.True(double.IsNaN(result.Points[^1].SmoothedLoss));
        Assert.Equal((0, 6), (result.SuggestionStart, result.SuggestionEnd));
        Assert.All(result.Suggestions, s => Assert.InRange(s.Iteration, 0, 5));
        Assert.Equal(3, result.Suggestions.Count());
    }

    [Fact]
    public void Learning_rates_follow_the_exponential_sweep_from_start_towards_end()
    {
        using var problem = new LeastSquares(9);
        using var optimizer = optim.SGD(problem.Model.parameters(), 0.01);
        var options = new LearningRateFinderOptions { StopOnDivergence = false, Iterations = 50, StartLearningRate = 1e-6, EndLearningRate = 1e-2 };

        var result = LearningRateFinder.Run(problem.Model, optimizer, problem.Batch, LeastSquares.Loss, options);

        Assert.Equal(LearningRateFinderStop.Completed, result.Stop);
        Assert.Equal(50, result.IterationCount);
        for (int i = 0; i < 50; i++)
        {
            double expected = 1e-6 * Math.Pow(1e4, i / 50.0);
            Assert.Equal(expected, result.Points[i].LearningRate, expected * 1e-9);
            Assert.Equal(i, result.Points[i].Iteration);
        }
    }

    [Fact]
    public void A_linear_sweep_is_a_lin_schedule()
    {
        var options = new LearningRateFinderOptions { Sweep = LearningRateSweep.Linear, StartLearningRate = 1e-3, EndLearningRate = 1, Iterations = 10 };
        Assert.Equal("schedule LearningRateRangeTest over 10it { lr = lin(0.001 -> 1, rest) }", LearningRateFinder.SweepText(options));
        ISchedule sweep = LearningRateFinder.CreateSweep(options);
        int lr = sweep.IndexOf("lr");
        Assert.Equal(1e-3, sweep.Evaluate(lr, 0), 12);
        Assert.Equal(1e-3 + 0.5 * (1 - 1e-3), sweep.Evaluate(lr, 5), 12);
        Assert.Equal("schedule LearningRateRangeTest over 100it { lr = exp(1E-07 -> 10, rest) }", LearningRateFinder.SweepText());
    }

    [Fact]
    public void The_smoothed_loss_is_the_bias_corrected_moving_average_of_the_raw_loss()
    {
        using var problem = new LeastSquares(10);
        using var optimizer = optim.SGD(problem.Model.parameters(), 0.01);
        var result = LearningRateFinder.Run(problem.Model, optimizer, problem.Batch, LeastSquares.Loss);

        double average = 0;
        for (int i = 0; i < result.IterationCount; i++)
        {
            average = 0.98 * average + 0.02 * result.Points[i].Loss;
            double expected = average / (1 - Math.Pow(0.98, i + 1));
            Assert.Equal(expected, result.Points[i].SmoothedLoss, Math.Abs(expected) * 1e-9);
        }
        Assert.Equal(result.Points[0].Loss, result.Points[0].SmoothedLoss, 1e-9);
    }

    public static TheoryData<string> Optimizers => new() { "SGD", "SGD momentum, trained", "AdamW, trained", "RMSProp, trained" };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Model_and_optimizer_come_back_bitwise_as_they_were(string setup)
    {
        using var model = nn.Sequential(("a", nn.Linear(4, 6)), ("norm", nn.BatchNorm1d(6)), ("relu", nn.ReLU()), ("b", nn.Linear(6, 1)));
        var generator = new Generator(99);
        using var x = rand(new long[] { 32, 4 }, generator: generator);
        using var y = rand(new long[] { 32, 1 }, generator: generator);
        var parameters = model.parameters().ToList();
        using optim.Optimizer optimizer = setup switch
        {
            "SGD" => optim.SGD(parameters, 0.05),
            "SGD momentum, trained" => optim.SGD(parameters, 0.05, momentum: 0.9, weight_decay: 1e-4),
            "AdamW, trained" => optim.AdamW(parameters, 1e-3),
            _ => optim.RMSProp(parameters, 1e-3, momentum: 0.5),
        };
        if (setup.EndsWith("trained", StringComparison.Ordinal))
        {
            for (int i = 0; i < 3; i++)
            {
                optimizer.zero_grad();
                LeastSquares.Loss(model.forward(x), y).backward();
                optimizer.step();
            }
        }
        model.eval();
        var stateBefore = StateBits(model);
        var gradsBefore = GradBits(model);
        byte[] optimizerBefore = OptimizerBytes(optimizer);
        double lrBefore = optimizer.ParamGroups.Single().LearningRate;

        var result = LearningRateFinder.Run(model, optimizer, () => (x, y), LeastSquares.Loss, new LearningRateFinderOptions { Iterations = 30 });

        Assert.True(result.IterationCount > 1);
        Assert.Equal(stateBefore, StateBits(model));
        Assert.Equal(gradsBefore, GradBits(model));
        Assert.Equal(optimizerBefore, OptimizerBytes(optimizer));
        Assert.Equal(lrBefore, optimizer.ParamGroups.Single().LearningRate);
        Assert.False(model.training);
    }

    [Fact]
    public void State_comes_back_when_the_batch_source_throws()
    {
        using var problem = new LeastSquares(11);
        using var optimizer = optim.SGD(problem.Model.parameters(), 0.01, momentum: 0.9);
        var before = StateBits(problem.Model);
        byte[] optimizerBefore = OptimizerBytes(optimizer);
        int calls = 0;

        Assert.Throws<InvalidOperationException>(() => LearningRateFinder.Run(problem.Model, optimizer,
            () => ++calls < 20 ? problem.Batch() : throw new InvalidOperationException("out of data"), LeastSquares.Loss,
            new LearningRateFinderOptions { StartLearningRate = 1e-3, EndLearningRate = 1e-1 }));

        Assert.Equal(before, StateBits(problem.Model));
        Assert.Equal(optimizerBefore, OptimizerBytes(optimizer));
    }

    [Fact]
    public void The_lr_find2_variant_records_a_validation_loss_every_iteration()
    {
        using var problem = new LeastSquares(12);
        using var optimizer = optim.SGD(problem.Model.parameters(), 0.01);
        int validationCalls = 0;

        var result = LearningRateFinder.RunWithValidation(problem.Model, optimizer, problem.Batch,
            () => { validationCalls++; return problem.ValidationBatch(); }, LeastSquares.Loss);

        Assert.True(result.HasValidation);
        Assert.Equal(result.IterationCount, validationCalls);
        Assert.All(result.Points.Take(result.IterationCount - 1), p =>
        {
            Assert.True(double.IsFinite(p.ValidationLoss));
            Assert.True(double.IsFinite(p.SmoothedValidationLoss));
        });
        // Evaluated after each step: it falls as the model learns, from the zero model's loss down to near the noise floor.
        Assert.True(result.Points.Min(p => p.ValidationLoss) < 0.01 * result.Points[0].ValidationLoss);
        Assert.Equal(LearningRateFinderStop.Diverged, result.Stop);

        var plain = LearningRateFinder.Run(problem.Model, optimizer, problem.Batch, LeastSquares.Loss);
        Assert.False(plain.HasValidation);
        Assert.All(plain.Points, p => Assert.True(double.IsNaN(p.ValidationLoss)));
        // Validation changes nothing in training: the same curve.
        Assert.Equal(plain.Points.Select(p => p.Loss), result.Points.Select(p => p.Loss));
    }

    [Fact]
    public void The_plot_is_a_png_of_the_requested_size_with_something_drawn()
    {
        using var problem = new LeastSquares(13);
        using var optimizer = optim.SGD(problem.Model.parameters(), 0.01);
        var result = LearningRateFinder.RunWithValidation(problem.Model, optimizer, problem.Batch, problem.ValidationBatch, LeastSquares.Loss);
        string directory = Directory.CreateTempSubdirectory("lrfinder").FullName;
        try
        {
            string png = Path.Combine(directory, "lr.png");
            LearningRateFinderPlot.Save(result, png, 640, 400);

            using var bitmap = SKBitmap.Decode(png);
            Assert.NotNull(bitmap);
            Assert.Equal(640, bitmap.Width);
            Assert.Equal(400, bitmap.Height);
            var colors = new HashSet<SKColor>();
            for (int yy = 0; yy < bitmap.Height; yy += 2)
                for (int xx = 0; xx < bitmap.Width; xx += 2)
                    colors.Add(bitmap.GetPixel(xx, yy));
            Assert.True(colors.Count > 20, $"only {colors.Count} colours: a blank image");
            // The curve's and the suggestions' colours are there.
            Assert.Contains(colors, c => c.Red == 0x1F && c.Green == 0x77 && c.Blue == 0xB4);
            Assert.Contains(colors, c => c.Red == 0x94 && c.Green == 0x67 && c.Blue == 0xBD);

            string svg = Path.Combine(directory, "lr.svg");
            LearningRateFinderPlot.Save(result, svg);
            Assert.Contains("<svg", File.ReadAllText(svg), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Minimum_is_a_tenth_of_the_rate_at_the_lowest_loss()
    {
        double[] lrs = [1e-4, 1e-3, 1e-2, 1e-1, 1];
        double[] losses = [5, 4, 1, 2, 9];
        var s = LearningRateSuggestions.Minimum(lrs, losses)!;
        Assert.Equal(1e-3, s.LearningRate, 15);
        Assert.Equal(2, s.Iteration);
        Assert.Equal(1e-2, s.PointLearningRate);
        Assert.Equal(1, s.PointLoss);
    }

    [Fact]
    public void Steep_is_where_the_loss_falls_fastest_against_log_lr()
    {
        double[] lrs = [1e-4, 1e-3, 1e-2, 1e-1, 1];
        double[] losses = [5, 4.5, 1.5, 1, 9];
        var s = LearningRateSuggestions.Steep(lrs, losses)!;
        Assert.Equal(1e-3, s.LearningRate);
        Assert.Equal(1, s.Iteration);
    }

    [Fact]
    public void Valley_is_halfway_along_the_longest_fall()
    {
        // Falls from index 2 to index 11 (10 points), with a bump the decreasing subsequence skips.
        double[] losses = [3, 4, 10, 9, 8, 8.5, 7, 6, 5, 4, 3, 2, 2.5, 6, 12];
        double[] lrs = losses.Select((_, i) => Math.Pow(10, -6 + i * 0.5)).ToArray();
        var s = LearningRateSuggestions.Valley(lrs, losses)!;
        // Longest strictly decreasing run ends at 11 with length 9 (10, 9, 8, 7, 6, 5, 4, 3, 2): start 11 - 9 = 2, a third is 3, half of that 1.
        Assert.Equal(2 + 3 + 1, s.Iteration);
        Assert.Equal(lrs[6], s.LearningRate);
    }

    [Fact]
    public void Suggestions_need_two_points()
    {
        Assert.Null(LearningRateSuggestions.Valley([1e-3], [1.0]));
        Assert.Null(LearningRateSuggestions.Steep([], []));
        Assert.Throws<ArgumentException>(() => LearningRateSuggestions.Minimum([1, 2], [1.0]));
    }

    [Fact]
    public void Bad_options_are_refused_before_training()
    {
        using var problem = new LeastSquares(14);
        using var optimizer = optim.SGD(problem.Model.parameters(), 0.01);
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateFinder.Run(problem.Model, optimizer, problem.Batch, LeastSquares.Loss,
            new LearningRateFinderOptions { StartLearningRate = 1, EndLearningRate = 0.1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateFinder.Run(problem.Model, optimizer, problem.Batch, LeastSquares.Loss,
            new LearningRateFinderOptions { Iterations = 1 }));
    }

    private static long[] StateBits(nn.Module model) =>
        model.state_dict().Values.SelectMany(Bits).ToArray();

    private static long[] GradBits(nn.Module model) =>
        model.parameters().SelectMany(p =>
        {
            using var grad = p.grad;
            return grad is null ? [long.MinValue] : Bits(grad);
        }).ToArray();

    private static long[] Bits(Tensor t)
    {
        using var d = t.detach().cpu().to_type(ScalarType.Float64);
        return d.data<double>().ToArray().Select(BitConverter.DoubleToInt64Bits).ToArray();
    }

    private static byte[] OptimizerBytes(optim.Optimizer optimizer)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) ((OptimizerHelper)optimizer).save_state_dict(writer);
        return stream.ToArray();
    }
}
