using System.Globalization;
using Sched.Plots;

namespace Sched.Cli.Commands;

/// <summary>
/// <c>sched plot FILE ... -o out.png|out.svg [--compare SPEC]... [--width W --height H]</c>: a chart of
/// the schedule's tracks, with other schedules' lr overlaid.
/// </summary>
internal static class PlotCommand
{
    public const string Usage = "sched plot FILE [--schedule NAME] [--steps-per-epoch N] [--set name=value]... [--metrics FILE] -o OUT.png|OUT.svg [--compare NAME|PATH|PATH:NAME]... [--width W] [--height H]";

    /// <summary>Far beyond any screen, and small enough that a typo cannot ask for gigabytes.</summary>
    public const int MaxSide = 10000;

    /// <summary>A PNG's pixels are held in memory while it is drawn: 16 million of them take about 64 MB.</summary>
    public const long MaxPixels = 16_000_000;

    public const string Help =
        "usage: " + Usage + "\n" +
        "\n" +
        "Draws the schedule's tracks: lr on the left axis, the other tracks on the right, x in epochs when\n" +
        "the schedule counts epochs. Writes PNG or SVG by the extension of -o, and says what it wrote.\n" +
        "\n" +
        "  -o, --output FILE      the image to write: a .png or .svg file in an existing directory\n" +
        "  --schedule NAME        the schedule to draw, when the file holds several\n" +
        "  --steps-per-epoch N    optimizer steps per epoch; needed by schedules that count epochs (ep)\n" +
        "  --set name=value       a parameter's value for this run, e.g. --set peak=0.5; repeat for several\n" +
        "  --metrics FILE         a run's metrics to replay into the schedule's plateau phases: CSV, one report\n" +
        "                         per row, headed 'step,name,value' or 'step,val_loss' (empty cells skipped)\n" +
        "  --compare SPEC         overlay another schedule's lr, dashed: NAME (in the same file), PATH (a file's\n" +
        "                         only schedule) or PATH:NAME; repeat for several\n" +
        "  --width W, --height H  the image's size in pixels (default 900x500; at most 10000 a side and\n" +
        "                         16,000,000 pixels in all)\n" +
        "\n" +
        "Every whole step's values are checked first, as the optimizer driver checks them; a value that is not\n" +
        "finite, or outside its track's range, is an error naming the step, and nothing is drawn.\n" +
        "\n" +
        "Exit code: 0 written, 1 a schedule has errors or a value outside its range, 2 a wrong command line\n" +
        "or a file that cannot be read or written.\n";

    private const string OutputOption = "--output";
    private const string CompareOption = "--compare";
    private const string WidthOption = "--width";
    private const string HeightOption = "--height";

    private static readonly string[] Options = RunSettings.Options.Concat(new[] { OutputOption, CompareOption, WidthOption, HeightOption }).ToArray();
    private static readonly Dictionary<string, string> Aliases = new() { ["-o"] = OutputOption };

    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var line = CommandLine.Parse("plot", args, Options, Aliases);
        string file = line.SingleFile();
        var settings = RunSettings.From(line);
        string output = line.Single(OutputOption)
            ?? throw CliException.Usage("sched plot: give the image to write with -o, e.g. -o schedule.png or -o schedule.svg");
        if (!SchedulePlot.IsPng(output) && !SchedulePlot.IsSvg(output))
            throw CliException.Usage($"sched plot: -o '{output}' must end in .png or .svg, e.g. -o schedule.png");
        int width = line.PositiveInt(WidthOption, SchedulePlot.DefaultWidth, MaxSide);
        int height = line.PositiveInt(HeightOption, SchedulePlot.DefaultHeight, MaxSide);
        if ((long)width * height > MaxPixels)
        {
            throw CliException.Usage($"sched plot: {width}x{height} is {N((long)width * height)} pixels, more than the {N(MaxPixels)} a plot may have; " +
                "give a smaller --width or --height, e.g. --width 4000 --height 4000");
        }
        var compareSpecs = line.All(CompareOption).Select(CompareSpec.Parse).ToArray();
        CheckOutputPath(output);

        var schedules = ScheduleSelection.Load(file, stderr);
        var definition = ScheduleSelection.Select(schedules, settings.ScheduleName, file);
        var schedule = ScheduleSelection.Create(definition, settings, stderr);
        // --set names the main schedule's parameters, so compared schedules keep their defaults.
        var compared = compareSpecs
            .Select(spec => ScheduleSelection.Create(spec.Resolve(file, schedules, stderr), settings.StepsPerEpoch, null, stderr))
            .ToArray();
        ValueCheck.RequireAll(schedule);
        foreach (var other in compared) ValueCheck.RequireAll(other);

        if (!SchedulePlot.HasFonts())
            stderr.Write("sched plot: warning: no fonts found under /usr/share/fonts, so the plot has no text; install one, e.g. apt-get install fonts-dejavu-core\n");

        int epochLength = definition.UsesEpochs ? schedule.StepsPerEpoch : 0;
        var plot = SchedulePlot.Build(schedule, epochLength, compared);
        try
        {
            SchedulePlot.Save(plot, output, width, height);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.Io($"sched plot: cannot write '{output}': {e.Message}");
        }

        string tracks = string.Join(", ", schedule.TrackNames.Concat(compared.Select(c => c.Name + " lr")));
        stdout.Write($"wrote {output} ({(SchedulePlot.IsSvg(output) ? "SVG" : "PNG")}, {width}x{height}): {schedule.Name}'s {tracks} over {Span(schedule, epochLength)}\n");
        return ExitCodes.Success;
    }

    /// <summary>What stands in the way of writing the image, said before any work: a directory in its place, a missing or non-directory parent.</summary>
    private static void CheckOutputPath(string output)
    {
        string full = Path.GetFullPath(output);
        if (Directory.Exists(full))
            throw CliException.Io($"sched plot: cannot write '{output}': it is a directory; name a file inside it, e.g. -o {Path.Combine(output, "schedule" + Path.GetExtension(output))}");
        string? directory = Path.GetDirectoryName(full);
        if (directory is null || Directory.Exists(directory)) return;
        // The nearest ancestor that exists tells whether a file stands where a directory is needed.
        for (string? ancestor = directory; ancestor is not null; ancestor = Path.GetDirectoryName(ancestor))
        {
            if (File.Exists(ancestor))
                throw CliException.Io($"sched plot: cannot write '{output}': '{ancestor}' is a file, not a directory; choose another path");
            if (Directory.Exists(ancestor)) break;
        }
        throw CliException.Io($"sched plot: cannot write '{output}': the directory '{directory}' does not exist; create it first");
    }

    private static string Span(ISchedule schedule, int stepsPerEpoch) => stepsPerEpoch > 0
        ? $"{N(schedule.TotalSteps / stepsPerEpoch)} epochs of {N(stepsPerEpoch)} steps"
        : $"{N(schedule.TotalSteps)} steps";

    private static string N(double value) => value.ToString("#,0.##", CultureInfo.InvariantCulture);
}
