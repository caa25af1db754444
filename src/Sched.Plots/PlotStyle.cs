using ScottPlot;

namespace Sched.Plots;

/// <summary>
/// Fixed colors, so a reader (and the tests) can tell the lines apart: matplotlib's tab10, lr first,
/// momentum second, other tracks and then compared schedules in order after them.
/// </summary>
public static class PlotStyle
{
    public const string LearningRateHex = "#1F77B4";
    public const string MomentumHex = "#FF7F0E";

    public static readonly IReadOnlyList<string> OtherHex = new[]
    {
        "#2CA02C", "#D62728", "#9467BD", "#8C564B", "#E377C2", "#7F7F7F", "#BCBD22", "#17BECF",
    };

    public static readonly Color LearningRate = Color.FromHex(LearningRateHex);
    public static readonly Color Momentum = Color.FromHex(MomentumHex);
    public static readonly IReadOnlyList<Color> Others = OtherHex.Select(Color.FromHex).ToArray();

    /// <summary>Two pixels wide, so each line has pixels of exactly its color despite anti-aliasing.</summary>
    public const float LineWidth = 2;

    /// <summary>Families tried for text, first installed wins; ScottPlot's own guess picks a serif face on Linux.</summary>
    public static readonly IReadOnlyList<string> SansFonts = new[] { "DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica" };
}
