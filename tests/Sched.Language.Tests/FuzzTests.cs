using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Sched.Diagnostics;
using Sched.Text;
using Xunit.Abstractions;

namespace Sched.Language.Tests;

/// <summary>
/// Hostile input: 100,000 random and mutated files (valid files with tokens deleted, duplicated, swapped,
/// numbers replaced by huge, tiny and NaN-producing values, random insertions, truncations, and random strings
/// over the language's alphabet) go through the parser, the binder and layout. Nothing may throw, no internal
/// error (SCHED099) may be reported, and every diagnostic's span lies inside the text with its line and column
/// matching the span. Deterministic: each test has a fixed seed; a failure prints the input that caused it.
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    /// <summary>Four tests of this many inputs: 100,000 in all.</summary>
    private const int InputsPerTest = 25_000;

    private static readonly int[] StepsPerEpoch = { 1, 7, 1000 };

    private static readonly Regex TokenPattern = new(
        @"\s+|//[^\n]*|/\*|\*/|->|[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?:ep|it|%)?|.",
        RegexOptions.Compiled);

    private static readonly Regex NumberPattern = new(@"^\d", RegexOptions.Compiled);

    private static readonly string[] HostileNumbers =
    {
        "1e308", "1e-308", "0", "-0", "1e999", "-1e999", "(0/0)", "log(-1)", "sqrt(-1)", "log(0)", "1/0", "-1",
        "1e308*10", "2^1024", "4.9e-324", "1e9", "2147483648", "0.5", "1e-320", "(-0)", "exp(1000)", "1e15",
    };

    private static readonly string[] HostileDurations =
    {
        "0ep", "0it", "0%", "1e308it", "1e-308it", "1e999ep", "-5ep", "100%", "101%", "1e9it", "(0/0)*1ep", "1e308*1e308it",
        "4.9e-324ep", "-0it", "2147483648it", "1e15it", "rest",
    };

    private static readonly string[] Vocabulary =
    {
        "schedule", "def", "namespace", "over", "repeat", "by", "rest", "mult", "every", "epoch", "cycle", "p", "t",
        "step", "pi", "e", "lin", "cos", "exp", "poly", "const", "fn", "min", "max", "abs", "sqrt", "log", "sin",
        "tanh", "floor", "lr", "mom", "momentum", "beta2", "wd", "power", "A", "x", "(", ")", "{", "}", "+", "-",
        "*", "/", "^", "->", "=", ",", ";", ".", "%", "\n", " ", "///", "/*", "*/", "//", "10ep", "5it", "50%",
        "0.1", "1e-3", "ep", "it", "class", "0", "-", "--", "\t", "\r\n",
    };

    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789 \n\t\r(){}[]+-*/^=,;.%>< →é#\"'\\!?@$&|~`\0";

    private static readonly List<string>[] CorpusTokens = Corpus.Files.Select(f => Tokenize(TestSupport.Normalize(f.Text))).ToArray();

    [Fact]
    public void MutatedCorpus_TokenEdits_Seed1() => Run(seed: 1, MutateTokens);

    [Fact]
    public void MutatedCorpus_HostileNumbers_Seed2() => Run(seed: 2, MutateNumbers);

    [Fact]
    public void MutatedCorpus_InsertionsAndTruncations_Seed3() => Run(seed: 3, InsertAndTruncate);

    [Fact]
    public void RandomStrings_OverTheAlphabetAndVocabulary_Seed4() => Run(seed: 4, RandomText, minimumLayouts: 100);

    /// <param name="minimumLayouts">How many layouts at least, so that the checks of values mean something.</param>
    private void Run(int seed, Func<Random, string> generate, int minimumLayouts = InputsPerTest / 100)
    {
        var random = new Random(seed);
        var watch = Stopwatch.StartNew();
        int clean = 0, laidOut = 0, nonFinite = 0;
        string? nonFiniteExample = null;
        for (int i = 0; i < InputsPerTest; i++)
        {
            string text = generate(random);
            try
            {
                var stats = Check(text, random);
                if (stats.Clean) clean++;
                laidOut += stats.Laid;
                if (stats.NonFinite)
                {
                    nonFinite++;
                    nonFiniteExample ??= text;
                }
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"input #{i} (seed {seed}) failed: {e.Message}\n--- input ---\n{Escape(text)}\n--- exception ---\n{e}");
            }
        }
        output.WriteLine($"{InputsPerTest} inputs in {watch.Elapsed.TotalSeconds:F1} s: {clean} without errors, {laidOut} layouts");
        // A schedule laid out without an error gives finite values: a NaN must never reach an optimizer.
        Assert.True(nonFinite == 0, $"{nonFinite} schedules laid out without errors gave a non-finite value; the first:\n{nonFiniteExample}");
        Assert.True(laidOut >= minimumLayouts, $"only {laidOut} layouts out of {InputsPerTest} inputs");
    }

    private static (bool Clean, int Laid, bool NonFinite) Check(string text, Random random)
    {
        var analysis = SchedCompiler.Analyze(text, "fuzz.sched");
        CheckDiagnostics(text, analysis.Diagnostics, "fuzz.sched");
        if (analysis.HasErrors) return (false, 0, false);

        int laid = 0;
        bool nonFinite = false;
        foreach (var schedule in analysis.Schedules)
        {
            foreach (int spe in StepsPerEpoch)
            {
                var overrides = RandomOverrides(schedule, random);
                var diagnostics = new List<Diagnostic>();
                var result = schedule.Lay(spe, overrides, diagnostics);
                CheckDiagnostics(text, diagnostics.Where(d => d.Path == "fuzz.sched"), "fuzz.sched");
                Assert.All(diagnostics.Where(d => d.Path != "fuzz.sched"), d => Assert.StartsWith("--set ", d.Path));
                if (result is null)
                {
                    Assert.Contains(diagnostics, d => d.IsError);
                    continue;
                }
                laid++;
                foreach (var track in result.Tracks)
                {
                    double total = result.Total;
                    foreach (double x in new[] { -1, 0, 0.5, 1, total / 3, total / 2, total - 1e-9, total, total + 1, 1e300, double.PositiveInfinity })
                    {
                        double value = track.Evaluate(x);
                        if (!double.IsFinite(value)) nonFinite = true;
                    }
                    // A NaN position is a caller's mistake, said as such, never read as the end of the track.
                    Assert.Throws<ArgumentException>(() => track.Evaluate(double.NaN));
                }
            }
        }
        return (true, laid, nonFinite);
    }

    /// <summary>Every span inside the text, its line and column those of its ends, no internal error.</summary>
    internal static void CheckDiagnostics(string text, IEnumerable<Diagnostic> diagnostics, string path)
    {
        var source = new SourceText(text, path);
        foreach (var d in diagnostics)
        {
            Assert.True(d.Id != "SCHED099", "internal error: " + d);
            Assert.True(0 <= d.Span.Start && d.Span.Start <= d.Span.End && d.Span.End <= text.Length, $"span {d.Span} outside a text of {text.Length}: {d}");
            Assert.Equal(source.GetLinePosition(d.Span.Start), d.Start);
            Assert.Equal(source.GetLinePosition(d.Span.End), d.End);
            Assert.True(d.Start.Line >= 1 && d.Start.Column >= 1);
            Assert.Equal(path, d.Path);
            Assert.False(string.IsNullOrWhiteSpace(d.Message), "empty message: " + d.Id);
            Assert.DoesNotContain("{0}", d.Message);
        }
    }

    private static Dictionary<string, string>? RandomOverrides(Sched.Model.ScheduleModel schedule, Random random)
    {
        if (random.Next(4) != 0) return null;
        var overrides = new Dictionary<string, string>();
        if (schedule.Parameters.Count > 0 && random.Next(3) != 0)
        {
            var parameter = schedule.Parameters[random.Next(schedule.Parameters.Count)];
            overrides[parameter.Name] = parameter.IsDuration ? Pick(random, HostileDurations) : Pick(random, HostileNumbers);
        }
        else
        {
            overrides[Pick(random, Vocabulary).Trim() is { Length: > 0 } name ? name : "x"] = RandomString(random, random.Next(0, 8));
        }
        return overrides;
    }

    // ---- generators ---------------------------------------------------------------------------------

    private static string MutateTokens(Random random)
    {
        var tokens = new List<string>(Pick(random, CorpusTokens));
        int edits = 1 + random.Next(4);
        for (int e = 0; e < edits && tokens.Count > 1; e++)
        {
            int i = random.Next(tokens.Count);
            switch (random.Next(4))
            {
                case 0:
                    tokens.RemoveAt(i);
                    break;
                case 1:
                    tokens.Insert(i, tokens[i]);
                    break;
                case 2:
                {
                    int j = random.Next(2) == 0 ? Math.Min(tokens.Count - 1, i + 1 + random.Next(2)) : random.Next(tokens.Count);
                    (tokens[i], tokens[j]) = (tokens[j], tokens[i]);
                    break;
                }
                default:
                    // Delete a run of tokens (a whole argument, a bracket and its neighbours...).
                    tokens.RemoveRange(i, Math.Min(tokens.Count - i, 1 + random.Next(6)));
                    break;
            }
        }
        return string.Concat(tokens);
    }

    private static string MutateNumbers(Random random)
    {
        var tokens = new List<string>(Pick(random, CorpusTokens));
        var numbers = Enumerable.Range(0, tokens.Count).Where(i => NumberPattern.IsMatch(tokens[i])).ToList();
        int edits = 1 + random.Next(3);
        for (int e = 0; e < edits && numbers.Count > 0; e++)
        {
            int i = Pick(random, numbers);
            string token = tokens[i];
            bool duration = token.EndsWith("ep", StringComparison.Ordinal) || token.EndsWith("it", StringComparison.Ordinal) || token.EndsWith('%');
            if (duration && random.Next(3) != 0)
            {
                tokens[i] = Pick(random, HostileDurations);
            }
            else
            {
                string replacement = Pick(random, HostileNumbers);
                string unit = duration ? token.EndsWith('%') ? "%" : token.Substring(token.Length - 2) : "";
                // Keep the unit on a plain literal ("1e999ep"), or scale the unit ("(0/0) * 1ep").
                tokens[i] = unit.Length == 0 ? replacement
                    : NumberPattern.IsMatch(replacement) && !replacement.Contains('/') && !replacement.Contains('*') && !replacement.Contains('^') ? replacement + unit
                    : replacement + " * 1" + unit;
            }
        }
        if (random.Next(4) == 0) return MutateTokensOf(tokens, random);
        return string.Concat(tokens);
    }

    private static string MutateTokensOf(List<string> tokens, Random random)
    {
        int i = random.Next(tokens.Count);
        tokens.Insert(i, Pick(random, Vocabulary));
        return string.Concat(tokens);
    }

    private static string InsertAndTruncate(Random random)
    {
        var tokens = new List<string>(Pick(random, CorpusTokens));
        int edits = 1 + random.Next(3);
        for (int e = 0; e < edits; e++)
        {
            int i = random.Next(tokens.Count + 1);
            switch (random.Next(5))
            {
                case 0:
                case 1:
                    tokens.Insert(i, Pick(random, Vocabulary));
                    break;
                case 2:
                    tokens.Insert(i, Alphabet[random.Next(Alphabet.Length)].ToString());
                    break;
                case 3:
                    // Splice a token run from another file of the corpus.
                    var other = Pick(random, CorpusTokens);
                    int start = random.Next(other.Count);
                    tokens.InsertRange(i, other.Skip(start).Take(1 + random.Next(12)));
                    break;
                default:
                    tokens.Insert(i, new string(Pick(random, new[] { '(', ')', '{', '}' }), 1 + random.Next(3)));
                    break;
            }
        }
        string text = string.Concat(tokens);
        if (random.Next(3) == 0) text = text.Substring(0, random.Next(text.Length + 1));
        if (random.Next(6) == 0) text = text.Substring(random.Next(text.Length + 1));
        return text;
    }

    private static string RandomText(Random random)
    {
        switch (random.Next(3))
        {
            case 0:
                return RandomString(random, random.Next(0, 80));
            case 1:
            {
                var builder = new StringBuilder();
                int count = random.Next(0, 40);
                for (int i = 0; i < count; i++) builder.Append(Pick(random, Vocabulary)).Append(random.Next(3) == 0 ? "" : " ");
                return builder.ToString();
            }
            default:
            {
                // A schedule shell around random vocabulary, so that the binder and layout see the noise too.
                var builder = new StringBuilder("schedule S over 10ep {\n    lr = ");
                int count = random.Next(1, 16);
                for (int i = 0; i < count; i++) builder.Append(Pick(random, Vocabulary)).Append(' ');
                builder.Append("\n}\n");
                return builder.ToString();
            }
        }
    }

    private static string RandomString(Random random, int length)
    {
        var chars = new char[length];
        for (int i = 0; i < length; i++) chars[i] = Alphabet[random.Next(Alphabet.Length)];
        return new string(chars);
    }

    /// <summary>
    /// A schedule without errors evaluates to finite numbers everywhere (docs/language.md §9: a value that is NaN or infinite
    /// is an error). 10,000 files with hostile numbers; the failure lists the first offending files.
    /// </summary>
    [Fact]
    public void ErrorFreeSchedules_EvaluateToFiniteValues_Seed5()
    {
        var random = new Random(5);
        var failures = new List<string>();
        for (int i = 0; i < 10_000 && failures.Count < 5; i++)
        {
            string text = MutateNumbers(random);
            var analysis = SchedCompiler.Analyze(text, "fuzz.sched");
            if (analysis.HasErrors) continue;
            foreach (var schedule in analysis.Schedules)
            {
                foreach (int spe in StepsPerEpoch)
                {
                    var laid = schedule.Lay(spe, null, new List<Diagnostic>());
                    if (laid is null) continue;
                    foreach (var track in laid.Tracks)
                    {
                        for (int k = 0; k <= 64; k++)
                        {
                            double x = laid.Total * k / 64;
                            double value = track.Evaluate(x);
                            if (!double.IsFinite(value))
                            {
                                failures.Add($"{schedule.Name}.{track.Name} at step {x} (steps per epoch {spe}) = {value}:\n{text}");
                                goto next;
                            }
                        }
                    }
                }
            }
        next:;
        }
        Assert.True(failures.Count == 0, string.Join("\n-----\n", failures));
    }

    internal static List<string> Tokenize(string text) => TokenPattern.Matches(text).Select(m => m.Value).ToList();

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];

    private static string Escape(string text) => text.Replace("\0", "\\0").Replace("\r", "\\r");

    [Fact]
    public void Tokenizer_RoundTripsTheCorpus()
    {
        foreach (var (name, text) in Corpus.Files)
        {
            Assert.True(string.Concat(Tokenize(TestSupport.Normalize(text))) == TestSupport.Normalize(text), name);
        }
    }
}
