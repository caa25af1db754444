using System.Text.RegularExpressions;
using CsCheck;

namespace Sched.Generators.Tests;

/// <summary>
/// Hostile <c>.sched</c> files: valid seeds with tokens deleted, duplicated, swapped or replaced (extreme numbers,
/// names that are C# keywords or collide with generated members), junk inserted, cut short, or pure junk.
/// </summary>
internal static partial class Mutations
{
    /// <summary>Rich valid files beside the samples: defs, every kind of repeat, modulation, quantization, custom tracks.</summary>
    private static readonly string[] ExtraSeeds =
    [
        """
        def tri(lo, hi, half) = lin(lo -> hi, half) + lin(hi -> lo, half)
        def fade(A, k = 0.5) = A * (1 - k * p)

        /// Everything at once: <b>bold</b> & more.
        schedule Busy(peak = 0.1, warm = 2ep, lo = peak / 10) over 30ep {
            lr  = lin(lo -> peak, warm) + repeat(3, mult = 2) { cos(peak * 0.5^cycle -> 0.001, 3ep) } * (1 + 0.1 * sin(10 * pi * p)) + const(0.001, rest)
            mom = (cos(0.95 -> 0.85, 10ep) + const(0.9, rest)) by epoch
            wd  = fn(1e-4 * (1 + t) + 1e-6 * epoch)
            ema = repeat(2.5) { exp(0.9 -> 0.999, 2ep) + poly(0.999 -> 0.99, 1ep, 2) } + fade(tri(0.1, 0.2, 1ep))
        }
        """,
        """
        schedule Cycles over 1000it {
            lr = repeat(4, every = 100it) { lin(0 -> 1e-3, 10%) + cos(1e-3 -> 1e-5, rest) } + repeat(10) { lin(1e-5 -> 1e-3, 50%) + lin(1e-3 -> 1e-5, 50%) }
            beta2 = 0.999; dropout = fn(0.1 * step / 1000, 500it) + 0.1
            momentum = repeat { cos(0.85 -> 0.95, 50it) } by 25it
        }
        """,
    ];

    private static readonly string[] Numbers =
    [
        "1e308", "1e-308", "0", "1e999", "5e-324", "999999999999999999999", "2147483648", "1e9", "0.0", "1e-320",
        "(0/0)", "(1/0)", "-1", "-0", "1e308*10", "nan", "1E+400it", "0it", "0ep", "0%", "1e5ep", "1e-9it", "100.5%", "3.7",
    ];

    // Names a C# class, member or parameter cannot take, or that collide with what generated code declares.
    private static readonly string[] Names =
    [
        "class", "base", "int", "double", "new", "event", "in", "this", "checked", "_n0", "_n1", "n", "names", "values",
        "stepsPerEpoch", "StepsPerEpoch", "FileText", "file_text", "s_schedule", "ScheduleName", "TotalSteps", "System", "Math", "Sched",
        "global", "var", "record", "file", "required", "scoped", "_", "__", "E0", "L0", "Evaluate", "LearningRate", "learning_rate",
        "IndexOf", "track", "step", "x", "u", "scale", "cycle", "p", "rest", "mom", "momentum", "lr", "wd", "epoch", "repeat", "by",
        "peakValue", "warmValue", "value", "nameof", "dynamic", "async", "await", "item", "Item", "GetHashCode", "ToString",
    ];

    private static readonly string[] Vocabulary =
    [
        "repeat", "{", "}", "(", ")", "rest", "->", "by epoch", "by 3it", "*", "+", "-", ",", ";", "\n", "mult = 2", "every = 2ep",
        "///", "//", "/*", "*/", "schedule X {", "def", "=", "lin(", "cos(1 -> 0)", "%", "ep", "it", "^", "p", "cycle", "over",
        "const(0.1)", "fn(p)", "momentum = 0.9", "lr = 0.1", "\"", "'", "\\", "@",
    ];

    private static readonly string Junk = "{}()+-*/^%,;=<>#@$\"'\\`~!?.:|&[]0123456789eEpirtlnsc_ \t\n\r\u00e9\u00df\u2028\u2029\u0085\u0000\u200b\ud83d\ude00\ufeff\u00a0";

