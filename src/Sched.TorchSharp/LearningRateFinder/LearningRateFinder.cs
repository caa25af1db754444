using System.Globalization;
using Sched.Generated;
using Sched.Model;
using Sched.Text;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using Optimizer = TorchSharp.torch.optim.Optimizer;

namespace Sched.TorchSharp;

/// <summary>
/// The learning-rate range test (Smith, arXiv:1506.01186 §3.3 and 1803.09820; fastai's <c>lr_find</c>): train for a few iterations
/// while the learning rate sweeps up from tiny to huge, record the loss, and read off where it falls fastest and where it blows up.
/// </summary>
/// <remarks>
/// The sweep is a Sched schedule (<see cref="SweepText"/>: <c>lr = exp(start -> end, rest)</c> over the iterations) applied to every
/// param group by a <see cref="ScheduleDriver"/>. The loss is smoothed with a bias-corrected exponential moving average; the test stops
/// once the smoothed loss exceeds four times the best (or is not finite). Afterwards the module's state dict, the gradients, the
/// optimizer's state, the groups' learning rates and the training flag are put back bitwise as they were, whether the test finished,
/// stopped early or threw; the random-number generators are not (dropout draws from them).
/// </remarks>
public static class LearningRateFinder
{
    /// <summary>Runs the range test on training batches (fastai's <c>lr_find</c>).</summary>
    /// <param name="model">The module to train; its state is restored afterwards.</param>
    /// <param name="optimizer">A managed TorchSharp optimizer over the module's parameters (SGD, Adam, AdamW, ...); its state is restored afterwards.</param>
    /// <param name="nextBatch">
    /// Gives the next training batch on every call. Tensors it creates during the call are disposed at the end of the iteration;
    /// tensors it created earlier (a batch handed out repeatedly) are left alone.
    /// </param>
    /// <param name="loss">The criterion: (model output, target) to a scalar loss.</param>
    /// <param name="options">The sweep; null: fastai's defaults (1e-7 to 10, exponential, 100 iterations).</param>
    public static LearningRateFinderResult Run(
        nn.Module<Tensor, Tensor> model,
        Optimizer optimizer,
        Func<(Tensor Input, Tensor Target)> nextBatch,
        Func<Tensor, Tensor, Tensor> loss,
        LearningRateFinderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(nextBatch);
        return RunCore(model, optimizer, nextBatch, null, loss, options);
    }

    /// <summary>
    /// Runs the range test and also evaluates the next validation batch after every step, in eval mode without gradients (fastai 0.7's
    /// <c>lr_find2</c>): slower, but shows where the rate starts to hurt generalization, not only the training loss.
    /// </summary>
    /// <param name="nextValidationBatch">Gives the next validation batch on every call; its tensors are treated as <paramref name="nextBatch"/>'s.</param>
    /// <inheritdoc cref="Run" path="/param"/>
    public static LearningRateFinderResult RunWithValidation(
        nn.Module<Tensor, Tensor> model,
        Optimizer optimizer,
        Func<(Tensor Input, Tensor Target)> nextBatch,
        Func<(Tensor Input, Tensor Target)> nextValidationBatch,
        Func<Tensor, Tensor, Tensor> loss,
        LearningRateFinderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(nextBatch);
        ArgumentNullException.ThrowIfNull(nextValidationBatch);
        return RunCore(model, optimizer, nextBatch, nextValidationBatch, loss, options);
    }

    /// <summary>The sweep as Sched source: <c>schedule LearningRateRangeTest over 100it { lr = exp(1E-07 -> 10, rest) }</c>.</summary>
    public static string SweepText(LearningRateFinderOptions? options = null)
    {
        options ??= new LearningRateFinderOptions();
        options.Validate();
        string shape = options.Sweep == LearningRateSweep.Linear ? "lin" : "exp";
        string start = options.StartLearningRate.ToString("R", CultureInfo.InvariantCulture);
        string end = options.EndLearningRate.ToString("R", CultureInfo.InvariantCulture);
        return $"schedule LearningRateRangeTest over {options.Iterations}it {{ lr = {shape}({start} -> {end}, rest) }}";
    }

