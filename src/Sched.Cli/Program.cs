using System.Text;

namespace Sched.Cli;

internal static class Program
{
    public static int Main(string[] args)
    {
        // A buffered, BOM-free stdout: a CSV of a million rows should not flush line by line.
        var encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        var stdout = new StreamWriter(Console.OpenStandardOutput(), encoding) { AutoFlush = false };
        var stderr = new StreamWriter(Console.OpenStandardError(), encoding) { AutoFlush = true };
        int exitCode = Cli.Run(args, stdout, stderr);
        try
        {
            stdout.Flush();
        }
        catch (IOException)
        {
            // The reader went away (e.g. '| head'); there is no one left to tell.
        }

        return exitCode;
    }
}
