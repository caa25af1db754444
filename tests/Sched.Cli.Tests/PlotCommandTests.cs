using System.Xml.Linq;
using Sched.Plots;
using SkiaSharp;

namespace Sched.Cli.Tests;

public sealed class PlotCommandTests
{
    private const string OneCycle =
        "schedule OneCycle over 200it {\n    lr = lin(0.01 -> 0.1, 30%) + cos(0.1 -> 0.001)\n    momentum = lin(0.95 -> 0.85, 30%) + lin(0.85 -> 0.95)\n}\n";

    private const string Pair =
        "schedule Fast over 100it {\n    lr = cos(0.1 -> 0.001)\n    mom = 0.9\n}\n" +
        "schedule Slow over 150it {\n    lr = lin(0.05 -> 0.005)\n}\n";

    [Fact]
    public void Png_HasTheRequestedSize_AndShowsBothLines()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("one.sched", OneCycle);
        string png = dir.Combine("one.png");

        var result = CliRunner.Run("plot", file, "-o", png, "--width", "640", "--height", "360");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"wrote {png} (PNG, 640x360): OneCycle's lr, momentum over 200 steps\n", result.Stdout);
        using var bitmap = SKBitmap.Decode(png);
        Assert.NotNull(bitmap);
        Assert.Equal(640, bitmap.Width);
        Assert.Equal(360, bitmap.Height);

        var pixels = bitmap.Pixels;
        var background = pixels[0];
        Assert.True(pixels.Distinct().Count() > 50, "the image has too few colors to be a plot");
        Assert.True(pixels.Count(p => p != background) > pixels.Length / 50, "the image is nearly blank");
        Assert.True(CountNear(pixels, PlotStyle.LearningRateHex) > 150, "the lr line is missing");
        Assert.True(CountNear(pixels, PlotStyle.MomentumHex) > 150, "the momentum line is missing");
    }

    [Fact]
    public void Png_HasTheDefaultSize()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("one.sched", OneCycle);
        string png = dir.Combine("one.PNG");

        var result = CliRunner.Run("plot", file, "-o", png);

        Assert.Equal(0, result.ExitCode);
        using var bitmap = SKBitmap.Decode(png);
        Assert.Equal(900, bitmap.Width);
        Assert.Equal(500, bitmap.Height);
    }

    [Fact]
    public void Svg_HasTheRequestedSize_PathsInBothColors_AndLabels()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("one.sched", OneCycle);
        string svg = dir.Combine("one.svg");

        var result = CliRunner.Run("plot", file, "--output", svg, "--width", "700", "--height", "420");

        Assert.Equal(0, result.ExitCode);
        var root = XDocument.Load(svg).Root!;
        Assert.Equal("svg", root.Name.LocalName);
        Assert.Equal("700", (string?)root.Attribute("width"));
        Assert.Equal("420", (string?)root.Attribute("height"));
        var colors = LineColors(root);
        Assert.Contains(PlotStyle.LearningRateHex, colors);
        Assert.Contains(PlotStyle.MomentumHex, colors);

        var texts = Texts(root);
        Assert.Contains("OneCycle", texts);
        Assert.Contains("step", texts);
        Assert.Contains("lr", texts);
        Assert.Contains("momentum", texts);
    }

    [Fact]
    public void EpochSchedule_PutsEpochsOnTheXAxis()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("e.sched", "schedule E over 4ep {\n    lr = cos(0.1 -> 0.001)\n}\n");
        string svg = dir.Combine("e.svg");

        var result = CliRunner.Run("plot", file, "--steps-per-epoch", "50", "-o", svg);

        Assert.Equal(0, result.ExitCode);
        var texts = Texts(XDocument.Load(svg).Root!);
        Assert.Contains("epoch", texts);
        Assert.DoesNotContain("step", texts);
    }

    [Fact]
    public void Compare_OverlaysTheLrOfSchedulesNamedByNameOrPath()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("pair.sched", Pair);
        string other = dir.Write("other.sched", OneCycle);
        string svg = dir.Combine("cmp.svg");

        var result = CliRunner.Run("plot", file, "--schedule", "Fast", "--compare", "Slow", "--compare", other + ":OneCycle", "-o", svg);

        Assert.Equal(0, result.ExitCode);
        var root = XDocument.Load(svg).Root!;
        var texts = Texts(root);
        Assert.Contains("Slow lr", texts);
        Assert.Contains("OneCycle lr", texts);
        var colors = LineColors(root);
        Assert.Contains(PlotStyle.LearningRateHex, colors);
        Assert.Contains(PlotStyle.MomentumHex, colors);
        Assert.Contains(PlotStyle.OtherHex[0], colors);
        Assert.Contains(PlotStyle.OtherHex[1], colors);
    }

    [Fact]
    public void Compare_WithAPathAlone_TakesThatFilesOnlySchedule()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("one.sched", OneCycle);
        string other = dir.Write("other.sched", "schedule Other over 100it {\n    lr = 0.05\n}\n");
        string svg = dir.Combine("cmp.svg");

        var result = CliRunner.Run("plot", file, "--compare", other, "-o", svg);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Other lr", Texts(XDocument.Load(svg).Root!));
    }

    [Fact]
    public void Compare_WithAnUnknownName_FailsListingTheNames()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("pair.sched", Pair);
        string png = dir.Combine("cmp.png");

        var result = CliRunner.Run("plot", file, "--schedule", "Fast", "--compare", "Medium", "-o", png);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Fast, Slow", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(png));
    }

    [Fact]
    public void ScheduleErrors_FailWithoutWritingAnImage()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("bad.sched", "schedule Bad over 10it {\n    lr = lin(0.1 -> 0.01, 5)\n}\n");
        string png = dir.Combine("bad.png");

        var result = CliRunner.Run("plot", file, "-o", png);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("error SCHED", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(png));
    }

    [Theory]
    [InlineData("out.jpg")]
    [InlineData("out")]
    [InlineData(null)]
    public void OutputMustBeAPngOrSvg(string? output)
    {
        using var dir = new TempDirectory();
        string file = dir.Write("one.sched", OneCycle);
        string[] args = output is null ? new[] { "plot", file } : new[] { "plot", file, "-o", dir.Combine(output) };

        var result = CliRunner.Run(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("-o", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(".png", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void OutputInAMissingDirectory_IsAnIoError()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("one.sched", OneCycle);

        var result = CliRunner.Run("plot", file, "-o", dir.Combine(Path.Combine("missing", "one.png")));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("does not exist", result.Stderr, StringComparison.Ordinal);
    }

    /// <summary>Pixels within a few levels of the color, so anti-aliased edges do not count but line cores do.</summary>
    private static int CountNear(SKColor[] pixels, string hex)
    {
        var target = SKColor.Parse(hex);
        return pixels.Count(p => Math.Abs(p.Red - target.Red) <= 8 && Math.Abs(p.Green - target.Green) <= 8 && Math.Abs(p.Blue - target.Blue) <= 8);
    }

    /// <summary>
    /// Upper-case colors of the SVG's lines (path or polyline): their stroke, or their fill, since Skia
    /// writes a dashed line as filled dash outlines.
    /// </summary>
    private static HashSet<string> LineColors(XElement root) =>
        root.Descendants()
            .Where(e => e.Name.LocalName is "path" or "polyline")
            .SelectMany(e => new[] { (string?)e.Attribute("stroke"), (string?)e.Attribute("fill") })
            .OfType<string>()
            .Select(color => color.ToUpperInvariant())
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>The SVG's text, which exists only where a font is installed (hence the clearer failure first).</summary>
    private static HashSet<string> Texts(XElement root)
    {
        Assert.True(SchedulePlot.HasFonts(), "no fonts are installed, so plots have no text; install one: apt-get install fonts-dejavu-core");
        return root.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value.Trim()).ToHashSet(StringComparer.Ordinal);
    }
}