    /// <summary>The sweep as a schedule: its <c>lr</c> at step <c>i</c> is the rate iteration <c>i</c> trains at.</summary>
    /// <remarks>Built as the runtime's model of <see cref="SweepText"/>, so the driver loads no parser.</remarks>
    public static ISchedule CreateSweep(LearningRateFinderOptions? options = null)
    {
        options ??= new LearningRateFinderOptions();
        string text = SweepText(options);
        var model = new ScheduleModel(new SourceText(text, "LearningRateRangeTest.sched"), "LearningRateRangeTest", default, new TextSpan(0, text.Length), null, null,
            Array.Empty<ParameterModel>(), new LiteralDuration(default, options.Iterations, DurationUnit.Iteration),
            new[]
            {
                new TrackModel(TrackNames.LearningRate, default, default, new SegmentNode(default,
                    options.Sweep == LearningRateSweep.Linear ? Shape.Lin : Shape.Exp,
                    new ConstantValue(default, options.StartLearningRate), new ConstantValue(default, options.EndLearningRate), null, new RestDuration(default))),
            },
            null, false);
        return GeneratedSchedules.Interpret(GeneratedSchedules.Lay(model, 1, Array.Empty<ScheduleArgument?>()));
    }

    private static LearningRateFinderResult RunCore(
        nn.Module<Tensor, Tensor> model,
        Optimizer optimizer,
        Func<(Tensor Input, Tensor Target)> nextBatch,
        Func<(Tensor Input, Tensor Target)>? nextValidationBatch,
        Func<Tensor, Tensor, Tensor> loss,
        LearningRateFinderOptions? options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(loss);
        options ??= new LearningRateFinderOptions();
        options.Validate();
        if (optimizer is not OptimizerHelper helper)
        {
            throw new ArgumentException(
                $"{optimizer.GetType().Name} is not one of TorchSharp's managed optimizers (OptimizerHelper), whose state the range test can save and restore",
                nameof(optimizer));
        }

        ISchedule sweep = CreateSweep(options);
        int lrTrack = sweep.IndexOf(TrackNames.LearningRate);
        double beta = options.Smoothing;
        var points = new List<LearningRateFinderPoint>(options.Iterations);
        var stop = LearningRateFinderStop.Completed;

        using var snapshot = new TrainingSnapshot(model, helper);
        try
        {
            var driver = new ScheduleDriver(sweep, optimizer, new ScheduleDriverOptions { LearningRateMultipliers = options.LearningRateMultipliers });
            model.train();
            double average = 0, validationAverage = 0, betaPower = 1, best = double.PositiveInfinity;
            for (int i = 0; i < options.Iterations; i++)
            {
                double learningRate = sweep.Evaluate(lrTrack, driver.Position);
                double trainingLoss, validationLoss = double.NaN;
                using (NewDisposeScope())
                {
                    var (input, target) = nextBatch();
                    optimizer.zero_grad();
                    Tensor value = loss(model.forward(input), target);
                    trainingLoss = Scalar(value, "loss");
                    value.backward();
                    optimizer.step();
                    if (nextValidationBatch is not null)
                    {
                        model.eval();
                        try
                        {
                            using (no_grad())
                            {
                                var (validationInput, validationTarget) = nextValidationBatch();
                                validationLoss = Scalar(loss(model.forward(validationInput), validationTarget), "validation loss");
                            }
                        }
                        finally
                        {
                            model.train();
                        }
                    }
                }
                driver.Step();

                betaPower *= beta;
                average = beta * average + (1 - beta) * trainingLoss;
                double smoothed = average / (1 - betaPower);
                double smoothedValidation = double.NaN;
                if (nextValidationBatch is not null)
                {
                    validationAverage = beta * validationAverage + (1 - beta) * validationLoss;
                    smoothedValidation = validationAverage / (1 - betaPower);
                }
                points.Add(new LearningRateFinderPoint(i, learningRate, trainingLoss, smoothed, validationLoss, smoothedValidation));

                if (!double.IsFinite(smoothed))
                {
                    stop = LearningRateFinderStop.NonFinite;
                    break;
                }
                if (smoothed < best) best = smoothed;
                if (options.StopOnDivergence && smoothed > options.DivergenceFactor * best)
                {
                    stop = LearningRateFinderStop.Diverged;
                    break;
                }
            }
        }
        finally
        {
            snapshot.Restore();
        }
        return new LearningRateFinderResult(points, stop, options, nextValidationBatch is not null);
    }

    private static double Scalar(Tensor value, string what)
    {
        if (value.numel() != 1)
            throw new ArgumentException($"the criterion must return a scalar {what}; it returned shape [{string.Join(", ", value.shape)}] (reduce it with mean or sum)");
        using var detached = value.detach();
        using var asDouble = detached.to_type(ScalarType.Float64);
        return asDouble.item<double>();
    }
}
