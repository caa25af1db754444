using System.Diagnostics;
using System.Text;

namespace Sched.EndToEnd.Tests;

/// <summary>What one <c>dotnet</c> command returned: its exit code and stdout and stderr interleaved.</summary>
public sealed record CommandResult(string Command, int ExitCode, string Output, TimeSpan Elapsed)
{
    public override string ToString() => $"`{Command}` exited {ExitCode} after {Elapsed.TotalSeconds:F1} s:\n{Output}";
}

/// <summary>Runs the <c>dotnet</c> CLI as a child process with a time limit.</summary>
internal static class DotNet
{
    /// <summary>The host that runs these tests (set by <c>dotnet test</c>), else <c>dotnet</c> on the PATH.</summary>
    private static readonly string Host =
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    /// <summary>
    /// MSBuild switches for every build: no node or compiler server outlives the command, so none holds the
    /// redirected output open or a file locked after it.
    /// </summary>
    public static readonly string[] NoServers = { "-nodeReuse:false", "-p:UseSharedCompilation=false" };

    public static CommandResult Run(string workingDirectory, TimeSpan timeout, params string[] arguments) =>
        Start(Host, workingDirectory, timeout, null, arguments);

    /// <summary><c>dotnet</c> with extra environment variables (e.g. DOTNET_ROLL_FORWARD).</summary>
    public static CommandResult Run(IReadOnlyDictionary<string, string> environment, string workingDirectory, TimeSpan timeout, params string[] arguments) =>
        Start(Host, workingDirectory, timeout, environment, arguments);

    /// <summary>Another program (an installed tool), with the dotnet root it needs to find the runtime.</summary>
    public static CommandResult Exec(string program, string workingDirectory, TimeSpan timeout, params string[] arguments) =>
        Start(program, workingDirectory, timeout, new Dictionary<string, string> { ["DOTNET_ROOT"] = Path.GetDirectoryName(Path.GetFullPath(ResolvedHost))! }, arguments);

    /// <summary>The host's full path: the one running the tests, else dotnet found on the PATH.</summary>
    private static string ResolvedHost => File.Exists(Host) ? Host
        : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Select(d => Path.Combine(d, "dotnet")).FirstOrDefault(File.Exists) ?? "/usr/share/dotnet/dotnet";

    private static CommandResult Start(string program, string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment, string[] arguments)
    {
        var info = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments) info.ArgumentList.Add(argument);

        // The test host may run inside an MSBuild-launched process: its MSBuild variables would steer the child.
        foreach (string key in info.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(key);
        }
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        info.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        // Programs print numbers the same way on every machine.
        info.Environment["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;

        string command = (program == Host ? "dotnet" : program) + " " + string.Join(" ", arguments);
        var output = new StringBuilder();
        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(10));
            throw new TimeoutException($"`{command}` in {workingDirectory} ran past {timeout.TotalSeconds:F0} s; its output so far:\n{Snapshot(output)}");
        }
        // Only the overload without a limit waits for the asynchronous readers to reach the end of the output; a
        // grandchild that kept the pipe open would block it, hence the bound.
        Task.Run(() => process.WaitForExit()).Wait(TimeSpan.FromSeconds(30));
        return new CommandResult(command, process.ExitCode, Snapshot(output), stopwatch.Elapsed);
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null) return;
        lock (output) output.AppendLine(line);
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output) return output.ToString();
    }
}
