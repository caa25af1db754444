using Sched.Language;

namespace Sched.Cli.Commands;

/// <summary>
/// <c>sched presets [NAME]</c>: the standard library's presets, each a def written in the language — a list
/// with signatures, or one preset's comment and source text.
/// </summary>
internal static class PresetsCommand
{
    public const string Usage = "sched presets [NAME]";

    public const string Help =
        "usage: " + Usage + "\n" +
        "\n" +
        "Without a name, lists the standard library's presets, grouped by the library they copy, each with\n" +
        "its signature and what it is. With a name, prints that preset's comment and source text. Presets\n" +
        "are defs written in the language: any schedule can call them, e.g. lr = warmup_cos(0.1, 5ep).\n" +
        "\n" +
        "Exit code: 0 printed, 1 no preset of that name.\n";

    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        var presets = StandardLibrary.Defs;
        if (args.Count == 0)
        {
            foreach (var file in presets.GroupBy(p => p.Source.Path))
            {
                stdout.Write($"{(file.Key == presets[0].Source.Path ? "" : "\n")}# {LibraryName(file.Key)}\n");
                foreach (var preset in file)
                {
                    stdout.Write(preset.Signature + "\n");
                    foreach (var line in Wrap(Summary(preset.Documentation ?? ""), 96)) stdout.Write($"    {line}\n");
                }
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

    /// <summary>"Sched.Language.Library.pytorch.sched" is the pytorch library.</summary>
    private static string LibraryName(string resource)
    {
        string stem = Path.GetFileNameWithoutExtension(resource);
        return stem.Substring(stem.LastIndexOf('.') + 1);
    }

    /// <summary>
    /// A doc comment's first sentence: up to the first '.' or ':' followed by a space, outside brackets and code,
    /// so "PyTorch `StepLR` (torch/optim/lr_scheduler.py, ...)" keeps its parenthesis and "0.95" its digits.
    /// </summary>
    internal static string Summary(string documentation)
    {
        string text = string.Join(" ", documentation.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        int depth = 0;
        bool code = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '`') code = !code;
            else if (code) continue;
            else if (c is '(' or '[') depth++;
            else if (c is ')' or ']') depth = Math.Max(0, depth - 1);
            else if (c is '.' or ':' && depth == 0 && (i + 1 == text.Length || text[i + 1] == ' ')) return text.Substring(0, i);
        }
        return text;
    }

    private static IEnumerable<string> Wrap(string text, int width)
    {
        var line = new System.Text.StringBuilder();
        foreach (var word in text.Split(' '))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                yield return line.ToString();
                line.Clear();
            }
            if (line.Length > 0) line.Append(' ');
            line.Append(word);
        }
        if (line.Length > 0) yield return line.ToString();
    }
}
