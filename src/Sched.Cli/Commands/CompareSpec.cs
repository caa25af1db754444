namespace Sched.Cli.Commands;

/// <summary>
/// A <c>--compare</c> value: <c>NAME</c> (a schedule in the plotted file), <c>PATH</c> (a file's only
/// schedule) or <c>PATH:NAME</c>.
/// </summary>
internal sealed record CompareSpec(string? Path, string? Name)
{
    /// <summary>
    /// A schedule name is an identifier, so a spec with '.', '/' or '\' is a path; a bare identifier that
    /// is also an existing file reads as that file. The last ':' splits only when an identifier follows (not <c>C:\x</c>).
    /// </summary>
    public static CompareSpec Parse(string spec)
    {
        if (spec.Length == 0)
            throw CliException.Usage("sched plot: --compare needs a schedule name, a file, or FILE:NAME, e.g. --compare Other");
        int colon = spec.LastIndexOf(':');
        if (colon > 0 && IsIdentifier(spec.Substring(colon + 1)))
            return new CompareSpec(spec.Substring(0, colon), spec.Substring(colon + 1));
        if (IsIdentifier(spec) && !File.Exists(spec))
            return new CompareSpec(null, spec);
        return new CompareSpec(spec, null);
    }

    /// <summary>The definition this spec names; a name alone is looked up among the plotted file's schedules.</summary>
    public ScheduleDefinition Resolve(string plottedFile, IReadOnlyList<ScheduleDefinition> plottedSchedules, TextWriter stderr)
    {
        if (Path is null) return ScheduleSelection.Select(plottedSchedules, Name, plottedFile);
        // The plotted file's diagnostics are already on stderr; loading it again would repeat them.
        var schedules = SameFile(Path, plottedFile) ? plottedSchedules : ScheduleSelection.Load(Path, stderr);
        return ScheduleSelection.Select(schedules, Name, Path, chooseWith: "--compare " + Path + ":NAME");
    }

    private static bool SameFile(string a, string b) =>
        string.Equals(System.IO.Path.GetFullPath(a), System.IO.Path.GetFullPath(b), StringComparison.Ordinal);

    private static bool IsIdentifier(string text) =>
        text.Length > 0 && !char.IsAsciiDigit(text[0]) && text.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
