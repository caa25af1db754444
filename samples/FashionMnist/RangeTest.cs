using System.Globalization;
using Sched.TorchSharp;
using Spectre.Console;
using TorchSharp;
using static TorchSharp.torch;

namespace Sched.Samples.FashionMnist;

/// <summary><c>--lr-find</c>: Smith's range test on this model and data, whose suggestion is the 1cycle's <c>--lr-max</c>.</summary>
public static class RangeTest
{
    public static LearningRateFinderResult Run(TrainingOptions options, IAnsiConsole console)
    {
        if (options.Threads > 0) torch.set_num_threads(options.Threads);
        Device device = Trainer.ChooseDevice(options);
        FashionMnistData data = FashionMnistData.Load(options.DataDirectory, options.Embedded, options.TrainLimit, options.TestLimit);
        console.MarkupLineInterpolated($"[bold]LR range test[/] · data: {data.Source} · device: {device.type}");

        using Tensor trainX = Trainer.Images(data.TrainImages, data.TrainCount, device);
        using Tensor trainY = Trainer.Labels(data.TrainLabels, device);
        long[] order = Trainer.Permutation(data.TrainCount, options.Seed, 0);
        int batch = 0;
        (Tensor Input, Tensor Target) NextBatch()
        {
            int from = batch++ * options.BatchSize % data.TrainCount;
            int count = Math.Min(options.BatchSize, data.TrainCount - from);
            using var index = tensor(order.AsSpan(from, count).ToArray(), device: device);
            return (trainX.index_select(0, index), trainY.index_select(0, index));
        }

        torch.random.manual_seed(options.Seed);
        using var model = new Cnn();
        model.to(device);
        using var optimizer = optim.SGD(model.parameters(), 1e-7, momentum: 0.9);
        var result = LearningRateFinder.Run(model, optimizer, NextBatch, (output, target) => nn.functional.cross_entropy(output, target));

        var table = new Table().AddColumn("suggestion").AddColumn("learning rate");
        foreach (var suggestion in result.Suggestions) table.AddRow(suggestion.Method, suggestion.LearningRate.ToString("G3", CultureInfo.InvariantCulture));
        console.Write(table);
        console.MarkupLineInterpolated($"{result.IterationCount} iterations ({result.Stop}); for the 1cycle use e.g. --lr-max {(result.Valley ?? result.Steep ?? result.Minimum)?.LearningRate.ToString("G2", CultureInfo.InvariantCulture) ?? "(no suggestion)"}");

        string outputDirectory = options.OutputDirectory ?? Path.Combine("runs", DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(outputDirectory);
        string plot = Path.Combine(outputDirectory, "lr-find.png");
        LearningRateFinderPlot.Save(result, plot);
        console.MarkupLineInterpolated($"wrote {plot}");
        return result;
    }
}
