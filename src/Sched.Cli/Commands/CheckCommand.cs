using System.Globalization;

namespace Sched.Cli.Commands;

/// <summary><c>sched check FILE|DIR...</c>: every diagnostic of every file to stdout, a count to stderr.</summary>
internal static class CheckCommand
{
    public const string Usage = "sched check FILE|DIR...";

    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var line = CommandLine.Parse("check", args, Array.Empty<string>());
        if (line.Positionals.Count == 0)
            throw CliException.Usage("sched check: give the .sched files or directories to check, e.g. sched check schedules/");

        var files = ScheduleFiles.Expand(line.Positionals);
        int errors = 0, warnings = 0;
        foreach (string file in files)
        {
            var analysis = ScheduleFiles.Analyze(file);
            ScheduleSelection.WriteDiagnostics(analysis.Diagnostics, stdout);
            int fileErrors = analysis.Diagnostics.Count(d => d.IsError);
            errors += fileErrors;
            warnings += analysis.Diagnostics.Count - fileErrors;
        }

        // The diagnostics come before the count even where stdout is buffered and stderr is not.
        stdout.Flush();
        stderr.Write($"checked {Count(files.Count, "file")}: {Count(errors, "error")}, {Count(warnings, "warning")}\n");
        return errors > 0 ? ExitCodes.Failed : ExitCodes.Success;
    }

    private static string Count(int n, string noun) => n.ToString(CultureInfo.InvariantCulture) + " " + noun + (n == 1 ? "" : "s");
}
