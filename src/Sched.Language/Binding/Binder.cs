using System.Globalization;
using Sched.Diagnostics;
using Sched.Language.Syntax;
using Sched.Model;
using Sched.Text;

namespace Sched.Language.Binding;

/// <summary>
/// Resolves names, expands defs and gives every expression its kind (value, duration or track),
/// reporting what is wrong where it was written. Layout, with numbers, comes after.
/// </summary>
internal sealed partial class Binder
{
    /// <summary>Names other libraries use for the known tracks.</summary>
    private static readonly Dictionary<string, string> TrackSynonyms = new(StringComparer.Ordinal)
    {
        ["beta1"] = "'momentum' (it sets Adam's beta1)",
        ["beta_1"] = "'momentum' (it sets Adam's beta1)",
        ["beta_2"] = "'beta2'",
        ["learning_rate"] = "'lr'",
        ["weight_decay"] = "'wd'",
    };

    private readonly SourceText _source;
    private readonly List<Diagnostic> _diagnostics;
    private readonly Dictionary<string, DefInfo> _defs = new(StringComparer.Ordinal);
    private readonly HashSet<string> _calledDefs = new(StringComparer.Ordinal);
    /// <summary>Def calls a file may expand; beyond it, defs that call each other twice per level would grow exponentially.</summary>
    private const int MaxExpansions = 10_000;

    private TextSpan? _firstEpochUse;
    private bool _standalone;
    private bool _countsInEpochs;
    private int _expansions;
    private int _trackErrors;
    private string _scheduleName = "Name";
    private HashSet<string> _laterParameters = new(StringComparer.Ordinal);

    private Binder(SourceText source, List<Diagnostic> diagnostics)
    {
        _source = source;
        _diagnostics = diagnostics;
    }

    /// <summary>Binds every schedule of a file; <paramref name="library"/> holds defs usable from any file (the presets), which the file's own defs shadow.</summary>
    public static IReadOnlyList<BoundFileSchedule> BindFile(FileSyntax file, IEnumerable<LibraryDef> library, List<Diagnostic> diagnostics)
    {
        var binder = new Binder(file.Source, diagnostics);
        foreach (var entry in library) binder._defs[entry.Syntax.Name] = new DefInfo(entry.Syntax, entry.Source, IsLibrary: true);
        binder.DeclareDefs(file.Defs);

        var schedules = new List<BoundFileSchedule>();
        var names = new Dictionary<string, ScheduleSyntax>(StringComparer.Ordinal);
        foreach (var schedule in file.Schedules)
        {
            int errors = diagnostics.Count(d => d.IsError);
            if (names.TryGetValue(schedule.Name, out var first))
            {
                var line = file.Source.GetLinePosition(first.NameSpan.Start).Line;
                binder.Report(DiagnosticDescriptors.DuplicateName, schedule.NameSpan, "schedule", schedule.Name, $" in this file, on line {line}", "rename one of them");
            }
            else
            {
                names.Add(schedule.Name, schedule);
            }
            var (model, valid) = binder.BindSchedule(schedule, file.Namespace?.Name);
            schedules.Add(new BoundFileSchedule(model, valid && diagnostics.Count(d => d.IsError) == errors + binder._trackErrors));
        }
        binder.CheckUncalledDefs(file.Defs);
        return schedules;
    }

    /// <summary>Binds a lone value or duration (a <c>--set</c> override) that may read the given parameters.</summary>
    public static (ValueNode? Value, DurationNode? Duration)? BindStandalone(Expr expr, SourceText source, IReadOnlyList<ParameterModel> parameters, List<Diagnostic> diagnostics)
    {
        var binder = new Binder(source, diagnostics) { _standalone = true };
        var names = new Dictionary<string, Symbol>(StringComparer.Ordinal);
        for (int i = 0; i < parameters.Count; i++) names[parameters[i].Name] = new ParameterSymbol(i, parameters[i].IsDuration);
        var context = new BindContext(names, AllowProgress: false, InRepeat: false, CallSite: null, Library: false, CallStack: Array.Empty<string>());
        var bound = binder.BindAny(expr, context);
        switch (bound.Kind)
        {
            case BoundKind.Value:
                return (bound.Value, null);
            case BoundKind.Duration when bound.Duration is not RestDuration:
                return (null, bound.Duration);
            case BoundKind.Error:
                return null;
            default:
                binder.Report(DiagnosticDescriptors.WrongKind, expr.Span, "expected a number such as '0.5' or a duration such as '10ep'");
                return null;
        }
    }

