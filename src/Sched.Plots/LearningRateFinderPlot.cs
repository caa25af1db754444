using System.Globalization;
using ScottPlot;
using SkiaSharp;

// In the namespace of the results it draws, so code using the LR finder needs no other using.
namespace Sched.TorchSharp;

/// <summary>
/// Draws a range test as fastai's <c>plot_lr_find</c> does: loss against the learning rate on a log axis, with the suggestions marked.
/// ScottPlot has no log axis, so x is log10(lr) with ticks labelled as powers of ten.
/// </summary>
public static class LearningRateFinderPlot
{
    public const int DefaultWidth = 800;
    public const int DefaultHeight = 500;

    // matplotlib's tab10, as the sched command's plots.
    private static readonly Color LossColor = Color.FromHex("#1F77B4");
    private static readonly Color ValidationColor = Color.FromHex("#FF7F0E");
    private static readonly IReadOnlyDictionary<string, Color> SuggestionColors = new Dictionary<string, Color>
    {
        ["minimum"] = Color.FromHex("#2CA02C"),
        ["steep"] = Color.FromHex("#D62728"),
        ["valley"] = Color.FromHex("#9467BD"),
    };

    private static readonly string[] SansFonts = ["DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica"];

    /// <summary>Writes the plot as PNG, or SVG when <paramref name="path"/> ends in .svg.</summary>
    public static void Save(LearningRateFinderResult result, string path, int width = DefaultWidth, int height = DefaultHeight)
    {
        ArgumentNullException.ThrowIfNull(path);
        Plot plot = Build(result);
        if (Path.GetExtension(path).Equals(".svg", StringComparison.OrdinalIgnoreCase)) plot.SaveSvg(path, width, height);
        else plot.SavePng(path, width, height);
    }

    /// <summary>
    /// The plot, to adjust before saving: the smoothed training loss (the raw loss faint behind it), the smoothed validation loss when
    /// recorded, and each suggestion as a dashed vertical line at the suggested rate and a marker on the curve point it was read from.
    /// The last <see cref="LearningRateFinderOptions.SkipEnd"/> iterations are left out, as in fastai.
    /// </summary>
    public static Plot Build(LearningRateFinderResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var plot = new Plot();
        var shown = result.Points.Count - result.Options.SkipEnd >= 2
            ? result.Points.Take(result.Points.Count - result.Options.SkipEnd).ToList()
            : result.Points.ToList();

        AddCurve(plot, shown, p => p.Loss, "raw loss", LossColor.WithAlpha(0.45), 1);
        AddCurve(plot, shown, p => p.SmoothedLoss, "smoothed loss", LossColor, 2);
        if (result.HasValidation) AddCurve(plot, shown, p => p.SmoothedValidationLoss, "smoothed validation loss", ValidationColor, 2);

        foreach (LearningRateSuggestion suggestion in result.Suggestions)
        {
            Color color = SuggestionColors.TryGetValue(suggestion.Method, out var c) ? c : Colors.Black;
            var line = plot.Add.VerticalLine(Math.Log10(suggestion.LearningRate), 1.5f, color, LinePattern.Dashed);
            line.LegendText = $"{suggestion.Method}: {suggestion.LearningRate.ToString("0.##e+0", CultureInfo.InvariantCulture)}";
            var marker = plot.Add.Marker(Math.Log10(suggestion.PointLearningRate), suggestion.PointLoss, MarkerShape.FilledCircle, 10, color);
            marker.LegendText = "";
        }

        SetLimits(plot, shown, result);
        plot.Axes.Bottom.TickGenerator = PowersOfTen(plot.Axes.GetLimits().Left, plot.Axes.GetLimits().Right);
        plot.Title("Learning-rate range test");
        plot.XLabel("learning rate");
        plot.YLabel("loss");
        plot.ShowLegend(Edge.Bottom);
        UseInstalledSansFont(plot);
        return plot;
    }

    private static void AddCurve(Plot plot, IReadOnlyList<LearningRateFinderPoint> points, Func<LearningRateFinderPoint, double> y, string label, Color color, float width)
    {
        var finite = points.Where(p => double.IsFinite(y(p)) && p.LearningRate > 0).ToArray();
        if (finite.Length == 0) return;
        var line = plot.Add.ScatterLine(finite.Select(p => Math.Log10(p.LearningRate)).ToArray(), finite.Select(y).ToArray(), color);
        line.LineWidth = width;
        line.LegendText = label;
    }

    /// <summary>x over the shown rates; y from the lowest loss shown to the highest smoothed loss shown, so raw spikes do not flatten the curve.</summary>
    private static void SetLimits(Plot plot, IReadOnlyList<LearningRateFinderPoint> shown, LearningRateFinderResult result)
    {
        double[] xs = shown.Where(p => p.LearningRate > 0).Select(p => Math.Log10(p.LearningRate)).ToArray();
        if (xs.Length == 0) return;
        double left = xs.Min(), right = xs.Max();
        if (right - left < 1e-9) { left -= 0.5; right += 0.5; }
        var ys = shown.SelectMany(p => new[] { p.Loss, p.SmoothedLoss, p.SmoothedValidationLoss }).Where(double.IsFinite).ToArray();
        var high = shown.SelectMany(p => result.HasValidation ? new[] { p.SmoothedLoss, p.SmoothedValidationLoss } : new[] { p.SmoothedLoss })
            .Where(double.IsFinite).ToArray();
        if (ys.Length == 0 || high.Length == 0)
        {
            plot.Axes.SetLimitsX(left, right);
            return;
        }
        double bottom = ys.Min(), top = high.Max();
        if (top - bottom <= 0) top = bottom + Math.Max(Math.Abs(bottom), 1) * 0.1;
        double pad = (top - bottom) * 0.05;
        plot.Axes.SetLimits(left, right, bottom - pad, top + pad);
    }

    /// <summary>Major ticks at whole powers of ten, labelled 1e-5 and so on; minor ticks at 2..9 times them.</summary>
    private static ScottPlot.TickGenerators.NumericManual PowersOfTen(double left, double right)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int exponent = (int)Math.Floor(left); exponent <= (int)Math.Ceiling(right); exponent++)
        {
            if (exponent >= left - 1e-9 && exponent <= right + 1e-9) ticks.AddMajor(exponent, Label(exponent));
            for (int k = 2; k <= 9; k++)
            {
                double x = exponent + Math.Log10(k);
                if (x >= left && x <= right) ticks.AddMinor(x);
            }
        }
        return ticks;
    }

    private static string Label(int exponent) => exponent switch
    {
        0 => "1",
        1 => "10",
        _ => "1e" + exponent.ToString(CultureInfo.InvariantCulture),
    };

    private static void UseInstalledSansFont(Plot plot)
    {
        var installed = new HashSet<string>(SKFontManager.Default.FontFamilies, StringComparer.OrdinalIgnoreCase);
        string? font = SansFonts.FirstOrDefault(installed.Contains);
        if (font is not null) plot.Font.Set(font);
    }
}
