namespace Sched.Cli.Commands;

/// <summary>
/// <c>sched eval FILE [--schedule NAME] [--steps-per-epoch N] [--set name=value]...</c>: the schedule as
/// CSV on stdout (docs/language.md §11); diagnostics on stderr, and no CSV at all when there is an error.
/// </summary>
internal static class EvalCommand
{
    public const string Usage = "sched eval FILE [--schedule NAME] [--steps-per-epoch N] [--set name=value]...";

    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var line = CommandLine.Parse("eval", args, RunSettings.Options);
        string file = line.SingleFile();
        var settings = RunSettings.From(line);

        var schedules = ScheduleSelection.Load(file, stderr);
        var definition = ScheduleSelection.Select(schedules, settings.ScheduleName, file);
        var schedule = ScheduleSelection.Create(definition, settings.StepsPerEpoch, settings.Set, stderr);

        // Evaluation cannot fail once the schedule is laid out, so rows stream out as they are computed.
        ScheduleCsv.Write(schedule, stdout);
        return ExitCodes.Success;
    }
}
