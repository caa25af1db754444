namespace Sched.Language.Text;

/// <summary>A source file's text with its path and line starts, to turn offsets into lines and columns.</summary>
public sealed class SourceText
{
    private readonly int[] _lineStarts;

    public SourceText(string text, string path)
    {
        Text = text;
        Path = path;
        var starts = new List<int> { 0 };
        for (int i = 0; i < text.Length; i++)
        {
            // A line ends at LF, CRLF or a bare CR (old Mac files), as editors and the C# compiler count lines.
            if (text[i] == '\n' || (text[i] == '\r' && (i + 1 == text.Length || text[i + 1] != '\n'))) starts.Add(i + 1);
        }
        _lineStarts = starts.ToArray();
    }

    public string Text { get; }

    public string Path { get; }

    public int Length => Text.Length;

    /// <summary>1-based line and column of an offset (clamped into the text; the column counts UTF-16 units).</summary>
    public LinePosition GetLinePosition(int offset)
    {
        offset = Math.Max(0, Math.Min(offset, Text.Length));
        int line = Array.BinarySearch(_lineStarts, offset);
        if (line < 0) line = ~line - 1;
        return new LinePosition(line + 1, offset - _lineStarts[line] + 1);
    }

    public string this[TextSpan span] => Text.Substring(span.Start, span.Length);
}
