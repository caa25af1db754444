using System.Diagnostics;
using System.Text;
using Sched.Diagnostics;
using Xunit.Abstractions;
using static Sched.Language.Tests.TestSupport;

namespace Sched.Language.Tests;

/// <summary>
/// Extreme inputs: deep nesting, very long operator chains, long def chains, exponential def expansion and
/// megabyte files. Inputs that could overflow the stack or exhaust memory run in a child process
/// (<see cref="Program"/>) on a 1 MB stack, so that a crash fails one test instead of aborting the run.
/// </summary>
public sealed class StressTests(ITestOutputHelper output)
{
    // ---- in process: guarded by design ---------------------------------------------------------------

    [Theory]
    [InlineData('(')]
    [InlineData('{')]
    public void TenThousandOpenBrackets_AreOneNestingError(char bracket)
    {
        string text = "schedule A over 10ep {\n    lr = " + new string(bracket, 10_000) + "\n}\n";
        var analysis = Analyze(text);
        var d = Assert.Single(analysis.Diagnostics);
        Assert.Equal("SCHED030", d.Id);
        FuzzTests.CheckDiagnostics(text, analysis.Diagnostics, FileName);
    }

    [Fact]
    public void TenThousandBalancedBrackets_AreOneNestingError()
    {
        string text = "schedule A over 10ep {\n    lr = const(" + new string('(', 10_000) + "0.1" + new string(')', 10_000) + ", 10ep)\n}\n";
        Assert.Equal("SCHED030", Assert.Single(Analyze(text).Diagnostics).Id);
    }

    [Fact]
    public void HundredThousandTermSumInsideFn()
    {
        string text = "schedule A over 10it {\n    lr = fn(" + string.Join("+", Enumerable.Repeat("p", 100_000)) + ", 10it)\n}\n";
        var laid = Lay(text, 1);
        Assert.Equal(100_000 * 0.3, Value(laid, "lr", 3), 6);
    }

    [Fact]
    public void LongProductPowerAndMinusChains()
    {
        string text = "schedule A over 10it {\n    lr = fn(0.1 * " + string.Join("*", Enumerable.Repeat("(1 - p/1e9)", 20_000)) + ", 10it)\n"
            + "    x = " + string.Join("^", Enumerable.Repeat("1", 100_000)) + "\n"
            + "    y = " + new string('-', 100_001) + "2\n}\n";
        var laid = Lay(text, 1);
        Assert.Equal(1.0, Value(laid, "x", 0));
        Assert.Equal(-2.0, Value(laid, "y", 0));
        Assert.InRange(Value(laid, "lr", 5), 0.09, 0.1);
    }

    [Fact]
    public void HundredThousandTermDurationSum()
    {
        string text = "schedule A over 100000it {\n    lr = cos(0.1 -> 0, " + string.Join(" + ", Enumerable.Repeat("1it", 100_000)) + ")\n}\n";
        var laid = Lay(text, 1);
        Assert.Equal(100_000, laid.Tracks[0].Length.Steps);
    }

    [Fact]
    public void TwentyThousandSegments()
    {
        string text = "schedule A {\n    lr = " + string.Join(" + ", Enumerable.Repeat("const(0.1, 1it)", 20_000)) + "\n}\n";
        var laid = Lay(text, 1);
        Assert.Equal(20_000, laid.Total);
        Assert.Equal(0.1, Value(laid, "lr", 12_345.5));
    }

    [Fact]
    public void OneMegabyteFile_OfTwoThousandSchedules_IsClean()
    {
        string text = ManySchedules(2_000);
        Assert.InRange(text.Length, 900_000, 1_200_000);
        var analysis = AssertClean(text);
        Assert.Equal(2_000, analysis.Schedules.Count);
        var diagnostics = new List<Diagnostic>();
        var laid = analysis.Schedules[1_999].Lay(100, null, diagnostics);
        Assert.Empty(diagnostics);
        Assert.NotNull(laid);
    }

    [Fact]
    public void OneMegabyteFile_WithAnErrorAtTheEnd_PointsAtIt()
    {
        string text = ManySchedules(2_000) + "schedule Last over 10ep {\n    lr = cso(0.1 -> 0)\n}\n";
        var d = Single(Analyze(text), "SCHED002");
        int lines = text.Count(c => c == '\n');
        Assert.Equal(lines - 1, d.Start.Line);
        Assert.Equal(10, d.Start.Column);
    }

    [Fact]
    public void OneMegabyteOfGarbage_IsOneSyntaxError()
    {
        var random = new Random(7);
        const string chars = "abc xyz(){}+-*/^=,;.%>\n0123456789";
        var text = new string(Enumerable.Range(0, 1 << 20).Select(_ => chars[random.Next(chars.Length)]).ToArray());
        var analysis = SchedCompiler.Analyze(text, "garbage.sched");
        FuzzTests.CheckDiagnostics(text, analysis.Diagnostics, "garbage.sched");
        Assert.True(analysis.HasErrors);
    }

