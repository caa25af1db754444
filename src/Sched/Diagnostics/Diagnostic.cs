using Sched.Text;

namespace Sched.Diagnostics;

public enum DiagnosticSeverity
{
    Warning,
    Error,
}

/// <summary>
/// A located message about a <c>.sched</c> file. Plain data (no Roslyn types), so it can travel
/// through the generator pipeline and be compared for equality.
/// </summary>
public sealed record Diagnostic(
    string Id,
    DiagnosticSeverity Severity,
    string Message,
    string Path,
    TextSpan Span,
    LinePosition Start,
    LinePosition End)
{
    public bool IsError => Severity == DiagnosticSeverity.Error;

    /// <summary>The compiler format: <c>FILE(line,col): error SCHED001: message</c>.</summary>
    public override string ToString() =>
        $"{Path}({Start.Line},{Start.Column}): {(IsError ? "error" : "warning")} {Id}: {Message}";
}

/// <summary>One entry of the catalogue: a stable ID, a severity, a title and a message format.</summary>
public sealed class DiagnosticDescriptor
{
    internal DiagnosticDescriptor(string id, DiagnosticSeverity severity, string category, string title, string messageFormat)
    {
        Id = id;
        Severity = severity;
        Category = category;
        Title = title;
        MessageFormat = messageFormat;
    }

    public string Id { get; }

    public DiagnosticSeverity Severity { get; }

    public string Category { get; }

    public string Title { get; }

    /// <summary>A <see cref="string.Format(IFormatProvider, string, object[])"/> pattern over invariant-culture arguments.</summary>
    public string MessageFormat { get; }

    /// <summary>Where docs/diagnostics.md explains it, with an example and what to write instead.</summary>
    public string HelpLink => DiagnosticDescriptors.HelpLinkFor(Id);

    public Diagnostic Create(SourceText source, TextSpan span, params object?[] args)
    {
        int start = Math.Max(0, Math.Min(span.Start, source.Length));
        int end = Math.Max(start, Math.Min(span.End, source.Length));
        var clamped = TextSpan.FromBounds(start, end);
        string message = string.Format(System.Globalization.CultureInfo.InvariantCulture, MessageFormat, args);
        return new Diagnostic(Id, Severity, message, source.Path, clamped, source.GetLinePosition(start), source.GetLinePosition(end));
    }
}
