using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Sched.Generators;

/// <summary>A diagnostic as plain data: it becomes a Roslyn <see cref="Diagnostic"/> only when reported.</summary>
public sealed record DiagnosticInfo(
    string Id,
    bool IsError,
    string Message,
    string Path,
    int Start,
    int Length,
    int StartLine,
    int StartColumn,
    int EndLine,
    int EndColumn)
{
    /// <summary>The Roslyn diagnostic, located in the <c>.sched</c> file (lines and columns are 0-based there), described as the catalogue describes it.</summary>
    public Diagnostic ToDiagnostic()
    {
        var entry = Sched.Diagnostics.DiagnosticDescriptors.Find(Id);
        var descriptor = new DiagnosticDescriptor(Id, entry?.Title ?? Id, "{0}", entry is null ? "Sched" : "Sched." + entry.Category,
            IsError ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: Sched.Diagnostics.DiagnosticDescriptors.HelpLinkFor(Id));
        var span = new LinePositionSpan(new LinePosition(StartLine - 1, StartColumn - 1), new LinePosition(EndLine - 1, EndColumn - 1));
        return Diagnostic.Create(descriptor, Location.Create(Path, new TextSpan(Start, Length), span), Message);
    }
}

/// <summary>One generated class: its hint name and text, and where its schedule is named (to report a clash between files).</summary>
public sealed record GeneratedSource(string HintName, string FullName, string Text, DiagnosticInfo NameLocation);

/// <summary>What one <c>.sched</c> file gives: sources and diagnostics, compared by value.</summary>
public sealed record FileOutput(EquatableArray<GeneratedSource> Sources, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>What the consumer's C# lets generated code use.</summary>
public enum GeneratedCSharp
{
    /// <summary>C# 8 and later: the code opens with <c>#nullable enable</c>.</summary>
    NullableAware,

    /// <summary>C# 6 to 7.3 (7.3 is a netstandard2.0 library's default): the same code without <c>#nullable</c>.</summary>
    WithoutNullable,

    /// <summary>Before C# 6: no class is generated, and one SCHED100 error says what to set.</summary>
    Unsupported,
}
