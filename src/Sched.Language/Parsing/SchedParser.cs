using Sched.Diagnostics;
using Sched.Language.Syntax;
using Sched.Text;
using Sprache;

namespace Sched.Language.Parsing;

/// <summary>Turns <c>.sched</c> text into a syntax tree, or a located syntax error.</summary>
public static class SchedParser
{
    /// <summary>Bracket nesting beyond this is refused before parsing, so no input can exhaust the stack.</summary>
    public const int MaxNesting = 64;

    public static FileSyntax? Parse(SourceText source, List<Diagnostic> diagnostics)
    {
        if (!CheckBeforeParsing(source, diagnostics)) return null;
        var result = Grammar.File(new Input(source.Text));
        if (!result.WasSuccessful)
        {
            int at = Math.Min(Lexical.SkipTrivia(result.Remainder).Position, source.Length);
            diagnostics.Add(DiagnosticDescriptors.SyntaxError.Create(source, new TextSpan(at, TokenLength(source.Text, at)), Describe(source.Text, at, result.Expectations, "the end of the file")));
            return null;
        }

        NamespaceSyntax? ns = null;
        var defs = new List<DefSyntax>();
        var schedules = new List<ScheduleSyntax>();
        foreach (var item in result.Value)
        {
            switch (item)
            {
                case NamespaceSyntax n when ns is null:
                    ns = n;
                    break;
                case NamespaceSyntax n:
                    diagnostics.Add(DiagnosticDescriptors.DuplicateName.Create(source, n.Span, "the namespace", ns.Name, " for this file", "a file has one 'namespace': remove this one"));
                    break;
                case DefSyntax d:
                    defs.Add(d);
                    break;
                case ScheduleSyntax s:
                    schedules.Add(s with { Documentation = DocumentationBefore(source.Text, s.Span.Start) });
                    break;
            }
        }
        return new FileSyntax(source, ns, defs, schedules);
    }

    /// <summary>Parses a lone value or duration, such as the right side of <c>--set warm=10ep</c>.</summary>
    public static Expr? ParseExpression(SourceText source, List<Diagnostic> diagnostics)
    {
        if (!CheckBeforeParsing(source, diagnostics)) return null;
        var result = Grammar.StandaloneExpression(new Input(source.Text));
        if (result.WasSuccessful) return result.Value;
        int at = Math.Min(Lexical.SkipTrivia(result.Remainder).Position, source.Length);
        diagnostics.Add(DiagnosticDescriptors.SyntaxError.Create(source, new TextSpan(at, TokenLength(source.Text, at)), Describe(source.Text, at, result.Expectations, "the end of the value")));
        return null;
    }

    /// <summary>What the grammar cannot report well: nesting that would exhaust the stack, a comment never closed.</summary>
    private static bool CheckBeforeParsing(SourceText source, List<Diagnostic> diagnostics)
    {
        var (tooDeep, unclosedComment) = Scan(source.Text);
        if (unclosedComment >= 0)
        {
            diagnostics.Add(DiagnosticDescriptors.SyntaxError.Create(source, new TextSpan(unclosedComment, 2), "this comment is never closed; end it with '*/'"));
            return false;
        }
        if (tooDeep >= 0)
        {
            diagnostics.Add(DiagnosticDescriptors.TooDeep.Create(source, new TextSpan(tooDeep, 1), $"brackets nest more than {MaxNesting} deep here; split the expression with a def"));
            return false;
        }
        return true;
    }

    private static string Describe(string text, int at, IEnumerable<string> expectations, string end)
    {
        if (UnitAfterSpace(text, at) is { } unit) return $"a unit follows its number directly: write '{unit}' without the space";
        var expected = expectations.Distinct().ToList();
        string found = at >= text.Length ? end : $"'{text.Substring(at, TokenLength(text, at))}'";
        if (expected.Count == 0) return $"unexpected {found}";
        string list = expected.Count == 1 ? expected[0] : string.Join(", ", expected.Take(expected.Count - 1)) + " or " + expected[expected.Count - 1];
        return $"expected {list}, found {found}";
    }

    /// <summary>For <c>3 ep</c>: the intended <c>3ep</c>, else null.</summary>
    private static string? UnitAfterSpace(string text, int at)
    {
        int length = TokenLength(text, at);
        string word = at < text.Length ? text.Substring(at, length) : "";
        if (word is not ("ep" or "it")) return null;
        int before = at - 1;
        while (before >= 0 && text[before] is ' ' or '\t') before--;
        if (before < 0 || before == at - 1 || text[before] is < '0' or > '9') return null;
        int start = before;
        while (start > 0 && (char.IsDigit(text[start - 1]) || text[start - 1] == '.')) start--;
        return text.Substring(start, before - start + 1) + word;
    }

    /// <summary>Length of the token at an offset: a word or number, an arrow, else one character.</summary>
    private static int TokenLength(string text, int at)
    {
        if (at >= text.Length) return 0;
        if (text[at] == '-' && at + 1 < text.Length && text[at + 1] == '>') return 2;
        int end = at;
        while (end < text.Length && Lexical.IsIdentifierPart(text[end]) && end - at < 40) end++;
        return Math.Max(1, end - at);
    }

    /// <summary>Contiguous <c>///</c> lines just above a schedule or def, without the slashes.</summary>
    internal static string? DocumentationBefore(string text, int scheduleStart)
    {
        var lines = new List<string>();
        int lineStart = LineBreakBefore(text, scheduleStart - 1) + 1;
        if (text.Substring(lineStart, scheduleStart - lineStart).Trim().Length != 0) return null;
        while (lineStart > 0)
        {
            int prevEnd = lineStart - 1;
            // A "\r\n" ends one line, not two.
            if (prevEnd > 0 && text[prevEnd] == '\n' && text[prevEnd - 1] == '\r') prevEnd--;
            int prevStart = LineBreakBefore(text, prevEnd - 1) + 1;
            string line = text.Substring(prevStart, prevEnd - prevStart).Trim();
            if (!line.StartsWith("///", StringComparison.Ordinal)) break;
            lines.Insert(0, line.Substring(3).Trim());
            lineStart = prevStart;
        }
        return lines.Count == 0 ? null : string.Join("\n", lines);
    }

    /// <summary>The offset of the last '\n' or '\r' at or before <paramref name="index"/>, or -1.</summary>
    private static int LineBreakBefore(string text, int index)
    {
        for (int i = Math.Min(index, text.Length - 1); i >= 0; i--)
        {
            if (text[i] is '\n' or '\r') return i;
        }
        return -1;
    }

    /// <summary>Offsets of the first bracket nesting deeper than <see cref="MaxNesting"/> and of an unclosed <c>/*</c>; -1 when none.</summary>
    private static (int TooDeep, int UnclosedComment) Scan(string text)
    {
        int depth = 0;
        int tooDeep = -1;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
            {
                while (i < text.Length && text[i] != '\n' && text[i] != '\r') i++;
            }
            else if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                int close = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                if (close < 0) return (tooDeep, i);
                i = close + 1;
            }
            else if (c is '(' or '{' or '[')
            {
                if (++depth > MaxNesting && tooDeep < 0) tooDeep = i;
            }
            else if (c is ')' or '}' or ']')
            {
                depth = Math.Max(0, depth - 1);
            }
        }
        return (tooDeep, -1);
    }
}