    [GeneratedRegex(@"\d+(\.\d*)?([eE][+-]?\d+)?(ep|it|%)?|[A-Za-z_][A-Za-z_0-9]*|->|///|//|/\*|\*/|\s+|.", RegexOptions.Singleline)]
    private static partial Regex Token();

    /// <summary>Valid files without their namespace line, so each mutated file can get a namespace of its own.</summary>
    public static string[] Seeds(string samplesDirectory) =>
        Directory.GetFiles(samplesDirectory, "*.sched").Order(StringComparer.Ordinal).Select(System.IO.File.ReadAllText)
            .Concat(ExtraSeeds)
            .Select(text => Regex.Replace(text, @"^namespace [A-Za-z_.]+;\s*", ""))
            .ToArray();

    /// <summary>A mutated seed (one to four edits), or pure junk one time in twenty.</summary>
    public static Gen<string> File(string[] seeds) =>
        Gen.Frequency(
            (19, (IGen<string>)(from seed in Gen.OneOf(seeds)
                                from edits in Edit.Array[1, 4]
                                select edits.Aggregate(seed, (text, edit) => edit.Apply(text)))),
            (1, (IGen<string>)Gen.Char[Junk].Array[0, 200].Select(chars => new string(chars))));

    private sealed record Mutation(string Name, Func<string, string> Apply)
    {
        public override string ToString() => Name;
    }

    private static readonly Gen<Mutation> Edit =
        from kind in Gen.Int[0, 9]
        from at in Gen.Double[0, 1]
        from number in Gen.OneOf(Numbers)
        from name in Gen.OneOf(Names)
        from word in Gen.OneOf(Vocabulary)
        from junk in Gen.Char[Junk].Array[1, 6]
        select kind switch
        {
            0 => new Mutation("delete token", text => Tokens(text, at, (tokens, i) => tokens.RemoveAt(i))),
            1 => new Mutation("duplicate token", text => Tokens(text, at, (tokens, i) => tokens.Insert(i, tokens[i]))),
            2 => new Mutation("swap tokens", text => Tokens(text, at, (tokens, i) => { if (i + 1 < tokens.Count) (tokens[i], tokens[i + 1]) = (tokens[i + 1], tokens[i]); })),
            3 => new Mutation($"number -> {number}", text => Replace(text, at, @"\d+(\.\d*)?([eE][+-]?\d+)?(ep|it|%)?", number)),
            4 => new Mutation($"name -> {name}", text => Replace(text, at, @"\b[A-Za-z_][A-Za-z_0-9]*\b", name)),
            5 => new Mutation($"insert {Escape(word)}", text => text.Insert(Position(text, at), word)),
            6 => new Mutation($"insert junk {Escape(new string(junk))}", text => text.Insert(Position(text, at), new string(junk))),
            7 => new Mutation("cut short", text => text[..Position(text, at)]),
            8 => new Mutation("duplicate line", text => Lines(text, at, (lines, i) => lines.Insert(i, lines[i]))),
            _ => new Mutation("delete line", text => Lines(text, at, (lines, i) => lines.RemoveAt(i))),
        };

    private static int Position(string text, double at) => (int)(at * text.Length);

    private static string Tokens(string text, double at, Action<List<string>, int> edit)
    {
        var tokens = Token().Matches(text).Select(m => m.Value).ToList();
        if (tokens.Count == 0) return text;
        edit(tokens, Math.Min(tokens.Count - 1, (int)(at * tokens.Count)));
        return string.Concat(tokens);
    }

    private static string Lines(string text, double at, Action<List<string>, int> edit)
    {
        var lines = text.Split('\n').ToList();
        edit(lines, Math.Min(lines.Count - 1, (int)(at * lines.Count)));
        return string.Join("\n", lines);
    }

    /// <summary>Replaces the match of <paramref name="pattern"/> nearest after the relative position (wrapping to the first).</summary>
    private static string Replace(string text, double at, string pattern, string replacement)
    {
        var matches = Regex.Matches(text, pattern);
        if (matches.Count == 0) return text;
        var match = matches.FirstOrDefault(m => m.Index >= Position(text, at)) ?? matches[0];
        return text[..match.Index] + replacement + text[(match.Index + match.Length)..];
    }

    private static string Escape(string text) => string.Concat(text.Select(c => c < ' ' || c > '~' ? $"\\u{(int)c:x4}" : c.ToString()));
}
