using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Sched.Cli;

internal static class Program
{
    public static int Main(string[] args)
    {
        // A buffered, BOM-free stdout: a CSV of a million rows should not flush line by line.
        var encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        var stdout = new StreamWriter(OpenStandardOutput(), encoding) { AutoFlush = false };
        var stderr = new StreamWriter(Console.OpenStandardError(), encoding) { AutoFlush = true };
        return Cli.Run(args, stdout, stderr);
    }

    /// <summary>
    /// A pipe or terminal on Unix: file descriptor 1 itself, because .NET's console stream drops writes to a closed pipe
    /// without a word, and 'sched eval big.sched | head' would compute every row for nobody. A file keeps the console
    /// stream, which appends where the shell left off (a FileStream would write at its own offset) and reports a full disk.
    /// </summary>
    private static Stream OpenStandardOutput()
    {
        if (OperatingSystem.IsWindows()) return Console.OpenStandardOutput();
        try
        {
            var stream = new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
            if (!stream.CanSeek) return stream;
            stream.Dispose();
            return Console.OpenStandardOutput();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            // No usable descriptor 1 (closed by the caller): the console stream copes with that.
            return Console.OpenStandardOutput();
        }
    }
}
