using System.Globalization;
using System.Text;
using ScottPlot;
using SkiaSharp;

namespace Sched.Samples.FashionMnist;

/// <summary>One optimizer step: the values the param group held during it and the batch's loss.</summary>
public readonly record struct StepRecord(long Step, double LearningRate, double Momentum, double Loss);

/// <summary>The end of one epoch.</summary>
public readonly record struct EpochRecord(int Epoch, double TrainLoss, double TestLoss, double Accuracy, double Seconds);

/// <summary>Writes the per-step CSV and its plot.</summary>
public static class RunRecord
{
    public const string CsvHeader = "step,lr,momentum,loss";

    public static void WriteCsv(string path, IReadOnlyList<StepRecord> steps)
    {
        var text = new StringBuilder(CsvHeader).Append('\n');
        foreach (StepRecord s in steps)
        {
            text.Append(s.Step.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(s.LearningRate.ToString("R", CultureInfo.InvariantCulture)).Append(',')
                .Append(s.Momentum.ToString("R", CultureInfo.InvariantCulture)).Append(',')
                .Append(s.Loss.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }
        File.WriteAllText(path, text.ToString());
    }

    /// <summary>
    /// The metric reports a plateau schedule was given, one per row as <c>step,name,value</c>: the test loss as <c>val_loss</c> at each
    /// epoch's end (the position the loop reported it at). <c>sched eval</c> and <c>sched plot</c> replay them with <c>--metrics</c>.
    /// </summary>
    public static void WriteMetrics(string path, IReadOnlyList<EpochRecord> epochs, int stepsPerEpoch, long totalSteps)
    {
        var text = new StringBuilder("step,name,value\n");
        foreach (EpochRecord e in epochs)
        {
            long position = Math.Min((long)e.Epoch * stepsPerEpoch, totalSteps);
            text.Append(position.ToString(CultureInfo.InvariantCulture)).Append(',').Append(PlateauReports.Metric).Append(',')
                .Append(e.TestLoss.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }
        File.WriteAllText(path, text.ToString());
    }

    /// <summary>Two panels: lr (left axis) and momentum (right axis) above, the loss (raw and smoothed) below; x in epochs.</summary>
    public static void WritePlot(string path, IReadOnlyList<StepRecord> steps, int stepsPerEpoch, string title, int width = 1000, int height = 800)
    {
        double[] xs = steps.Select(s => s.Step / (double)stepsPerEpoch).ToArray();
        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        Plot top = multiplot.GetPlot(0), bottom = multiplot.GetPlot(1);

        var lr = top.Add.ScatterLine(xs, steps.Select(s => s.LearningRate).ToArray(), Color.FromHex("#1f77b4"));
        lr.LegendText = "lr";
        lr.LineWidth = 2;
        var momentum = top.Add.ScatterLine(xs, steps.Select(s => s.Momentum).ToArray(), Color.FromHex("#ff7f0e"));
        momentum.LegendText = "momentum";
        momentum.LineWidth = 2;
        momentum.Axes.YAxis = top.Axes.Right;
        top.Title(title);
        top.YLabel("lr");
        top.Axes.Right.Label.Text = "momentum";
        top.XLabel("epoch");
        top.ShowLegend(Edge.Bottom);

        double[] losses = steps.Select(s => s.Loss).ToArray();
        var raw = bottom.Add.ScatterLine(xs, losses, Color.FromHex("#2ca02c").WithAlpha(0.35));
        raw.LegendText = "loss (batch)";
        var smooth = bottom.Add.ScatterLine(xs, Smooth(losses, Math.Clamp(1 - 20.0 / Math.Max(1, losses.Length), 0.8, 0.98)), Color.FromHex("#2ca02c"));
        smooth.LegendText = "loss (smoothed)";
        smooth.LineWidth = 2;
        bottom.YLabel("loss");
        bottom.XLabel("epoch");
        bottom.ShowLegend(Edge.Bottom);

        var installed = new HashSet<string>(SKFontManager.Default.FontFamilies, StringComparer.OrdinalIgnoreCase);
        string? font = new[] { "DejaVu Sans", "Liberation Sans", "Noto Sans", "FreeSans", "Arial" }.FirstOrDefault(installed.Contains);
        if (font is not null)
        {
            top.Font.Set(font);
            bottom.Font.Set(font);
        }
        multiplot.SavePng(path, width, height);
    }

    /// <summary>Debiased exponential moving average, as fastai smooths its losses.</summary>
    private static double[] Smooth(double[] values, double beta)
    {
        var smoothed = new double[values.Length];
        double average = 0;
        for (int i = 0; i < values.Length; i++)
        {
            average = beta * average + (1 - beta) * values[i];
            smoothed[i] = average / (1 - Math.Pow(beta, i + 1));
        }
        return smoothed;
    }
}
