using System.Globalization;

namespace Sched.Cli;

/// <summary>
/// The arguments after the command name: positionals and <c>--name value</c> options (also
/// <c>--name=value</c>). Every option takes a value; each command declares the ones it accepts.
/// </summary>
internal sealed class CommandLine
{
    private readonly string _command;
    private readonly Dictionary<string, List<string>> _options;

    private CommandLine(string command, List<string> positionals, Dictionary<string, List<string>> options)
    {
        _command = command;
        Positionals = positionals;
        _options = options;
    }

    public IReadOnlyList<string> Positionals { get; }

    /// <summary>
    /// Splits <paramref name="args"/>; <paramref name="aliases"/> maps short spellings (<c>-o</c>) to
    /// the long option they stand for. Throws a usage error for unknown options or missing values.
    /// </summary>
    public static CommandLine Parse(
        string command,
        IReadOnlyList<string> args,
        IReadOnlyCollection<string> options,
        IReadOnlyDictionary<string, string>? aliases = null)
    {
        var positionals = new List<string>();
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg.Length < 2 || arg[0] != '-')
            {
                positionals.Add(arg);
                continue;
            }

            string name = arg;
            string? value = null;
            int equals = arg.IndexOf('=');
            if (arg.StartsWith("--", StringComparison.Ordinal) && equals > 2)
            {
                name = arg.Substring(0, equals);
                value = arg.Substring(equals + 1);
            }

            if (aliases is not null && aliases.TryGetValue(name, out var longName)) name = longName;
            if (!options.Contains(name))
            {
                string accepted = options.Count == 0 ? "it takes no options" : "it accepts " + string.Join(", ", options);
                throw CliException.Usage($"sched {command}: unknown option '{arg}'; {accepted}");
            }

            if (value is null)
            {
                // A following argument that looks like an option means the value was forgotten.
                if (i + 1 >= args.Count || (args[i + 1].StartsWith("--", StringComparison.Ordinal) && args[i + 1].Length > 2))
                    throw CliException.Usage($"sched {command}: {arg} needs a value, e.g. {Example(name)}");
                value = args[++i];
            }

            if (!values.TryGetValue(name, out var list)) values[name] = list = new List<string>();
            list.Add(value);
        }

        return new CommandLine(command, positionals, values);
    }

    /// <summary>Every value given for an option, in order.</summary>
    public IReadOnlyList<string> All(string option) =>
        _options.TryGetValue(option, out var list) ? list : Array.Empty<string>();

    /// <summary>The option's value, or null when absent; a usage error when given twice.</summary>
    public string? Single(string option)
    {
        var values = All(option);
        if (values.Count > 1)
            throw CliException.Usage($"sched {_command}: {option} is given {values.Count} times; give it once");
        return values.Count == 0 ? null : values[0];
    }

    /// <summary>The option as a whole number in [1, <paramref name="max"/>], or <paramref name="fallback"/> when absent.</summary>
    public int PositiveInt(string option, int fallback, int max = int.MaxValue)
    {
        string? text = Single(option);
        if (text is null) return fallback;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < 1 || value > max)
            throw CliException.Usage($"sched {_command}: {option} needs a whole number from 1 to {max.ToString(CultureInfo.InvariantCulture)}, not '{text}'; e.g. {Example(option)}");
        return value;
    }

    /// <summary>The single positional argument (the schedule file); a usage error otherwise.</summary>
    public string SingleFile()
    {
        if (Positionals.Count == 1) return Positionals[0];
        if (Positionals.Count == 0)
            throw CliException.Usage($"sched {_command}: give the .sched file, e.g. sched {_command} schedules.sched");
        throw CliException.Usage($"sched {_command}: give one .sched file, not {Positionals.Count} ({string.Join(" ", Positionals)}); choose a schedule inside it with --schedule NAME");
    }

    private static string Example(string option) => option switch
    {
        "--schedule" => "--schedule OneCycle",
        "--steps-per-epoch" => "--steps-per-epoch 390",
        "--set" => "--set peak=0.5",
        "--output" => "-o schedule.png",
        "--compare" => "--compare Other",
        "--width" => "--width 900",
        "--height" => "--height 500",
        _ => option + " VALUE",
    };
}
