using Sched.Language.Binding;
using Sched.Language.Diagnostics;
using Sched.Language.Parsing;
using Sched.Language.Syntax;
using Sched.Language.Text;

namespace Sched.Language;

/// <summary>Everything known about one <c>.sched</c> file: its schedules and every diagnostic, in source order.</summary>
public sealed class FileAnalysis
{
    internal FileAnalysis(SourceText source, FileSyntax? syntax, IReadOnlyList<BoundSchedule> schedules, IReadOnlyList<Diagnostic> diagnostics)
    {
        Source = source;
        Syntax = syntax;
        Schedules = schedules;
        Diagnostics = diagnostics;
    }

    public SourceText Source { get; }

    public FileSyntax? Syntax { get; }

    public string? Namespace => Syntax?.Namespace?.Name;

    public IReadOnlyList<BoundSchedule> Schedules { get; }

    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    public bool HasErrors => Diagnostics.Any(d => d.IsError);
}

/// <summary>
/// The front end shared by the generator, the interpreter and the command line: parse, bind, then lay
/// every schedule out with its defaults to check it (DSL.md §8).
/// </summary>
public static class SchedCompiler
{
    /// <summary>Stand-in steps-per-epoch for compile-time checks (lengths are affine in it, so its two ends bound every case).</summary>
    private static readonly int[] NominalStepsPerEpoch = { 1, 1 << 16 };

    public static FileAnalysis Analyze(string text, string path)
    {
        var source = new SourceText(text, path);
        var diagnostics = new List<Diagnostic>();
        FileSyntax? syntax;
        IReadOnlyList<BoundSchedule> schedules = Array.Empty<BoundSchedule>();
        try
        {
            syntax = SchedParser.Parse(source, diagnostics);
            if (syntax is not null)
            {
                schedules = Binder.BindFile(syntax, StandardLibrary.Defs, diagnostics);
                if (!diagnostics.Any(d => d.IsError))
                {
                    foreach (var schedule in schedules) diagnostics.AddRange(Check(schedule));
                }
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Never let a bug escape as a crash: report it where the file starts.
            syntax = null;
            diagnostics.Add(DiagnosticDescriptors.Internal.Create(source, default, e.GetType().Name + ": " + e.Message));
        }
        var ordered = diagnostics
            .GroupBy(d => (d.Id, d.Span, d.Message))
            .Select(g => g.First())
            .OrderBy(d => d.Span.Start)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToArray();
        return new FileAnalysis(source, syntax, schedules, ordered);
    }

    /// <summary>
    /// Lays a schedule out with its defaults and checks its values. A schedule counting in epochs is an error
    /// only if no stand-in steps-per-epoch lays it out; the real one is checked when it is created.
    /// Warnings are kept when every stand-in shows them.
    /// </summary>
    private static IEnumerable<Diagnostic> Check(BoundSchedule schedule)
    {
        if (!schedule.UsesEpochs) return CheckAt(schedule, new StandInNumbers(0));
        var standIns = NominalStepsPerEpoch.Select(spe => new StandInNumbers(spe)).ToArray();
        var runs = standIns.Select(standIn => CheckAt(schedule, standIn)).ToArray();
        var last = runs[runs.Length - 1];
        if (last.Count > 0 && SameFindings(runs[0], last) && standIns[0].Pairs(standIns[standIns.Length - 1]))
        {
            // Once more at the last stand-in, reading each number against the first: its messages then say what was written.
            var lastStandIn = standIns[standIns.Length - 1];
            last = CheckAt(schedule, new StandInNumbers(lastStandIn.StepsPerEpoch, other: standIns[0], same: lastStandIn));
        }
        if (runs.All(run => run.Any(d => d.IsError))) return last;
        var inAll = runs.Skip(1).Aggregate(
            new HashSet<(string, TextSpan)>(runs[0].Where(d => !d.IsError).Select(d => (d.Id, d.Span))),
            (set, run) => { set.IntersectWith(run.Select(d => (d.Id, d.Span))); return set; });
        return last.Where(d => !d.IsError && inAll.Contains((d.Id, d.Span)));
    }

    private static bool SameFindings(List<Diagnostic> a, List<Diagnostic> b) =>
        a.Select(d => (d.Id, d.Span)).SequenceEqual(b.Select(d => (d.Id, d.Span)));

    private static List<Diagnostic> CheckAt(BoundSchedule schedule, StandInNumbers standIn)
    {
        var diagnostics = new List<Diagnostic>();
        var laid = Layout.Lay(schedule, standIn.StepsPerEpoch, null, diagnostics, standIn);
        if (laid is not null) ValueChecks.Check(laid, schedule.Source, x => FormatPosition(schedule, standIn.StepsPerEpoch, standIn, x), diagnostics);
        return diagnostics;
    }

    /// <param name="standIn">Set when <paramref name="stepsPerEpoch"/> is a compile-time stand-in: it names the position.</param>
    internal static string FormatPosition(BoundSchedule schedule, int stepsPerEpoch, StandInNumbers? standIn, double x)
    {
        string step = Math.Round(x, 6).ToString("G10", System.Globalization.CultureInfo.InvariantCulture);
        if (!schedule.CountsInEpochs || stepsPerEpoch <= 0) return $"step {step}";
        if (standIn is not null) return standIn.Position(x);
        string epoch = Math.Round(x / stepsPerEpoch, 6).ToString("G10", System.Globalization.CultureInfo.InvariantCulture);
        return $"step {step} (epoch {epoch})";
    }
}
