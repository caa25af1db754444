using Sched.Diagnostics;
using Sched.Language.Binding;
using Sched.Language.Parsing;
using Sched.Language.Syntax;
using Sched.Model;
using Sched.Text;

namespace Sched.Language;

/// <summary>Everything known about one <c>.sched</c> file: its schedules and every diagnostic, in source order.</summary>
public sealed class FileAnalysis
{
    internal FileAnalysis(SourceText source, FileSyntax? syntax, IReadOnlyList<ScheduleModel> schedules, IReadOnlyList<Diagnostic> diagnostics)
    {
        Source = source;
        Syntax = syntax;
        Schedules = schedules;
        Diagnostics = diagnostics;
    }

    public SourceText Source { get; }

    public FileSyntax? Syntax { get; }

    public string? Namespace => Syntax?.Namespace?.Name;

    /// <summary>The schedules, bound; complete only when the file has no error.</summary>
    public IReadOnlyList<ScheduleModel> Schedules { get; }

    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    public bool HasErrors => Diagnostics.Any(d => d.IsError);
}

/// <summary>
/// The front end shared by the generator, the interpreter and the command line: parse, bind, then check every
/// schedule (docs/language.md §9). Each schedule is checked on its own, and within it every track whose own text is
/// valid, so one pass reports every independent mistake.
/// </summary>
public static class SchedCompiler
{
    public static FileAnalysis Analyze(string text, string path)
    {
        if (text is null) throw new ArgumentNullException(nameof(text));
        if (path is null) throw new ArgumentNullException(nameof(path));
        var source = new SourceText(text, path);
        var diagnostics = new List<Diagnostic>();
        FileSyntax? syntax;
        IReadOnlyList<ScheduleModel> schedules = Array.Empty<ScheduleModel>();
        try
        {
            syntax = SchedParser.Parse(source, diagnostics);
            if (syntax is not null)
            {
                var bound = Binder.BindFile(syntax, StandardLibrary.Defs, diagnostics);
                foreach (var schedule in bound.Where(s => s.Valid)) diagnostics.AddRange(schedule.Model.Check());
                schedules = bound.Select(s => s.Model).ToArray();
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
    /// Binds <c>--set name=text</c> overrides to a schedule's parameters: each text is a number, a duration or an
    /// expression of the parameters before it. Problems are reported as located in the option.
    /// </summary>
    public static ScheduleArgument?[]? BindArguments(ScheduleModel schedule, IReadOnlyDictionary<string, string>? set, List<Diagnostic> diagnostics)
    {
        var parameters = schedule.Parameters;
        var arguments = new ScheduleArgument?[parameters.Count];
        if (set is null) return arguments;
        bool ok = true;
        foreach (var pair in set)
        {
            int index = IndexOf(parameters, pair.Key);
            if (index < 0)
            {
                string known = parameters.Count == 0 ? "it has none" : "its parameters are " + string.Join(", ", parameters.Select(p => p.Name));
                Override(diagnostics, pair.Key, $"schedule '{schedule.Name}' has no parameter '{pair.Key}'; {known}{Suggestions.DidYouMean(pair.Key, parameters.Select(p => p.Name))}");
                ok = false;
                continue;
            }
            var argument = BindArgument(parameters[index], pair.Value ?? "", parameters.Take(index).ToArray(), diagnostics);
            if (argument is null) ok = false;
            arguments[index] = argument;
        }
        return ok ? arguments : null;
    }

    /// <summary>Lays <paramref name="schedule"/> out for a run with <c>--set</c>-style overrides written as text.</summary>
    public static LaidSchedule? Lay(this ScheduleModel schedule, int stepsPerEpoch, IReadOnlyDictionary<string, string>? set, List<Diagnostic> diagnostics)
    {
        var arguments = BindArguments(schedule, set, diagnostics);
        return arguments is null ? null : schedule.Lay(stepsPerEpoch, arguments, diagnostics);
    }

    private static int IndexOf(IReadOnlyList<ParameterModel> parameters, string name)
    {
        for (int i = 0; i < parameters.Count; i++)
        {
            if (parameters[i].Name == name) return i;
        }
        return -1;
    }

    private static ScheduleArgument? BindArgument(ParameterModel parameter, string text, IReadOnlyList<ParameterModel> earlier, List<Diagnostic> diagnostics)
    {
        var source = new SourceText(text, $"--set {parameter.Name}");
        var found = new List<Diagnostic>();
        var expr = SchedParser.ParseExpression(source, found);
        var bound = expr is null ? null : Binder.BindStandalone(expr, source, earlier, found);
        foreach (var d in found.Where(d => d.IsError)) Override(diagnostics, parameter.Name, $"'{parameter.Name}={text}': {d.Message}");
        if (bound is null || found.Any(d => d.IsError)) return null;
        if (bound.Value.Duration is not null && !parameter.IsDuration)
        {
            Override(diagnostics, parameter.Name, $"'{parameter.Name}' is a number (default {parameter.DefaultText}); write a number without a unit, e.g. '{parameter.Name}=0.5'");
            return null;
        }
        if (bound.Value.Value is not null && parameter.IsDuration)
        {
            Override(diagnostics, parameter.Name, $"'{parameter.Name}' is a duration (default {parameter.DefaultText}); give a unit, e.g. '{parameter.Name}={text}ep'");
            return null;
        }
        return new ScheduleArgument(bound.Value.Value, bound.Value.Duration, source);
    }

    private static void Override(List<Diagnostic> diagnostics, string name, string message) =>
        diagnostics.Add(DiagnosticDescriptors.BadOverride.Create(new SourceText("", $"--set {name}"), default, message));
}
