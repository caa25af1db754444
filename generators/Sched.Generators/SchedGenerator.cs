using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Sched.Language;

namespace Sched.Generators;

/// <summary>
/// Every <c>*.sched</c> additional file becomes one sealed class per schedule, checked at build time with
/// diagnostics located in the <c>.sched</c> file. Each file is processed on its own, so editing C# or
/// another file reuses its cached output, and a failure in one file does not stop the others.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class SchedGenerator : IIncrementalGenerator
{
    /// <summary>Files larger than this are refused with a diagnostic: the build would spend minutes on them.</summary>
    internal const int MaxFileLength = 2_000_000;

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var files = context.AdditionalTextsProvider
            .Where(static file => file.Path.EndsWith(".sched", StringComparison.OrdinalIgnoreCase))
            .Select(static (file, token) => (file.Path, Text: file.GetText(token)?.ToString() ?? ""))
            .WithTrackingName(TrackingNames.ScheduleFiles);

        var rootNamespace = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => options.GlobalOptions.TryGetValue("build_property.RootNamespace", out var ns) ? ns : "")
            .WithTrackingName(TrackingNames.RootNamespace);

        // Folded to what changes the output, so moving from C# 10 to 12 (or any other option) leaves every file cached.
        var csharp = context.ParseOptionsProvider
            .Select(static (options, _) => GeneratedCSharpFor(options))
            .WithTrackingName(TrackingNames.LanguageVersion);

        var outputs = files
            .Combine(rootNamespace)
            .Combine(csharp)
            .Select(static (input, token) => Generate(input.Left.Left.Path, input.Left.Left.Text, input.Left.Right, input.Right))
            .WithTrackingName(TrackingNames.Generated);

        context.RegisterSourceOutput(outputs.Select(static (output, _) => output.Diagnostics).WithTrackingName(TrackingNames.Diagnostics),
            static (production, diagnostics) =>
            {
                foreach (var diagnostic in diagnostics) production.ReportDiagnostic(diagnostic.ToDiagnostic());
            });

        // One error for the project, not a wall of CS errors in generated files, when its C# is older than generated code needs.
        var tooOld = context.ParseOptionsProvider
            .Select(static (options, _) => options is CSharpParseOptions o && o.LanguageVersion < LanguageVersion.CSharp6 ? o.LanguageVersion.ToDisplayString() : "");
        context.RegisterSourceOutput(files.Select(static (file, _) => file.Path).Collect().Combine(tooOld),
            static (production, input) =>
            {
                if (input.Right.Length == 0 || input.Left.IsEmpty) return;
                string first = input.Left.OrderBy(path => path, StringComparer.Ordinal).First();
                production.ReportDiagnostic(new DiagnosticInfo(Sched.Diagnostics.DiagnosticDescriptors.CSharpTooOld.Id, true,
                    $"the classes generated from .sched files need C# 6 or newer, and this project compiles C# {input.Right}: set <LangVersion>7.3</LangVersion> or later, or remove LangVersion to take the SDK's default",
                    first, 0, 0, 1, 1, 1, 1).ToDiagnostic());
            });

        // All files together, only to catch one class name in two files: each file's work above stays cached on its own.
        var sources = outputs.Select(static (output, _) => output.Sources).Collect().WithTrackingName(TrackingNames.Sources);

        // Classes the user already has under a generated class's name: a cheap look-up per class, whose result (usually
        // none) is equal from one C# edit to the next, so nothing downstream runs again.
        var taken = sources
            .Select(static (files, _) => new EquatableArray<string>(files.SelectMany(f => f).Select(s => s.FullName).Distinct().ToArray()))
            .Combine(context.CompilationProvider)
            .Select(static (input, token) => new EquatableArray<string>(TakenByUserTypes(input.Left, input.Right, token)))
            .WithTrackingName(TrackingNames.TakenNames);

        context.RegisterSourceOutput(sources.Combine(taken),
            static (production, input) =>
            {
                var all = input.Left.SelectMany(f => f).ToList();
                var taken = new HashSet<string>(input.Right, StringComparer.Ordinal);
                foreach (var group in all.GroupBy(s => s.HintName, StringComparer.OrdinalIgnoreCase))
                {
                    // A name defined twice: the later definition is the error, pointing at the first, and neither becomes a class.
                    var ordered = group.OrderBy(s => s.NameLocation.Path, StringComparer.Ordinal).ThenBy(s => s.NameLocation.Start).ToList();
                    if (ordered.Count > 1)
                    {
                        foreach (var later in ordered.Skip(1)) production.ReportDiagnostic(Duplicate(later, ordered[0]).ToDiagnostic());
                        continue;
                    }
                    var source = ordered[0];
                    if (taken.Contains(source.FullName))
                    {
                        production.ReportDiagnostic(TakenName(source).ToDiagnostic());
                        continue;
                    }
                    production.AddSource(source.HintName, source.Text);
                }
            });
    }

    internal static GeneratedCSharp GeneratedCSharpFor(ParseOptions options) => options is not CSharpParseOptions csharp ? GeneratedCSharp.NullableAware
        : csharp.LanguageVersion >= LanguageVersion.CSharp8 ? GeneratedCSharp.NullableAware
        : csharp.LanguageVersion >= LanguageVersion.CSharp6 ? GeneratedCSharp.WithoutNullable
        : GeneratedCSharp.Unsupported;

    /// <summary>Parses, checks and emits one file. Never throws: a failure becomes a located SCHED099.</summary>
    internal static FileOutput Generate(string path, string text, string rootNamespace, GeneratedCSharp csharp = GeneratedCSharp.NullableAware)
    {
        try
        {
            if (text.Length > MaxFileLength)
            {
                var tooLarge = new DiagnosticInfo(Sched.Diagnostics.DiagnosticDescriptors.FileTooLarge.Id, true,
                    $"this file has {text.Length.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} characters, more than the {MaxFileLength.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} the build compiles; split it into several files, or load it at run time with Schedule.Parse",
                    path, 0, 0, 1, 1, 1, 1);
                return new FileOutput(default, new EquatableArray<DiagnosticInfo>(new[] { tooLarge }));
            }
            var analysis = SchedCompiler.Analyze(text, path);
            var diagnostics = analysis.Diagnostics.Concat(CSharpNames.Check(analysis)).OrderBy(d => d.Span.Start).Select(ToInfo).ToList();
            var sources = new List<GeneratedSource>();
            if (!analysis.HasErrors && csharp != GeneratedCSharp.Unsupported)
            {
                string ns = analysis.Namespace ?? rootNamespace;
                foreach (var schedule in analysis.Schedules)
                {
                    if (CSharpNames.Problem(schedule.Name) is not null) continue;
                    var emitted = ScheduleEmitter.Emit(schedule, System.IO.Path.GetFileName(path), ns, csharp == GeneratedCSharp.NullableAware);
                    if (emitted is null) continue;
                    string hint = (ns.Length == 0 ? "" : ns + ".") + schedule.Name + ".g.cs";
                    var at = analysis.Source.GetLinePosition(schedule.NameSpan.Start);
                    var end = analysis.Source.GetLinePosition(schedule.NameSpan.End);
                    var nameLocation = new DiagnosticInfo("SCHED015", true, schedule.Name, path, schedule.NameSpan.Start, schedule.NameSpan.Length, at.Line, at.Column, end.Line, end.Column);
                    sources.Add(new GeneratedSource(hint, (ns.Length == 0 ? "" : ns + ".") + schedule.Name, emitted, nameLocation));
                }
            }
            return new FileOutput(new EquatableArray<GeneratedSource>(sources.ToArray()), new EquatableArray<DiagnosticInfo>(diagnostics.ToArray()));
        }
        catch (Exception e)
        {
            var internalError = new DiagnosticInfo("SCHED099", true,
                $"internal error while generating code for this file: {e.GetType().Name}: {e.Message}; please report it with the file",
                path, 0, 0, 1, 1, 1, 1);
            return new FileOutput(default, new EquatableArray<DiagnosticInfo>(new[] { internalError }));
        }
    }

    /// <summary>The generated classes' full names that a type of the user's own already has, unless it is a partial class (which extends ours).</summary>
    private static string[] TakenByUserTypes(EquatableArray<string> names, Compilation compilation, CancellationToken token)
    {
        if (names.Count == 0) return Array.Empty<string>();
        var simple = compilation.Assembly.TypeNames;
        var taken = new List<string>();
        foreach (string name in names)
        {
            token.ThrowIfCancellationRequested();
            if (!simple.Contains(name.Substring(name.LastIndexOf('.') + 1))) continue;
            if (compilation.Assembly.GetTypeByMetadataName(name) is not { } type) continue;
            bool extendsOurs = type.TypeKind == TypeKind.Class && type.DeclaringSyntaxReferences.All(r =>
                r.GetSyntax(token) is Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax declaration
                && declaration.Modifiers.Any(m => m.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.PartialKeyword)));
            if (!extendsOurs) taken.Add(name);
        }
        return taken.ToArray();
    }

    private static DiagnosticInfo TakenName(GeneratedSource source)
    {
        string name = source.NameLocation.Message;
        string ns = source.FullName.Length > name.Length ? source.FullName.Substring(0, source.FullName.Length - name.Length - 1) : "";
        return source.NameLocation with
        {
            Id = Sched.Diagnostics.DiagnosticDescriptors.NameTaken.Id,
            Message = $"your project already has a type '{name}' in {(ns.Length == 0 ? "the global namespace" : $"namespace '{ns}'")}; rename the schedule, give its file another namespace, or declare your type as 'partial class {name}' to extend the generated class",
        };
    }

    private static DiagnosticInfo Duplicate(GeneratedSource source, GeneratedSource first)
    {
        string ns = source.HintName.Substring(0, source.HintName.Length - ".g.cs".Length - source.NameLocation.Message.Length).TrimEnd('.');
        string where = ns.Length == 0 ? "the global namespace" : $"namespace '{ns}'";
        var at = first.NameLocation;
        return source.NameLocation with
        {
            Message = $"schedule '{source.NameLocation.Message}' is already defined in {where} by {System.IO.Path.GetFileName(at.Path)}({at.StartLine},{at.StartColumn}); rename one of them or give the files different namespaces",
        };
    }

    private static DiagnosticInfo ToInfo(Sched.Diagnostics.Diagnostic d) =>
        new(d.Id, d.IsError, d.Message, d.Path, d.Span.Start, d.Span.Length, d.Start.Line, d.Start.Column, d.End.Line, d.End.Column);
}
