using System.Text;

namespace Sched.Cli;

/// <summary>The reader of stdout went away (<c>sched eval big.sched | head</c>): stop at once, quietly.</summary>
internal sealed class OutputClosedException : Exception
{
    public OutputClosedException(Exception inner)
        : base(inner.Message, inner)
    {
    }
}

/// <summary>stdout cannot be written (a full disk, a device error): an error the user must see.</summary>
internal sealed class OutputFailedException : Exception
{
    public OutputFailedException(Exception inner)
        : base(inner.Message, inner)
    {
    }
}

/// <summary>
/// stdout for the commands: a failed write stops the command with <see cref="OutputClosedException"/> when the
/// pipe's reader is gone (EPIPE), or <see cref="OutputFailedException"/> otherwise, never as an input file's IO error.
/// </summary>
internal sealed class OutputWriter : TextWriter
{
    /// <summary>errno of a write to a pipe nobody reads (Linux and macOS), which .NET reports as the IOException's HResult.</summary>
    private const int BrokenPipe = 32;

    private readonly TextWriter _inner;

    public OutputWriter(TextWriter inner) => _inner = inner;

    public override Encoding Encoding => _inner.Encoding;

    public override void Write(char value) => Guard(() => _inner.Write(value));

    public override void Write(string? value) => Guard(() => _inner.Write(value));

    public override void Write(char[] buffer, int index, int count) => Guard(() => _inner.Write(buffer, index, count));

    public override void Flush() => Guard(_inner.Flush);

    private static void Guard(Action write)
    {
        try
        {
            write();
        }
        catch (IOException e) when (e.HResult == BrokenPipe)
        {
            throw new OutputClosedException(e);
        }
        catch (IOException e)
        {
            throw new OutputFailedException(e);
        }
    }
}
