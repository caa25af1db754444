namespace Sched.Text;

/// <summary>A source file's path and line starts, to turn offsets into lines and columns; its text when it has one.</summary>
public sealed class SourceText
{
    private readonly int[] _lineStarts;

    public SourceText(string text, string path)
    {
        Text = text ?? throw new ArgumentNullException(nameof(text));
        Path = path ?? throw new ArgumentNullException(nameof(path));
        Length = text.Length;
        _lineStarts = LineStarts(text);
    }

    private SourceText(string path, int length, int[] lineStarts)
    {
        Text = "";
        Path = path;
        Length = length;
        _lineStarts = lineStarts;
    }

    /// <summary>
    /// A file known only by its line starts: generated classes locate their run-time errors in the <c>.sched</c> file
    /// without carrying its text.
    /// </summary>
    public static SourceText FromLineStarts(string path, int length, int[] lineStarts) => new(path, length, lineStarts);

    /// <summary>The text; empty for a file known only by its line starts.</summary>
    public string Text { get; }

    public string Path { get; }

    public int Length { get; }

    /// <summary>Offsets where lines start: after <c>\n</c>, <c>\r\n</c> or a lone <c>\r</c>.</summary>
    public IReadOnlyList<int> LineStartOffsets => _lineStarts;

    /// <summary>1-based line and column of an offset (clamped into the text; the column counts UTF-16 units).</summary>
    public LinePosition GetLinePosition(int offset)
    {
        offset = Math.Max(0, Math.Min(offset, Length));
        int line = Array.BinarySearch(_lineStarts, offset);
        if (line < 0) line = ~line - 1;
        return new LinePosition(line + 1, offset - _lineStarts[line] + 1);
    }

    public string this[TextSpan span] => Text.Substring(span.Start, span.Length);

    private static int[] LineStarts(string text)
    {
        var starts = new List<int> { 0 };
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\n' || (c == '\r' && (i + 1 == text.Length || text[i + 1] != '\n'))) starts.Add(i + 1);
        }
        return starts.ToArray();
    }
}
