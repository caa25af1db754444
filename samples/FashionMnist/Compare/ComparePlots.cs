using ScottPlot;
using SkiaSharp;

namespace Sched.Samples.FashionMnist;

/// <summary>
/// The plots of <c>compare</c>: accuracy per epoch (mean and min–max band per schedule, and a dashed line for an averaged model) and
/// the schedules' curves.
/// </summary>
public static class ComparePlots
{
    private static readonly string[] Palette =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939"];

    public static Color ColorOf(int i) => Color.FromHex(Palette[i % Palette.Length]);

    public static void WriteAccuracy(string path, IReadOnlyList<string> schedules, IReadOnlyList<CompareRun> runs, double target, int width = 900, int height = 600)
    {
        var plot = new Plot();
        for (int i = 0; i < schedules.Count; i++)
        {
            CompareRun[] mine = runs.Where(r => r.Schedule == schedules[i]).ToArray();
            if (mine.Length == 0) continue;
            // A run that diverged stopped early: plot the epochs every seed reached.
            double[] xs = Enumerable.Range(1, mine.Min(r => r.Epochs.Count)).Select(e => (double)e).ToArray();
            if (xs.Length == 0) continue;
            double[] mean = xs.Select((_, e) => mine.Average(r => r.Epochs[e].Accuracy)).ToArray();
            double[] low = xs.Select((_, e) => mine.Min(r => r.Epochs[e].Accuracy)).ToArray();
            double[] high = xs.Select((_, e) => mine.Max(r => r.Epochs[e].Accuracy)).ToArray();
            Color color = ColorOf(i);
            if (mine.Length > 1)
            {
                var band = plot.Add.FillY(xs, low, high);
                band.FillStyle.Color = color.WithAlpha(0.18);
                band.LineStyle.Width = 0;
            }
            var line = plot.Add.ScatterLine(xs, mean, color);
            line.LineWidth = 2;
            line.MarkerSize = 6;
            line.MarkerShape = MarkerShape.FilledCircle;
            line.LegendText = schedules[i];

            // The averaged model (SWA, EMA) at the epochs every seed evaluated it.
            if (mine[0].Averaging is not { } rule) continue;
            double[] averagedXs = xs.Where(x => mine.All(r => r.AveragedEpochs!.Any(a => a.Epoch == (int)x))).ToArray();
            if (averagedXs.Length == 0) continue;
            double[] averagedMean = averagedXs.Select(x => mine.Average(r => r.AveragedEpochs!.First(a => a.Epoch == (int)x).Accuracy)).ToArray();
            var averaged = plot.Add.ScatterLine(averagedXs, averagedMean, color);
            averaged.LineWidth = 2;
            averaged.LinePattern = LinePattern.Dashed;
            averaged.MarkerSize = 7;
            averaged.MarkerShape = MarkerShape.OpenDiamond;
            averaged.LegendText = $"{schedules[i]}: {AveragingHook.NameOf(rule)} model";
        }
        var targetLine = plot.Add.HorizontalLine(target, 1, Color.FromHex("#999999"), LinePattern.Dashed);
        targetLine.LegendText = $"target {target:P0}";
        plot.Title("Fashion-MNIST test accuracy (mean over seeds; band: min–max)");
        plot.XLabel("epoch");
        plot.YLabel("test accuracy");
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(1);
        plot.ShowLegend(Edge.Right);
        SetFont(plot);
        plot.SavePng(path, width, height);
    }

    /// <summary>lr (top) and momentum (bottom) of each schedule over the run, x in epochs; from the values the optimizer held.</summary>
    public static void WriteSchedules(string path, IReadOnlyList<string> schedules, IReadOnlyList<CompareRun> oneRunEach, int stepsPerEpoch, int width = 900, int height = 700)
    {
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        Plot top = multiplot.GetPlot(0), bottom = multiplot.GetPlot(1);
        for (int i = 0; i < schedules.Count; i++)
        {
            CompareRun? run = oneRunEach.FirstOrDefault(r => r.Schedule == schedules[i]);
            if (run is null || run.Steps.Count == 0) continue;
            // At most ~2,000 points a curve: enough for the spikes, small files.
            int stride = Math.Max(1, run.Steps.Count / 2000);
            StepRecord[] steps = run.Steps.Where((_, k) => k % stride == 0).ToArray();
            double[] xs = steps.Select(s => s.Step / (double)stepsPerEpoch).ToArray();
            var lr = top.Add.ScatterLine(xs, steps.Select(s => s.LearningRate).ToArray(), ColorOf(i));
            lr.LineWidth = 1.5f;
            lr.LegendText = schedules[i];
            var momentum = bottom.Add.ScatterLine(xs, steps.Select(s => double.IsNaN(s.Momentum) ? 0 : s.Momentum).ToArray(), ColorOf(i));
            momentum.LineWidth = 1.5f;
            momentum.LegendText = schedules[i];
        }
        top.Title("learning rate");
        top.YLabel("lr");
        top.XLabel("epoch");
        top.ShowLegend(Edge.Right);
        bottom.Title("momentum");
        bottom.YLabel("momentum");
        bottom.XLabel("epoch");
        SetFont(top);
        SetFont(bottom);
        multiplot.SavePng(path, width, height);
    }

    private static void SetFont(Plot plot)
    {
        var installed = new HashSet<string>(SKFontManager.Default.FontFamilies, StringComparer.OrdinalIgnoreCase);
        string? font = new[] { "DejaVu Sans", "Liberation Sans", "Noto Sans", "FreeSans", "Arial" }.FirstOrDefault(installed.Contains);
        if (font is not null) plot.Font.Set(font);
    }
}
