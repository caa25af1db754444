using System.Globalization;
using Sched.TorchSharp;
using Spectre.Console;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sched.Samples.FashionMnist;

/// <summary>
/// <c>--lr-find</c>: Smith's range test on this model and data (fastai's <c>lr_find</c>), trained by the sample's <see cref="TrainingLoop"/>
/// with the sweep as its schedule; prints every suggestion with what it is for, and the one for this optimizer as <c>--lr-max</c>.
/// </summary>
public static class RangeTest
{
    public static LearningRateFinderResult Run(TrainingOptions options, IAnsiConsole console)
    {
        if (options.ResumePath is not null) throw new TrainingException("--lr-find starts from fresh weights; it does not take --resume");
        if (options.Averaging is { } rule) throw new TrainingException($"--lr-find sweeps the learning rate and averages no weights; it does not take {AveragingHook.OptionOf(rule)}");
        if (options.Threads > 0) torch.set_num_threads(options.Threads);
        Device device = Trainer.ChooseDevice(options);
        FashionMnistData data = FashionMnistData.Load(options.DataDirectory, options.Embedded, options.TrainLimit, options.TestLimit);
        console.MarkupLineInterpolated($"[bold]LR range test[/] · data: {data.Source} · device: {device.type}");

        torch.random.manual_seed(options.Seed);
        using var model = new Cnn();
        model.to(device);
        using SGD optimizer = optim.SGD(model.parameters(), 1e-7, momentum: 0.9);
        var recorder = new LearningRateFinderRecorder();
        var driver = new ScheduleDriver(LearningRateFinder.CreateSweep(recorder.Options), optimizer);
        using var tensors = new TensorData(data, device);
        var loop = new TrainingLoop(model, optimizer, driver, tensors, options.BatchSize, options.Seed, recorder.Options.Iterations) { EvaluatesEpochs = false };
        loop.Run(recorder.Options.Iterations, [new Recording(recorder)]);
        LearningRateFinderResult result = recorder.ToResult();

        var table = new Table().AddColumn("suggestion").AddColumn("learning rate").AddColumn("what it is for");
        foreach (var suggestion in result.Suggestions)
            table.AddRow(suggestion.Method, suggestion.LearningRate.ToString("G3", CultureInfo.InvariantCulture), Markup.Escape(LearningRateSuggestions.Purpose(suggestion.Method)));
        console.Write(table);
        LearningRateSuggestion? pick = result.RecommendedFor(optimizer);
        console.MarkupLineInterpolated($"{result.IterationCount} iterations ({result.Stop})");
        if (pick is null) console.MarkupLine("[yellow]no suggestion[/]: the loss curve has fewer than 2 usable points; try more --train-limit images");
        else
        {
            console.MarkupLineInterpolated(
                $"for SGD + momentum with a 1cycle: --lr-max {pick.LearningRate.ToString("G2", CultureInfo.InvariantCulture)} (the {pick.Method} suggestion)");
        }

        string outputDirectory = options.OutputDirectory ?? Path.Combine("runs", DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(outputDirectory);
        string plot = Path.Combine(outputDirectory, "lr-find.png");
        LearningRateFinderPlot.Save(result, plot);
        console.MarkupLineInterpolated($"wrote {plot}");
        return result;
    }

    /// <summary>Feeds every step's rate and loss to the recorder, which ends the sweep (all iterations, divergence, a loss that is not finite).</summary>
    private sealed class Recording(LearningRateFinderRecorder recorder) : TrainingHooks
    {
        public override bool AfterStep(TrainingLoop loop, StepRecord step) => recorder.Record(step.LearningRate, step.Loss);

        public override void NonFiniteLoss(TrainingLoop loop, StepRecord step) => recorder.Record(step.LearningRate, step.Loss);
    }
}
