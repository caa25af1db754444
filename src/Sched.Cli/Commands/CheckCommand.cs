using System.Globalization;
using Sched.Diagnostics;
using Sched.Language;

namespace Sched.Cli.Commands;

/// <summary><c>sched check FILE|DIR...</c>: every diagnostic of every file to stdout, a count and help links to stderr.</summary>
internal static class CheckCommand
{
    public const string Usage = "sched check FILE|DIR...";

    public const string Help =
        "usage: " + Usage + "\n" +
        "\n" +
        "Checks .sched files as the build does and prints every diagnostic in the compiler's format,\n" +
        "FILE(line,col): error SCHED0xx: message, then a count and a link to each diagnostic's explanation.\n" +
        "A directory is searched for *.sched files (bin/ and obj/ left out). A file without a schedule is\n" +
        "an error, as for eval and plot.\n" +
        "\n" +
        "Exit code: 0 no errors (warnings allowed), 1 an error in a file, 2 a path that cannot be read.\n";

    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var line = CommandLine.Parse("check", args, Array.Empty<string>());
        if (line.Positionals.Count == 0)
            throw CliException.Usage("sched check: give the .sched files or directories to check, e.g. sched check schedules/");

        var files = ScheduleFiles.Expand(line.Positionals);
        int errors = 0, warnings = 0;
        var ids = new List<string>();
        foreach (string file in files)
        {
            var analysis = ScheduleFiles.Analyze(file);
            // The build's view: a schedule whose name C# cannot take is an error there, though Schedule.Parse takes it.
            var diagnostics = analysis.Diagnostics.Concat(analysis.Schedules.Select(CSharpNames.Check).OfType<Diagnostic>())
                .OrderBy(d => d.Span.Start).ToList();
            DiagnosticReport.WriteLines(diagnostics.Select(d => d.ToString()), stdout);
            ids.AddRange(diagnostics.Select(d => d.Id));
            int fileErrors = diagnostics.Count(d => d.IsError);
            // What eval and plot would stop at, said the same way.
            if (fileErrors == 0 && analysis.Schedules.Count == 0)
            {
                stdout.Write(ScheduleSelection.NoScheduleMessage(file) + "\n");
                fileErrors = 1;
            }
            errors += fileErrors;
            warnings += diagnostics.Count(d => !d.IsError);
        }

        // The diagnostics come before the count even where stdout is buffered and stderr is not.
        stdout.Flush();
        stderr.Write($"checked {Count(files.Count, "file")}: {Count(errors, "error")}, {Count(warnings, "warning")}\n");
        DiagnosticReport.WriteHelp(ids, stderr);
        return errors > 0 ? ExitCodes.Failed : ExitCodes.Success;
    }

    private static string Count(int n, string noun) => n.ToString(CultureInfo.InvariantCulture) + " " + noun + (n == 1 ? "" : "s");
}
