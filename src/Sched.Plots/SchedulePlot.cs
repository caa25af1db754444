using ScottPlot;
using SkiaSharp;

namespace Sched.Plots;

/// <summary>
/// Draws a schedule with ScottPlot: lr on the left axis, other tracks on the right, compared schedules'
/// lr dashed on the left; x in epochs when the run counts epochs.
/// </summary>
public static class SchedulePlot
{
    public const int DefaultWidth = 900;
    public const int DefaultHeight = 500;
    public const int MaxSamples = 5000;

    /// <summary>The plot, to adjust before saving.</summary>
    /// <param name="stepsPerEpoch">The run's steps per epoch to put x in epochs, or 0 to put it in steps.</param>
    /// <param name="compared">Other schedules whose lr is overlaid, labeled "Name lr".</param>
    public static Plot Build(ISchedule schedule, int stepsPerEpoch = 0, IReadOnlyList<ISchedule>? compared = null)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        compared ??= Array.Empty<ISchedule>();
        var plot = new Plot();
        int nextColor = 0;
        var rightTracks = new List<string>();
        for (int track = 0; track < schedule.TrackNames.Count; track++)
        {
            string name = schedule.TrackNames[track];
            bool isLearningRate = name == TrackNames.LearningRate;
            var color = isLearningRate ? PlotStyle.LearningRate
                : name == TrackNames.Momentum ? PlotStyle.Momentum
                : PlotStyle.Others[nextColor++ % PlotStyle.Others.Count];
            var line = AddLine(plot, schedule, track, stepsPerEpoch, name, color);
            if (!isLearningRate)
            {
                line.Axes.YAxis = plot.Axes.Right;
                rightTracks.Add(name);
            }
        }

        foreach (var other in compared)
        {
            int track = other.IndexOf(TrackNames.LearningRate);
            var line = AddLine(plot, other, track, stepsPerEpoch, other.Name + " " + TrackNames.LearningRate, PlotStyle.Others[nextColor++ % PlotStyle.Others.Count]);
            line.LinePattern = LinePattern.Dashed;
        }

        plot.Title(schedule.Name);
        plot.XLabel(stepsPerEpoch > 0 ? "epoch" : "step");
        plot.YLabel(TrackNames.LearningRate);
        if (rightTracks.Count > 0) plot.Axes.Right.Label.Text = string.Join(", ", rightTracks);
        // Outside the data area, the legend never hides the end of a line.
        plot.ShowLegend(Edge.Bottom);
        UseInstalledSansFont(plot);
        return plot;
    }

    /// <summary>Writes PNG or SVG by the path's extension.</summary>
    public static void Save(Plot plot, string path, int width = DefaultWidth, int height = DefaultHeight)
    {
        ArgumentNullException.ThrowIfNull(plot);
        ArgumentNullException.ThrowIfNull(path);
        if (IsSvg(path)) plot.SaveSvg(path, width, height);
        else plot.SavePng(path, width, height);
    }

    public static bool IsSvg(string path) => Path.GetExtension(path).Equals(".svg", StringComparison.OrdinalIgnoreCase);

    public static bool IsPng(string path) => Path.GetExtension(path).Equals(".png", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether any font is installed; without one, plots come out with no text at all.</summary>
    public static bool HasFonts() => SKFontManager.Default.FontFamilies.Any(family => family.Length > 0);

    private static ScottPlot.Plottables.Scatter AddLine(Plot plot, ISchedule schedule, int track, int stepsPerEpoch, string label, Color color)
    {
        long[] steps = ScheduleSampling.Sample(schedule, MaxSamples);
        var xs = new double[steps.Length];
        var ys = new double[steps.Length];
        for (int i = 0; i < steps.Length; i++)
        {
            xs[i] = stepsPerEpoch > 0 ? steps[i] / (double)stepsPerEpoch : steps[i];
            ys[i] = schedule.Evaluate(track, steps[i]);
        }

        var line = plot.Add.ScatterLine(xs, ys, color);
        line.LineWidth = PlotStyle.LineWidth;
        line.LegendText = label;
        return line;
    }

    private static void UseInstalledSansFont(Plot plot)
    {
        var installed = new HashSet<string>(SKFontManager.Default.FontFamilies, StringComparer.OrdinalIgnoreCase);
        string? font = PlotStyle.SansFonts.FirstOrDefault(installed.Contains);
        if (font is not null) plot.Font.Set(font);
    }
}
