using System.Diagnostics;

namespace Sched.Language.Tests;

/// <summary>
/// Entry point for out-of-process checks (<see cref="StressTests"/>): inputs that could overflow the stack or
/// exhaust memory are analysed in a child process, so a crash fails one test instead of aborting the test run.
/// <c>dotnet exec Sched.Language.Tests.dll --analyze FILE</c> analyses FILE on a thread with a 1 MB stack (what a
/// tool or an IDE thread may have), lays out error-free schedules, prints every diagnostic and exits with 0.
/// </summary>
public static class Program
{
    public const int ChildStackSize = 1 << 20;

    public static int Main(string[] args)
    {
        if (args.Length != 2 || args[0] != "--analyze")
        {
            Console.Error.WriteLine("usage: Sched.Language.Tests --analyze FILE");
            return 2;
        }
        string text = File.ReadAllText(args[1]);
        int exitCode = 0;
        var thread = new Thread(() => exitCode = AnalyzeAndLay(text), ChildStackSize);
        thread.Start();
        thread.Join();
        return exitCode;
    }

    private static int AnalyzeAndLay(string text)
    {
        var watch = Stopwatch.StartNew();
        var analysis = SchedCompiler.Analyze(text, "child.sched");
        foreach (var d in analysis.Diagnostics) Console.WriteLine(d);
        if (!analysis.HasErrors)
        {
            foreach (var schedule in analysis.Schedules)
            {
                var diagnostics = new List<Diagnostics.Diagnostic>();
                var laid = schedule.Lay(7, null, diagnostics);
                foreach (var d in diagnostics) Console.WriteLine(d);
                if (laid is null) continue;
                foreach (var track in laid.Tracks)
                {
                    for (int i = 0; i <= 4; i++) track.Evaluate(laid.Total * i / 4);
                }
            }
        }
        Console.WriteLine($"done in {watch.ElapsedMilliseconds} ms");
        return 0;
    }
}
