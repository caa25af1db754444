using Sched.Language;

namespace Sched.Cli.Commands;

/// <summary>
/// <c>sched presets [NAME]</c>: the standard library's presets, each a def written in the language — a list
/// with signatures, or one preset's comment and source text.
/// </summary>
internal static class PresetsCommand
{
    public const string Usage = "sched presets [NAME]";

    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var presets = StandardLibrary.Defs;
        if (args.Count == 0)
        {
            foreach (var preset in presets)
            {
                string summary = preset.Documentation?.Split('\n')[0] ?? "";
                stdout.Write($"{preset.Signature}\n    {summary}\n");
            }
            return ExitCodes.Success;
        }
        if (args.Count > 1) throw CliException.Usage($"sched presets takes at most one name; write {Usage}");

        var found = presets.FirstOrDefault(p => p.Name == args[0]);
        if (found is null)
        {
            string names = string.Join(", ", presets.Select(p => p.Name));
            throw CliException.Failed($"sched: no preset '{args[0]}'; the presets are {names}");
        }
        foreach (var line in (found.Documentation ?? "").Split('\n')) stdout.Write($"/// {line}\n");
        stdout.Write(found.Text + "\n");
        return ExitCodes.Success;
    }
}