    /// <summary>
    /// Measures Analyze on 0.25, 0.5 and 1 MB files (not asserted: a unit test never asserts timing). The numbers
    /// appear in the test output (<c>dotnet test --logger "console;verbosity=detailed"</c>).
    /// </summary>
    [Fact]
    public void AnalyzeTime_IsMeasuredFor025_05_And1MB()
    {
        Analyze(ManySchedules(50));   // warm-up: JIT
        var report = new StringBuilder();
        foreach (int copies in new[] { 560, 1_120, 2_240 })
        {
            string text = ManySchedules(copies);
            double best = double.MaxValue, bestParse = double.MaxValue;
            for (int run = 0; run < 3; run++)
            {
                var watch = Stopwatch.StartNew();
                var analysis = SchedCompiler.Analyze(text, "big.sched");
                watch.Stop();
                Assert.Equal(copies, analysis.Schedules.Count);
                best = Math.Min(best, watch.Elapsed.TotalMilliseconds);

                watch.Restart();
                var syntax = Parsing.SchedParser.Parse(new Text.SourceText(text, "big.sched"), new List<Diagnostic>());
                watch.Stop();
                Assert.Equal(copies, syntax!.Schedules.Count);
                bestParse = Math.Min(bestParse, watch.Elapsed.TotalMilliseconds);
            }
            report.AppendLine($"{text.Length / 1_048_576.0:F2} MB ({copies} schedules, {text.Length} chars): Analyze {best:F0} ms ({best * 1_048_576 / text.Length:F0} ms/MB), of which parsing {bestParse:F0} ms (best of 3)");
        }
        output.WriteLine(report.ToString());
    }

    /// <summary><paramref name="copies"/> realistic schedules of about 500 characters each, with different names.</summary>
    internal static string ManySchedules(int copies)
    {
        var builder = new StringBuilder("namespace Big.Schedules;\n\ndef warmup_cos(peak, warm = 5ep) = lin(0 -> peak, warm) + cos(peak -> peak / 1000)\n\n");
        for (int i = 0; i < copies; i++)
        {
            builder.Append($$"""
                /// One-cycle variant number {{i}}, with cyclical momentum and decoupled weight decay.
                schedule OneCycle{{i}}(peak = 0.{{i % 9 + 1}}, warm = {{i % 7 + 2}}ep) over 95ep {
                    lr       = lin(peak / 10 -> peak, warm) + cos(peak -> peak / 10, 41ep) + lin(peak / 10 -> peak / 1000, rest)
                    momentum = lin(0.95 -> 0.85, warm) + cos(0.85 -> 0.95, 41ep) + const(0.95, rest)
                    wd       = 1e-4; beta2 = 0.999   // trailing comment
                    dropout  = repeat(3) { lin(0.1 -> 0.0, 10ep) } + const(0, rest)
                }


                """.Replace("\r\n", "\n"));
        }
        return builder.ToString();
    }

    // ---- in a child process: may crash or run away today ---------------------------------------------

    [Fact]
    public void LongModulationChain_DoesNotOverflowTheStack()
    {
        var result = RunChild("schedule A over 10it {\n    lr = cos(0.1 -> 0)" + string.Concat(Enumerable.Repeat(" * 1", 100_000)) + "\n}\n");
        AssertNoCrash(result);
    }

    [Fact]
    public void LongByChain_DoesNotOverflowTheStack()
    {
        var result = RunChild("schedule A over 10it {\n    lr = cos(0.1 -> 0)" + string.Concat(Enumerable.Repeat(" by 1it", 100_000)) + "\n}\n");
        AssertNoCrash(result);
    }

    [Fact]
    public void TenThousandChainedDefs_AreAnErrorNotAStackOverflow()
    {
        var text = new StringBuilder("def f0(a) = const(a, 1it)\n");
        for (int i = 1; i < 10_000; i++) text.Append($"def f{i}(a) = f{i - 1}(a)\n");
        text.Append("schedule A {\n    lr = f9999(0.1)\n}\n");
        var result = RunChild(text.ToString());
        AssertNoCrash(result);
        Assert.Contains(": error SCHED", result.Output);
    }

    [Fact]
    public void ExponentialDefExpansion_IsAnErrorNotARunaway()
    {
        // 26 lines: f25 expands to 2^25 (33 million) segments. The compiler must refuse it quickly.
        var text = new StringBuilder("def f0(a) = const(a, 1it)\n");
        for (int i = 1; i < 26; i++) text.Append($"def f{i}(a) = f{i - 1}(a) + f{i - 1}(a)\n");
        text.Append("schedule A {\n    lr = f25(0.1)\n}\n");
        var result = RunChild(text.ToString(), timeoutSeconds: 20);
        AssertNoCrash(result);
        Assert.Contains(": error SCHED", result.Output);
    }

    private static void AssertNoCrash((int ExitCode, bool TimedOut, string Output) result)
    {
        Assert.False(result.TimedOut, "the analysis did not finish in time:\n" + Tail(result.Output));
        Assert.True(result.ExitCode == 0, $"the analysis crashed (exit code {result.ExitCode}):\n{Tail(result.Output)}");
        Assert.DoesNotContain("SCHED099", result.Output);
    }

    private static string Tail(string text) => text.Length <= 3000 ? text : "..." + text.Substring(text.Length - 3000);

    /// <summary>Runs <see cref="Program.Main"/> on <paramref name="text"/> in a child process; kills it after the timeout.</summary>
    private static (int ExitCode, bool TimedOut, string Output) RunChild(string text, int timeoutSeconds = 60)
    {
        string file = Path.Combine(Path.GetTempPath(), $"sched-stress-{Guid.NewGuid():N}.sched");
        File.WriteAllText(file, text);
        try
        {
            string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
                ? host
                : Environment.ProcessPath!;
            var start = new ProcessStartInfo(dotnet)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add("exec");
            start.ArgumentList.Add(typeof(Program).Assembly.Location);
            start.ArgumentList.Add("--analyze");
            start.ArgumentList.Add(file);
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            bool exited = process.WaitForExit(timeoutSeconds * 1000);
            if (!exited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }
            string outputText = stdout.Result + stderr.Result;
            return (exited ? process.ExitCode : -1, !exited, outputText);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
