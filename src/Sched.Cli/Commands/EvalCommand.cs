namespace Sched.Cli.Commands;

/// <summary>
/// <c>sched eval FILE [--schedule NAME] [--steps-per-epoch N] [--set name=value]...</c>: the schedule as
/// CSV on stdout (docs/language.md §11); diagnostics on stderr, and no CSV at all when there is an error.
/// </summary>
internal static class EvalCommand
{
    public const string Usage = "sched eval FILE [--schedule NAME] [--steps-per-epoch N] [--set name=value]... [--metrics FILE]";

    public const string Help =
        "usage: " + Usage + "\n" +
        "\n" +
        "Prints the schedule as CSV on stdout: a header 'step,lr,momentum,...' (its tracks in order), then one\n" +
        "row per whole step from 0 to the end inclusive, numbers in round-trip format. Diagnostics go to\n" +
        "stderr; with an error in the file there is no CSV at all. Each value is checked as the optimizer\n" +
        "driver checks it: at a value that is not finite, or outside its track's range (lr below 0, momentum\n" +
        "outside [0, 1)), the rows before it are printed, then the error naming the step (exit 1).\n" +
        "\n" +
        "  --schedule NAME        the schedule to print, when the file holds several\n" +
        "  --steps-per-epoch N    optimizer steps per epoch; needed by schedules that count epochs (ep)\n" +
        "  --set name=value       a parameter's value for this run, e.g. --set peak=0.5 or --set warm=5ep;\n" +
        "                         repeat for several\n" +
        "  --metrics FILE         a run's metrics to replay into the schedule's plateau phases: CSV, one report\n" +
        "                         per row, headed 'step,name,value' or 'step,val_loss' (empty cells skipped)\n" +
        "\n" +
        "Exit code: 0 printed (also when the reader stops early, e.g. '| head'), 1 the schedule has errors or\n" +
        "a value outside its range, 2 a wrong command line, a file that cannot be read, or output that cannot\n" +
        "be written.\n";

    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var line = CommandLine.Parse("eval", args, RunSettings.Options);
        string file = line.SingleFile();
        var settings = RunSettings.From(line);

        var schedules = ScheduleSelection.Load(file, stderr);
        var definition = ScheduleSelection.Select(schedules, settings.ScheduleName, file);
        var schedule = ScheduleSelection.Create(definition, settings, stderr);

        // Rows stream out as they are computed: 10^9 steps take no more memory than ten.
        ScheduleCsv.Write(schedule, stdout);
        return ExitCodes.Success;
    }
}
