using System.Diagnostics;

namespace Sched.Cli.Tests;

/// <summary>What the tool did as a process of its own: exit code, stdout, stderr, and how long it ran.</summary>
internal sealed record ProcessResult(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
{
    public override string ToString() => $"exit {ExitCode} after {Elapsed.TotalSeconds:F1} s\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}

/// <summary>Runs a bash script in which <c>sched</c> is the built tool, to see what only a real process shows (pipes, devices).</summary>
internal static class ToolProcess
{
    /// <summary>The dotnet host that runs these tests, which then runs the tool built beside them.</summary>
    private static string Host =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path && File.Exists(path) ? path : "dotnet";

    public static ProcessResult Shell(string workingDirectory, string script, TimeSpan timeout)
    {
        var info = new ProcessStartInfo("bash")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("sched() { \"$SCHED_HOST\" \"$SCHED_DLL\" \"$@\"; }\n" + script);
        info.Environment["SCHED_HOST"] = Host;
        info.Environment["SCHED_DLL"] = Path.Combine(AppContext.BaseDirectory, "Sched.Cli.dll");
        info.Environment["DOTNET_NOLOGO"] = "1";
        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{script}' ran past {timeout.TotalSeconds:F0} s");
        }
        process.WaitForExit();
        return new ProcessResult(process.ExitCode, stdout.Result, stderr.Result, stopwatch.Elapsed);
    }
}
