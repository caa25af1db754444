using Sched.Diagnostics;

namespace Sched.Cli;

/// <summary>How the commands print diagnostics: the compiler format, each ID's section of docs/diagnostics.md after them.</summary>
internal static class DiagnosticReport
{
    /// <summary>The lines, then one help link per ID among them.</summary>
    public static void Write(IReadOnlyList<Diagnostic> diagnostics, TextWriter writer)
    {
        WriteLines(diagnostics.Select(d => d.ToString()), writer);
        WriteHelp(diagnostics.Select(d => d.Id), writer);
    }

    public static void WriteLines(IEnumerable<string> lines, TextWriter writer)
    {
        foreach (var line in lines) writer.Write(line + "\n");
    }

    /// <summary>"SCHED004 is explained at https://.../diagnostics.md#sched004", once per ID, in ID order.</summary>
    public static void WriteHelp(IEnumerable<string> ids, TextWriter writer)
    {
        foreach (var id in ids.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            writer.Write($"{id} is explained at {DiagnosticDescriptors.HelpLinkFor(id)}\n");
    }

    /// <summary>
    /// A diagnostic about a <c>--set</c> value, as the command line wrote it: <c>--set peak=1e400: error SCHED010: message</c>.
    /// </summary>
    public static string AtOption(string options, Diagnostic diagnostic, string? repeated = null)
    {
        string message = diagnostic.Message;
        // "'peak=1x': syntax error ..." already names the option at the start of the line.
        if (repeated is not null && message.StartsWith(repeated, StringComparison.Ordinal)) message = message.Substring(repeated.Length);
        return $"{options}: {(diagnostic.IsError ? "error" : "warning")} {diagnostic.Id}: {message}";
    }
}
