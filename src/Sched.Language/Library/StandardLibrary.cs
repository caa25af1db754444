using System.Reflection;
using Sched.Diagnostics;
using Sched.Language.Parsing;
using Sched.Language.Syntax;
using Sched.Text;

namespace Sched.Language;

/// <summary>A def of the standard library, with the text it was parsed from.</summary>
public sealed record LibraryDef(DefSyntax Syntax, SourceText Source)
{
    public string Name => Syntax.Name;

    /// <summary>The <c>///</c> comment above the def.</summary>
    public string? Documentation => SchedParser.DocumentationBefore(Source.Text, Syntax.Span.Start);

    /// <summary>The def as written, from <c>def</c> to the end of its body.</summary>
    public string Text => Source[Syntax.Span];

    /// <summary><c>name(a, b = 2)</c>.</summary>
    public string Signature => $"{Name}({string.Join(", ", Syntax.Parameters.Select(p => p.Default is null ? p.Name : $"{p.Name} = {Source[p.Default.Span]}"))})";
}

/// <summary>
/// The presets (docs/language.md §8): defs written in the language, in the <c>Library/*.sched</c> files embedded in this
/// assembly, usable from every file. Users read them with <c>sched presets</c>.
/// </summary>
public static class StandardLibrary
{
    private static readonly Lazy<IReadOnlyList<LibraryDef>> s_defs = new(Load);

    /// <summary>Every preset, in file and source order.</summary>
    public static IReadOnlyList<LibraryDef> Defs => s_defs.Value;

    private static IReadOnlyList<LibraryDef> Load()
    {
        var assembly = typeof(StandardLibrary).Assembly;
        var defs = new List<LibraryDef>();
        foreach (string resource in assembly.GetManifestResourceNames().Where(n => n.EndsWith(".sched", StringComparison.Ordinal)).OrderBy(n => n, StringComparer.Ordinal))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            var source = new SourceText(reader.ReadToEnd(), resource);
            var diagnostics = new List<Diagnostic>();
            var file = SchedParser.Parse(source, diagnostics);
            // The library ships with the compiler and is tested: a broken one is our bug, reported loudly.
            if (file is null || diagnostics.Any(d => d.IsError))
            {
                throw new InvalidOperationException("the standard library does not parse: " + string.Join("; ", diagnostics));
            }
            defs.AddRange(file.Defs.Select(d => new LibraryDef(d, source)));
        }
        return defs;
    }
}
