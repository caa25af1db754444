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
                production.ReportDiagnostic(new DiagnosticInfo(CSharpTooOldId, true,
                    $"the classes generated from .sched files need C# 6 or newer, and this project compiles C# {input.Right}: set <LangVersion>7.3</LangVersion> or later, or remove LangVersion to take the SDK's default",
                    first, 0, 0, 1, 1, 1, 1).ToDiagnostic());
            });

        // All files together, only to catch one class name in two files: each file's work above stays cached on its own.
        context.RegisterSourceOutput(outputs.Select(static (output, _) => output.Sources).Collect().WithTrackingName(TrackingNames.Sources),
            static (production, files) =>
            {
                var seen = new Dictionary<string, GeneratedSource>(StringComparer.OrdinalIgnoreCase);
                foreach (var sources in files)
                {
                    foreach (var source in sources)
                    {
                        if (seen.TryGetValue(source.HintName, out var first))
                        {
                            production.ReportDiagnostic(Duplicate(source, first).ToDiagnostic());
                            continue;
                        }
                        seen.Add(source.HintName, source);
                        production.AddSource(source.HintName, source.Text);
                    }
                }
            });
    }

    /// <summary>The project-level error of a C# too old for generated code; documented in docs/diagnostics.md beside the language's.</summary>
    internal const string CSharpTooOldId = "SCHED100";

    internal static GeneratedCSharp GeneratedCSharpFor(ParseOptions options) => options is not CSharpParseOptions csharp ? GeneratedCSharp.NullableAware
        : csharp.LanguageVersion >= LanguageVersion.CSharp8 ? GeneratedCSharp.NullableAware
        : csharp.LanguageVersion >= LanguageVersion.CSharp6 ? GeneratedCSharp.WithoutNullable
        : GeneratedCSharp.Unsupported;

    /// <summary>Parses, checks and emits one file. Never throws: a failure becomes a located SCHED099.</summary>
    internal static FileOutput Generate(string path, string text, string rootNamespace, GeneratedCSharp csharp = GeneratedCSharp.NullableAware)
    {
        try
        {
            var analysis = SchedCompiler.Analyze(text, path);
            var diagnostics = analysis.Diagnostics.Select(ToInfo).ToList();
            var sources = new List<GeneratedSource>();
            if (!analysis.HasErrors && csharp != GeneratedCSharp.Unsupported)
            {
                string ns = analysis.Namespace ?? rootNamespace;
                foreach (var schedule in analysis.Schedules)
                {
                    var emitted = ScheduleEmitter.Emit(schedule, text, System.IO.Path.GetFileName(path), ns, csharp == GeneratedCSharp.NullableAware);
                    if (emitted is null) continue;
                    string hint = (ns.Length == 0 ? "" : ns + ".") + schedule.Name + ".g.cs";
                    var at = analysis.Source.GetLinePosition(schedule.NameSpan.Start);
                    var end = analysis.Source.GetLinePosition(schedule.NameSpan.End);
                    var nameLocation = new DiagnosticInfo("SCHED015", true, schedule.Name, path, schedule.NameSpan.Start, schedule.NameSpan.Length, at.Line, at.Column, end.Line, end.Column);
                    sources.Add(new GeneratedSource(hint, emitted, nameLocation));
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

    private static DiagnosticInfo ToInfo(Sched.Language.Diagnostics.Diagnostic d) =>
        new(d.Id, d.IsError, d.Message, d.Path, d.Span.Start, d.Span.Length, d.Start.Line, d.Start.Column, d.End.Line, d.End.Column);
}
