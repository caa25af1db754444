using Sched.Cli.Commands;

namespace Sched.Cli;

/// <summary>The <c>sched</c> command: dispatches to a command and turns every failure into a message and an exit code.</summary>
internal static class Cli
{
    private const string HelpText =
        "sched: check, evaluate and plot .sched learning-rate schedules\n" +
        "\n" +
        "usage:\n" +
        "  " + CheckCommand.Usage + "\n" +
        "      print every diagnostic; exit code 1 when there is an error\n" +
        "  " + EvalCommand.Usage + "\n" +
        "      print the schedule as CSV, one row per step\n" +
        "  " + PlotCommand.Usage + "\n" +
        "      draw the schedule's tracks (default size 900x500)\n" +
        "  " + PresetsCommand.Usage + "\n" +
        "      list the standard library's presets, or show one's source text\n";

    /// <summary>Runs one command line; the in-process entry the tests use. Never throws.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        try
        {
            if (args.Count == 0)
                throw CliException.Usage("sched: give a command: check, eval, plot or presets (sched help shows how)");

            var rest = args.Skip(1).ToArray();
            switch (args[0])
            {
                case "check": return CheckCommand.Run(rest, stdout, stderr);
                case "eval": return EvalCommand.Run(rest, stdout, stderr);
                case "plot": return PlotCommand.Run(rest, stdout, stderr);
                case "presets": return PresetsCommand.Run(rest, stdout, stderr);
                case "help" or "--help" or "-h":
                    stdout.Write(HelpText);
                    return ExitCodes.Success;
                default:
                    throw CliException.Usage($"sched: unknown command '{args[0]}'; write check, eval, plot or presets (sched help shows how)");
            }
        }
        catch (CliException e)
        {
            if (e.Message.Length > 0) stderr.Write(e.Message + "\n");
            return e.ExitCode;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.Write($"sched: {e.Message}\n");
            return ExitCodes.Usage;
        }
        catch (Exception e)
        {
            // A bug of ours still deserves a message rather than a stack trace.
            stderr.Write($"sched: internal error ({e.GetType().Name}): {e.Message}\n");
            return ExitCodes.Failed;
        }
    }
}
