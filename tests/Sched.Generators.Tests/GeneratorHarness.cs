using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace Sched.Generators.Tests;

/// <summary>A <c>.sched</c> file held in memory, as the build hands it to the generator.</summary>
internal sealed class InMemoryAdditionalText : AdditionalText
{
    private readonly SourceText _text;

    public InMemoryAdditionalText(string path, string text)
    {
        Path = path;
        _text = SourceText.From(text, Encoding.UTF8);
    }

    public override string Path { get; }

    public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
}

/// <summary>Global analyzer options holding only <c>build_property.RootNamespace</c>, as Sched.props makes visible.</summary>
internal sealed class RootNamespaceOptionsProvider : AnalyzerConfigOptionsProvider
{
    public RootNamespaceOptionsProvider(string? rootNamespace)
    {
        GlobalOptions = new Options(rootNamespace is null
            ? ImmutableDictionary<string, string>.Empty
            : ImmutableDictionary<string, string>.Empty.Add("build_property.RootNamespace", rootNamespace));
    }

    public override AnalyzerConfigOptions GlobalOptions { get; }

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Options.Empty;

    private sealed class Options(ImmutableDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public static readonly Options Empty = new(ImmutableDictionary<string, string>.Empty);

        public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
    }
}

/// <summary>What one generator run over some files gave: the run result and the compilation with its output.</summary>
internal sealed record GeneratorOutcome(GeneratorDriver Driver, GeneratorRunResult Result, Compilation Output, ImmutableArray<Diagnostic> DriverDiagnostics)
{
    /// <summary>Compiler errors and warnings of the compilation with the generated code (SCHED diagnostics are not among them).</summary>
    public ImmutableArray<Diagnostic> CompileDiagnostics() => Output.GetDiagnostics();
}

/// <summary>Runs <see cref="SchedGenerator"/> through Roslyn's driver, compiles and loads what it writes.</summary>
internal static class GeneratorHarness
{
    public const string RootNamespace = "Sched.Tests.Generated";

    // C# 12 is the newest Roslyn 4.8 knows, the oldest compiler the generator must run in; Diagnose checks the XML docs too.
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.Diagnose);

    private static readonly Lazy<MetadataReference[]> LazyReferences = new(LoadReferences);

    /// <summary>The framework (from the trusted platform assemblies) plus the runtime that generated code calls.</summary>
    public static IReadOnlyList<MetadataReference> References => LazyReferences.Value;

    /// <summary>The repository root, found from this file's path so tests read sources in place.</summary>
    public static string RepositoryRoot([CallerFilePath] string path = "") =>
        System.IO.Path.GetFullPath(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(path)!, "..", ".."));

    public static CSharpCompilation NewCompilation(string assemblyName, bool fast = false, params SyntaxTree[] trees) =>
        CSharpCompilation.Create(assemblyName, trees, References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, deterministic: true,
                // The warning level of an SDK project targeting net10.0: users see these warnings in generated code.
                warningLevel: 10,
                // Bulk runs already run on every core: one thread per compilation avoids oversubscribing them.
                concurrentBuild: !fast));

    /// <summary>For bulk runs: XML documentation is not checked, which halves the compile time.</summary>
    public static readonly CSharpParseOptions FastParseOptions = new(LanguageVersion.Latest, DocumentationMode.None);

    public static GeneratorDriver NewDriver(IEnumerable<AdditionalText> files, string? rootNamespace = RootNamespace, bool trackSteps = false, CSharpParseOptions? parseOptions = null) =>
        CSharpGeneratorDriver.Create(
            new[] { new SchedGenerator().AsSourceGenerator() },
            files,
            parseOptions ?? ParseOptions,
            new RootNamespaceOptionsProvider(rootNamespace),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>One run over <paramref name="files"/> with an otherwise empty compilation.</summary>
    public static GeneratorOutcome Run(IEnumerable<AdditionalText> files, string? rootNamespace = RootNamespace, string assemblyName = "Generated", bool fast = false)
    {
        var driver = NewDriver(files, rootNamespace, parseOptions: fast ? FastParseOptions : null)
            .RunGeneratorsAndUpdateCompilation(NewCompilation(assemblyName, fast), out var output, out var diagnostics);
        return new GeneratorOutcome(driver, driver.GetRunResult().Results.Single(), output, diagnostics);
    }

    public static GeneratorOutcome Run(string path, string text, string? rootNamespace = RootNamespace) =>
        Run(new[] { new InMemoryAdditionalText(path, text) }, rootNamespace);

    /// <summary>The compiler's format, lines and columns 1-based: <c>path(line,col): error SCHED001: message</c>.</summary>
    public static string Format(Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetLineSpan();
        string severity = diagnostic.Severity == DiagnosticSeverity.Error ? "error" : "warning";
        return $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): {severity} {diagnostic.Id}: {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    /// <summary>Emits the compilation and loads it in a collectible context; the runtime (Sched.dll) stays the test's own.</summary>
    public static LoadedAssembly Load(Compilation compilation)
    {
        using var stream = new MemoryStream();
        var emitted = compilation.Emit(stream);
        if (!emitted.Success)
        {
            throw new InvalidOperationException("the generated code does not compile:\n" +
                string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(20).Select(d => d.ToString())));
        }
        stream.Position = 0;
        var context = new AssemblyLoadContext(compilation.AssemblyName, isCollectible: true);
        return new LoadedAssembly(context, context.LoadFromStream(stream));
    }

    private static MetadataReference[] LoadReferences()
    {
        // Framework assemblies only: the test's own dependencies (xunit, Schedules.dll) stay out of the compilation.
        string frameworkDirectory = System.IO.Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(path => string.Equals(System.IO.Path.GetDirectoryName(path), frameworkDirectory, StringComparison.Ordinal));
        // Generated code needs the runtime alone: compiling against it without the front end proves it parses nothing.
        var runtime = new[] { typeof(ISchedule).Assembly.Location };
        return framework.Concat(runtime).Distinct().Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)).ToArray();
    }
}

/// <summary>A loaded generated assembly; disposing unloads it.</summary>
internal sealed class LoadedAssembly(AssemblyLoadContext context, Assembly assembly) : IDisposable
{
    public Assembly Assembly { get; } = assembly;

    public void Dispose() => context.Unload();
}
