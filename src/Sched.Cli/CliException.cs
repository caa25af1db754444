namespace Sched.Cli;

/// <summary>Exit codes of the <c>sched</c> command.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The schedule has errors, or the command could not do what was asked of a valid command line.</summary>
    public const int Failed = 1;

    /// <summary>The command line is wrong, or an input file cannot be read.</summary>
    public const int Usage = 2;
}

/// <summary>
/// Stops a command with an exit code and a message for stderr. An empty message means the details
/// (diagnostics) were already written.
/// </summary>
internal sealed class CliException : Exception
{
    private CliException(int exitCode, string message)
        : base(message)
    {
        ExitCode = exitCode;
    }

    public int ExitCode { get; }

    /// <summary>A command line that cannot work; the message says what to write instead.</summary>
    public static CliException Usage(string message) => new(ExitCodes.Usage, message);

    /// <summary>A file that cannot be read or written.</summary>
    public static CliException Io(string message) => new(ExitCodes.Usage, message);

    /// <summary>A valid command line whose schedule cannot be used (message already written when empty).</summary>
    public static CliException Failed(string message = "") => new(ExitCodes.Failed, message);
}
