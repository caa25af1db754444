using Sched.Plots;

namespace Sched.Cli.Commands;

/// <summary>
/// <c>sched plot FILE ... -o out.png|out.svg [--compare SPEC]... [--width W --height H]</c>: a chart of
/// the schedule's tracks, with other schedules' lr overlaid.
/// </summary>
internal static class PlotCommand
{
    public const string Usage = "sched plot FILE [--schedule NAME] [--steps-per-epoch N] [--set name=value]... -o OUT.png|OUT.svg [--compare NAME|PATH|PATH:NAME]... [--width W] [--height H]";

    private const string OutputOption = "--output";
    private const string CompareOption = "--compare";
    private const string WidthOption = "--width";
    private const string HeightOption = "--height";

    /// <summary>Far beyond any screen, and small enough that a typo cannot ask for gigabytes.</summary>
    private const int MaxSide = 20000;

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
        var compareSpecs = line.All(CompareOption).Select(CompareSpec.Parse).ToArray();
        EnsureDirectoryExists(output);

        var schedules = ScheduleSelection.Load(file, stderr);
        var definition = ScheduleSelection.Select(schedules, settings.ScheduleName, file);
        var schedule = ScheduleSelection.Create(definition, settings.StepsPerEpoch, settings.Set, stderr);
        // --set names the main schedule's parameters, so compared schedules keep their defaults.
        var compared = compareSpecs
            .Select(spec => ScheduleSelection.Create(spec.Resolve(file, schedules, stderr), settings.StepsPerEpoch, null, stderr))
            .ToArray();

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

        return ExitCodes.Success;
    }

    private static void EnsureDirectoryExists(string output)
    {
        string? directory = Path.GetDirectoryName(Path.GetFullPath(output));
        if (directory is not null && !Directory.Exists(directory))
            throw CliException.Io($"sched plot: cannot write '{output}': the directory '{directory}' does not exist; create it first");
    }
}