    private void DeclareDefs(IReadOnlyList<DefSyntax> defs)
    {
        var own = new HashSet<string>(StringComparer.Ordinal);
        foreach (var def in defs)
        {
            string? reserved = BuiltIns.ReservedBecause(def.Name);
            if (reserved is not null)
            {
                Report(DiagnosticDescriptors.ReservedName, def.NameSpan, def.Name, reserved);
                continue;
            }
            if (!own.Add(def.Name))
            {
                Report(DiagnosticDescriptors.DuplicateName, def.NameSpan, "def", def.Name, " in this file", "rename one of them");
                continue;
            }
            CheckParameterNames(def.Parameters);
            _defs[def.Name] = new DefInfo(def, _source, IsLibrary: false);
        }
    }

    private void CheckParameterNames(IReadOnlyList<ParameterSyntax> parameters)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var parameter in parameters)
        {
            string? reserved = BuiltIns.ReservedBecause(parameter.Name);
            if (reserved is not null) Report(DiagnosticDescriptors.ReservedName, parameter.NameSpan, parameter.Name, reserved);
            else if (!seen.Add(parameter.Name)) Report(DiagnosticDescriptors.DuplicateName, parameter.NameSpan, "parameter", parameter.Name, "", "rename one of them");
        }
    }

    /// <summary>Binds one schedule; its tracks that bound with errors are left out, so the others can still be checked.</summary>
    private (ScheduleModel Model, bool Valid) BindSchedule(ScheduleSyntax schedule, string? ns)
    {
        _firstEpochUse = null;
        _countsInEpochs = false;
        _trackErrors = 0;
        _scheduleName = schedule.Name;
        _laterParameters = new HashSet<string>(schedule.Parameters.Select(p => p.Name), StringComparer.Ordinal);
        int errorsBefore = ErrorCount;

        var names = new Dictionary<string, Symbol>(StringComparer.Ordinal);
        var parameters = new List<ParameterModel>();
        CheckParameterNames(schedule.Parameters);
        foreach (var parameter in schedule.Parameters)
        {
            _laterParameters.Remove(parameter.Name);
            if (BuiltIns.ReservedBecause(parameter.Name) is not null || names.ContainsKey(parameter.Name)) continue;
            if (parameter.Default is null)
            {
                Report(DiagnosticDescriptors.BadArguments, parameter.Span,
                    $"parameter '{parameter.Name}' needs a default: write '{parameter.Name} = 0.1' for a number or '{parameter.Name} = 5ep' for a duration");
                continue;
            }
            var context = new BindContext(names, AllowProgress: false, InRepeat: false, CallSite: null, Library: false, CallStack: Array.Empty<string>());
            var bound = BindAny(parameter.Default, context);
            string text = _source[parameter.Default.Span];
            switch (bound.Kind)
            {
                case BoundKind.Value:
                    names[parameter.Name] = new ParameterSymbol(parameters.Count, IsDuration: false);
                    parameters.Add(new ParameterModel(parameter.Name, parameter.NameSpan, bound.Value, null, text));
                    break;
                case BoundKind.Duration when bound.Duration is RestDuration:
                    Report(DiagnosticDescriptors.RestMisplaced, bound.Span, "'rest' cannot be a parameter's default; give a duration such as '5ep'");
                    break;
                case BoundKind.Duration:
                    names[parameter.Name] = new ParameterSymbol(parameters.Count, IsDuration: true);
                    parameters.Add(new ParameterModel(parameter.Name, parameter.NameSpan, null, bound.Duration, text));
                    break;
                case BoundKind.Track:
                    Report(DiagnosticDescriptors.WrongKind, parameter.Default.Span,
                        $"a parameter's default is a number or a duration, not a track; to reuse a track, write a def: 'def {parameter.Name}() = ...'");
                    break;
            }
        }

        _laterParameters.Clear();
        var topContext = new BindContext(names, AllowProgress: false, InRepeat: false, CallSite: null, Library: false, CallStack: Array.Empty<string>());
        DurationNode? over = null;
        if (schedule.Over is not null)
        {
            over = ExpectDuration(BindAny(schedule.Over, topContext), topContext);
            if (over is RestDuration)
            {
                Report(DiagnosticDescriptors.RestMisplaced, over.Span, "'over' needs a length such as '90ep'; 'rest' has nothing to refer to here");
                over = null;
            }
        }

        int scheduleErrors = ErrorCount - errorsBefore;
        var tracks = new List<TrackModel>();
        var trackNames = new Dictionary<string, TrackSyntax>(StringComparer.Ordinal);
        foreach (var track in schedule.Tracks)
        {
            string name = TrackCatalogue.Canonical(track.Name);
            if (trackNames.TryGetValue(name, out var previous))
            {
                var line = _source.GetLinePosition(previous.NameSpan.Start).Line;
                string advice = track.Name == previous.Name ? "a track appears once: remove one of them" : $"'{track.Name}' and '{previous.Name}' are the same track: remove one of them";
                Report(DiagnosticDescriptors.DuplicateName, track.NameSpan, "track", name, $" on line {line}", advice);
                continue;
            }
            trackNames.Add(name, track);
            if (TrackCatalogue.Find(name) is null)
            {
                var known = TrackCatalogue.Known.SelectMany(t => new[] { t.Name }.Concat(t.Aliases));
                string? meant = TrackSynonyms.TryGetValue(name, out var synonym) ? synonym
                    : Suggestions.Closest(name, known) is { } closest ? $"'{closest}'" : null;
                if (meant is not null) Report(DiagnosticDescriptors.TrackNameLooksMistyped, track.NameSpan, track.Name, meant);
            }
            int errors = ErrorCount;
            var root = BindTrack(track, topContext, schedule.Over is not null, schedule.Name);
            if (root is not null && ErrorCount == errors) tracks.Add(new TrackModel(name, track.NameSpan, track.Value.Span, root));
            else _trackErrors += ErrorCount - errors;
        }
        if (!trackNames.ContainsKey("lr"))
        {
            Report(DiagnosticDescriptors.MissingLearningRate, schedule.NameSpan, schedule.Name);
            scheduleErrors++;
        }

        var model = new ScheduleModel(_source, schedule.Name, schedule.NameSpan, schedule.Span, ns, schedule.Documentation,
            parameters.ToArray(), over, tracks.ToArray(), _firstEpochUse, _countsInEpochs);
        return (model, scheduleErrors == 0);
    }

    private int ErrorCount => _diagnostics.Count(d => d.IsError);

    private TrackNode? BindTrack(TrackSyntax track, BindContext context, bool hasTotal, string scheduleName)
    {
        var bound = BindAny(track.Value, context);
        TrackNode? root = bound.Kind switch
        {
            BoundKind.Track => bound.Track,
            BoundKind.Value => new ConstantTrackNode(track.Value.Span, bound.Value!),
            BoundKind.Duration => WrongKind(track.Value.Span, context,
                "a track is made of values, not a duration; write e.g. 'const(0.1, 10ep)' or 'lin(0 -> 0.1, 10ep)'"),
            _ => null,
        };
        if (root is null) return null;

        var rests = new List<TextSpan>();
        root.FindRests(new RestFinder(rests,
            (span, message) => Report(DiagnosticDescriptors.RestMisplaced, span, message),
            span => Report(DiagnosticDescriptors.RestTwice, span)));
        for (int i = 1; i < rests.Count; i++) Report(DiagnosticDescriptors.RestTwice, rests[i]);
        if (rests.Count > 0 && !hasTotal)
        {
            _diagnostics.Add(DiagnosticDescriptors.NeedsTotal.Create(_source, rests[0], "'rest' (or a segment without a duration)", scheduleName));
        }
        return root;
    }

    private void CheckUncalledDefs(IReadOnlyList<DefSyntax> defs)
    {
        foreach (var def in defs)
        {
            if (_calledDefs.Contains(def.Name) || !_defs.TryGetValue(def.Name, out var info) || info.Syntax != def) continue;
            var known = new HashSet<string>(def.Parameters.Select(p => p.Name), StringComparer.Ordinal);
            foreach (var parameter in def.Parameters)
            {
                if (parameter.Default is not null) CheckNames(parameter.Default, known);
            }
            CheckNames(def.Body, known);
        }
    }

    /// <summary>For a def no schedule calls: still report names that resolve to nothing.</summary>
    private void CheckNames(Expr expr, HashSet<string> parameters)
    {
        var pending = new Stack<Expr>();
        pending.Push(expr);
        while (pending.Count > 0)
        {
            switch (pending.Pop())
            {
                case NameExpr name when !parameters.Contains(name.Name) && BuiltIns.ReservedBecause(name.Name) is null:
                    Report(DiagnosticDescriptors.UnknownName, name.Span, "name", name.Name,
                        Suggestions.DidYouMean(name.Name, parameters.Concat(BuiltIns.Variables).Concat(BuiltIns.Constants)) + " (a def sees only its own parameters)");
                    break;
                case CallExpr call:
                    if (!_defs.ContainsKey(call.Name) && !BuiltIns.IsSegment(call.Name) && !BuiltIns.Functions.ContainsKey(call.Name))
                    {
                        Report(DiagnosticDescriptors.UnknownName, call.NameSpan, "function", call.Name, Suggestions.DidYouMean(call.Name, FunctionNames()));
                    }
                    foreach (var argument in call.Arguments) pending.Push(argument.Value);
                    break;
                case RepeatExpr repeat:
                    foreach (var argument in repeat.Arguments) pending.Push(argument.Value);
                    pending.Push(repeat.Body);
                    break;
                case SumExpr sum:
                    pending.Push(sum.First);
                    foreach (var link in sum.Rest) pending.Push(link.Operand);
                    break;
                case ProductExpr product:
                    pending.Push(product.First);
                    foreach (var link in product.Rest)
                    {
                        if (!(link.Operator == "by" && link.Operand is NameExpr { Name: "epoch" })) pending.Push(link.Operand);
                    }
                    break;
                case PowerExpr power:
                    pending.Push(power.Base);
                    foreach (var link in power.Exponents) pending.Push(link.Operand);
                    break;
                case NegateExpr negate:
                    pending.Push(negate.Operand);
                    break;
                case ArrowExpr arrow:
                    pending.Push(arrow.From);
                    pending.Push(arrow.To);
                    break;
                case ParenExpr paren:
                    pending.Push(paren.Inner);
                    break;
            }
        }
    }

    private IEnumerable<string> FunctionNames() =>
        BuiltIns.Segments.Concat(BuiltIns.Functions.Keys).Concat(_defs.Keys).Concat(new[] { "repeat" });

    private void UsesEpochs(TextSpan span, BindContext context) => _firstEpochUse ??= context.Library ? context.CallSite : span;

    private void Report(DiagnosticDescriptor descriptor, TextSpan span, params object?[] args) =>
        _diagnostics.Add(descriptor.Create(_source, span, args));

    /// <summary>
    /// Reports inside the text being bound; inside a library def, at the call in the user's file, and only its first
    /// error: the user cannot see the def's body, where one mistaken argument usually breaks several places.
    /// </summary>
    private void Report(DiagnosticDescriptor descriptor, TextSpan span, BindContext context, params object?[] args)
    {
        if (!context.Library)
        {
            Report(descriptor, span, args);
            return;
        }
        var site = context.CallSite!.Value;
        if (!_diagnostics.Any(d => d.IsError && d.Span == site)) Report(descriptor, site, args);
    }

    private TrackNode? WrongKind(TextSpan span, BindContext context, string message)
    {
        Report(DiagnosticDescriptors.WrongKind, span, context, message);
        return null;
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private sealed record DefInfo(DefSyntax Syntax, SourceText Source, bool IsLibrary);
}

/// <summary>A bound schedule, and whether it bound without errors of its own (some of its tracks may still have been left out).</summary>
internal sealed record BoundFileSchedule(ScheduleModel Model, bool Valid);
