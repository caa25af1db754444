using System.Reflection;
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
        "      list the standard library's presets, or show one's source text\n" +
        "  sched --version\n" +
        "\n" +
        "sched COMMAND --help explains a command. Exit codes: 0 done (also when the reader of the output\n" +
        "stops early, as 'sched eval big.sched | head' does), 1 the schedule has errors, 2 a wrong command\n" +
        "line or a file that cannot be read or written.\n";

    private static readonly Dictionary<string, string> CommandHelp = new(StringComparer.Ordinal)
    {
        ["check"] = CheckCommand.Help,
        ["eval"] = EvalCommand.Help,
        ["plot"] = PlotCommand.Help,
        ["presets"] = PresetsCommand.Help,
    };

    /// <summary>Runs one command line; the in-process entry the tests use. Never throws.</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var output = new OutputWriter(stdout);
        try
        {
            int exitCode = Dispatch(args, output, stderr);
            output.Flush();
            return exitCode;
        }
        catch (OutputClosedException)
        {
            // Whoever read the output has all they wanted ('| head'); like Unix tools, stop without a word.
            return ExitCodes.Success;
        }
        catch (OutputFailedException e)
        {
            stderr.Write($"sched: cannot write the output: {e.Message}\n");
            return ExitCodes.Usage;
        }
        catch (CliException e)
        {
            if (e.Message.Length > 0) stderr.Write(e.Message + "\n");
            return FlushAfterError(output, e.ExitCode);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.Write($"sched: {e.Message}\n");
            return FlushAfterError(output, ExitCodes.Usage);
        }
        catch (Exception e)
        {
            // A bug of ours still deserves a message rather than a stack trace.
            stderr.Write($"sched: internal error ({e.GetType().Name}): {e.Message}\n");
            return FlushAfterError(output, ExitCodes.Failed);
        }
    }

    private static int Dispatch(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Count == 0)
            throw CliException.Usage("sched: give a command: check, eval, plot or presets (sched help shows how)");

        var rest = args.Skip(1).ToArray();
        if (CommandHelp.TryGetValue(args[0], out var help) && rest.Any(IsHelp))
        {
            stdout.Write(help);
            return ExitCodes.Success;
        }
        switch (args[0])
        {
            case "check": return CheckCommand.Run(rest, stdout, stderr);
            case "eval": return EvalCommand.Run(rest, stdout, stderr);
            case "plot": return PlotCommand.Run(rest, stdout, stderr);
            case "presets": return PresetsCommand.Run(rest, stdout, stderr);
            case "help" or "--help" or "-h":
                if (rest.Length == 1 && CommandHelp.TryGetValue(rest[0], out var one))
                {
                    stdout.Write(one);
                    return ExitCodes.Success;
                }
                stdout.Write(HelpText);
                return ExitCodes.Success;
            case "--version":
                stdout.Write($"sched {Version}\n");
                return ExitCodes.Success;
            default:
                throw CliException.Usage($"sched: unknown command '{args[0]}'; write check, eval, plot or presets (sched help shows how)");
        }
    }

    /// <summary>The package version, without the commit the SDK appends after '+'.</summary>
    internal static string Version
    {
        get
        {
            string version = typeof(Cli).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
            int plus = version.IndexOf('+');
            return plus < 0 ? version : version.Substring(0, plus);
        }
    }

    private static bool IsHelp(string arg) => arg is "--help" or "-h";

    /// <summary>What a failed command already wrote to stdout still goes out; a closed pipe then changes nothing.</summary>
    private static int FlushAfterError(TextWriter output, int exitCode)
    {
        try
        {
            output.Flush();
        }
        catch (Exception e) when (e is OutputClosedException or OutputFailedException)
        {
            // The command's own error is the one to report.
        }
        return exitCode;
    }
}
