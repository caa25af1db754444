namespace Sched.Cli;

/// <summary>Reads <c>.sched</c> files and checks them, turning IO failures into clear messages.</summary>
internal static class ScheduleFiles
{
    public const string Extension = ".sched";

    /// <summary>Reads and analyzes one file; a missing or unreadable file is an IO error (exit 2).</summary>
    public static ScheduleAnalysis Analyze(string path) => Schedule.Analyze(ReadText(path), path);

    public static string ReadText(string path)
    {
        if (Directory.Exists(path))
            throw CliException.Io($"sched: '{path}' is a directory; give a {Extension} file");
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw CliException.Io($"sched: file not found: '{path}'; check the path (it is relative to {Directory.GetCurrentDirectory()})");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.Io($"sched: cannot read '{path}': {e.Message}");
        }
    }

    /// <summary>
    /// The files named on the command line: files as given, directories searched recursively for
    /// <c>*.sched</c>, skipping build outputs (<c>bin/</c>, <c>obj/</c>). Sorted per directory so output is stable.
    /// </summary>
    public static IReadOnlyList<string> Expand(IEnumerable<string> paths)
    {
        var files = new List<string>();
        foreach (string path in paths)
        {
            if (Directory.Exists(path)) files.AddRange(Search(path));
            else if (File.Exists(path)) files.Add(path);
            else throw CliException.Io($"sched: no such file or directory: '{path}'; check the path (it is relative to {Directory.GetCurrentDirectory()})");
        }

        return files;
    }

    private static IEnumerable<string> Search(string directory)
    {
        var pending = new Stack<string>();
        pending.Push(directory);
        var found = new List<string>();
        while (pending.Count > 0)
        {
            string current = pending.Pop();
            try
            {
                found.AddRange(Directory.EnumerateFiles(current, "*" + Extension));
                foreach (var child in new DirectoryInfo(current).EnumerateDirectories())
                {
                    // Linked folders are skipped: a link to a parent would make the search endless.
                    if (child.Name is not ("bin" or "obj") && child.LinkTarget is null) pending.Push(Path.Combine(current, child.Name));
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw CliException.Io($"sched: cannot search '{current}': {e.Message}");
            }
        }

        found.Sort(StringComparer.Ordinal);
        return found;
    }
}
