using System.Diagnostics;
using SkiaSharp;
using Spectre.Console;

namespace Sched.Samples.Tests;

/// <summary>
/// What the sample's tests share: a plain console that writes to a string, a check that a PNG is a real picture, and the sample run as
/// a process.
/// </summary>
internal static class TestSupport
{
    /// <summary>Options that apply to the run they are given with, resumed or not.</summary>
    public static readonly string[] Honoured = ["--cpu", "--threads", "1", "--plain"];

    /// <summary>The tiny budget of the process tests: 320 embedded training images (5 batches of 64), 100 test images, CPU, 1 thread.</summary>
    public static readonly string[] Tiny = ["--embedded", "--train-limit", "320", "--test-limit", "100", .. Honoured];

    /// <summary>The sample's exit code, standard output and standard error, run as `dotnet FashionMnist.dll ARGS` in <paramref name="folder"/>.</summary>
    public static (int ExitCode, string Output, string Error) RunSample(string folder, params string[] args)
    {
        using Process process = StartSample(folder, args);
        Task<string> output = process.StandardOutput.ReadToEndAsync(), error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"FashionMnist {string.Join(' ', args)} ran for over 2 minutes");
        }
        process.WaitForExit(); // the output readers finish
        return (process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Starts the sample built beside the tests (the project reference copies it here), with redirected output.</summary>
    public static Process StartSample(string folder, params string[] args) => StartSample(folder, new Dictionary<string, string>(), args);

    /// <inheritdoc cref="StartSample(string, string[])"/>
    public static Process StartSample(string folder, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "FashionMnist.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment) start.Environment[name] = value;
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(dll);
        foreach (string arg in args) start.ArgumentList.Add(arg);
        return Process.Start(start) ?? throw new Xunit.Sdk.XunitException("could not start the sample");
    }

    /// <summary>An error the user can act on: exit code 1, one "error:" line that contains every fragment, no .NET stack trace.</summary>
    public static void AssertCleanError((int ExitCode, string Output, string Error) run, params string[] fragments)
    {
        string all = run.Output + run.Error;
        Assert.DoesNotContain("Unhandled exception", all);
        Assert.DoesNotMatch(@"(?m)^\s+at \S+\(", all); // a stack frame
        Assert.True(run.ExitCode == 1, $"exit code {run.ExitCode}, not 1; output:\n{all}");
        string[] errors = run.Error.Split('\n').Where(l => l.StartsWith("error: ", StringComparison.Ordinal)).ToArray();
        string line = Assert.Single(errors);
        foreach (string fragment in fragments) Assert.Contains(fragment, line);
    }

    public static IAnsiConsole Console(TextWriter writer)
    {
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 500; // long temporary paths on one line
        return console;
    }

    public static void AssertNonBlankPng(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        using SKBitmap bitmap = SKBitmap.Decode(bytes) ?? throw new Xunit.Sdk.XunitException($"{path} does not decode");
        Assert.True(bitmap.Width > 100 && bitmap.Height > 100);
        var colors = new HashSet<SKColor>();
        for (int y = 0; y < bitmap.Height; y += 3)
            for (int x = 0; x < bitmap.Width; x += 3)
                colors.Add(bitmap.GetPixel(x, y));
        Assert.True(colors.Count > 10, $"{path} has {colors.Count} colours: blank");
    }

    /// <summary>samples/FashionMnist, found above the test's output folder.</summary>
    public static string SampleFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "samples", "FashionMnist");
            if (Directory.Exists(Path.Combine(candidate, "Schedules"))) return candidate;
        }
        throw new Xunit.Sdk.XunitException("samples/FashionMnist/Schedules not found above " + AppContext.BaseDirectory);
    }
}
