using System.Globalization;
using Sched.Language.Syntax;
using Sched.Model;
using Sprache;

namespace Sched.Language.Parsing;

/// <summary>Tokens of the language as Sprache parsers: trivia, identifiers, keywords, numbers, punctuation.</summary>
internal static class Lexical
{
    // Failures are tried at every token: their expectation lists are made once, not per attempt.
    private static readonly string[] MinusExpected = { "'-'" };
    private static readonly string[] NameExpected = { "a name" };
    private static readonly string[] NumberExpected = { "a number" };
    private static readonly string[] UnitExpected = { "a unit (ep, it or %) or an operator right after the number" };

    public static bool IsIdentifierStart(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_';

    public static bool IsIdentifierPart(char c) => IsIdentifierStart(c) || c is >= '0' and <= '9';

    /// <summary>Skips whitespace, <c>// line</c> and <c>/* block */</c> comments. Never fails; an unclosed block comment runs to the end.</summary>
    public static IInput SkipTrivia(IInput input)
    {
        while (!input.AtEnd)
        {
            char c = input.Current;
            if (char.IsWhiteSpace(c))
            {
                input = input.Advance();
            }
            else if (c == '/' && Peek(input, 1) == '/')
            {
                while (!input.AtEnd && input.Current != '\n' && input.Current != '\r') input = input.Advance();
            }
            else if (c == '/' && Peek(input, 1) == '*')
            {
                input = input.Advance().Advance();
                while (!input.AtEnd && !(input.Current == '*' && Peek(input, 1) == '/')) input = input.Advance();
                if (!input.AtEnd) input = input.Advance().Advance();
            }
            else
            {
                break;
            }
        }
        return input;
    }

    public static char? Peek(IInput input, int ahead)
    {
        int index = input.Position + ahead;
        return index < input.Source.Length ? input.Source[index] : null;
    }

    /// <summary>Skips leading trivia, then runs <paramref name="parser"/>; failures point at the token, not the trivia.</summary>
    public static Parser<T> Token<T>(Parser<T> parser) => input => Unconsumed(parser(SkipTrivia(input)), SkipTrivia(input), input);

    /// <summary>
    /// A failure that consumed nothing but trivia reports the original input as its remainder, so that
    /// Sprache's X-combinators see "nothing consumed" and try the next alternative.
    /// </summary>
    public static IResult<T> Unconsumed<T>(IResult<T> result, IInput afterTrivia, IInput original) =>
        !result.WasSuccessful && result.Remainder.Equals(afterTrivia) && !afterTrivia.Equals(original)
            ? Result.Failure<T>(original, result.Message, result.Expectations)
            : result;

    public static Parser<string> Symbol(string text) => Token(Parse.String(text).Text().Named($"'{text}'"));

    public static readonly Parser<string> Identifier = Token(RawIdentifier().Named("a name"));

    public static Parser<string> Keyword(string word) => Token(RawKeyword(word).Named($"'{word}'"));

    /// <summary>A minus sign that is not the start of <c>-></c>.</summary>
    public static readonly Parser<char> Minus = Token(((Parser<char>)(input =>
        !input.AtEnd && input.Current == '-' && Peek(input, 1) != '>'
            ? Result.Success('-', input.Advance())
            : Result.Failure<char>(input, "unexpected", MinusExpected))).Named("'-'"));

    public static readonly Parser<(double Value, string Text, DurationUnit Unit)> Number = Token(RawNumber().Named("a number"));

    /// <summary>Words that shape the grammar: never names, so a missing name is reported where it is missing.</summary>
    public static readonly string[] StructuralKeywords = { "schedule", "def", "namespace", "over", "repeat", "by" };

    private static Parser<string> RawIdentifier() => input =>
    {
        if (input.AtEnd || !IsIdentifierStart(input.Current)) return Result.Failure<string>(input, "unexpected", NameExpected);
        var start = input;
        while (!input.AtEnd && IsIdentifierPart(input.Current)) input = input.Advance();
        string name = start.Source.Substring(start.Position, input.Position - start.Position);
        if (Array.IndexOf(StructuralKeywords, name) >= 0) return Result.Failure<string>(start, "unexpected", NameExpected);
        return Result.Success(name, input);
    };

    private static Parser<string> RawKeyword(string word)
    {
        var expected = new[] { $"'{word}'" };
        return input =>
        {
            var rest = input;
            foreach (char c in word)
            {
                if (rest.AtEnd || rest.Current != c) return Result.Failure<string>(input, "unexpected", expected);
                rest = rest.Advance();
            }
            if (!rest.AtEnd && IsIdentifierPart(rest.Current)) return Result.Failure<string>(input, "unexpected", expected);
            return Result.Success(word, rest);
        };
    }

    /// <summary>digits [. digits] [e [+-] digits] [ep | it | %]; the exponent needs a digit so that <c>1ep</c> is one epoch.</summary>
    private static Parser<(double, string, DurationUnit)> RawNumber() => input =>
    {
        var start = input;
        if (input.AtEnd || input.Current is < '0' or > '9') return Result.Failure<(double, string, DurationUnit)>(input, "unexpected", NumberExpected);
        input = Digits(input);
        if (!input.AtEnd && input.Current == '.' && IsDigit(Peek(input, 1)))
        {
            input = Digits(input.Advance());
        }
        if (!input.AtEnd && input.Current is 'e' or 'E')
        {
            char? next = Peek(input, 1);
            if (IsDigit(next)) input = Digits(input.Advance());
            else if (next is '+' or '-' && IsDigit(Peek(input, 2))) input = Digits(input.Advance().Advance());
        }
        string text = start.Source.Substring(start.Position, input.Position - start.Position);
        double value = ParseDouble(text);
        var unit = DurationUnit.None;
        if (!input.AtEnd && input.Current == '%')
        {
            unit = DurationUnit.Percent;
            input = input.Advance();
        }
        else if (StartsUnit(input, "ep"))
        {
            unit = DurationUnit.Epoch;
            input = input.Advance().Advance();
        }
        else if (StartsUnit(input, "it"))
        {
            unit = DurationUnit.Iteration;
            input = input.Advance().Advance();
        }
        if (!input.AtEnd && IsIdentifierPart(input.Current))
        {
            return Result.Failure<(double, string, DurationUnit)>(input, "unexpected", UnitExpected);
        }
        return Result.Success((value, text, unit), input);
    };

    private static bool StartsUnit(IInput input, string unit) =>
        !input.AtEnd && input.Current == unit[0] && Peek(input, 1) == unit[1];

    private static bool IsDigit(char? c) => c is >= '0' and <= '9';

    private static IInput Digits(IInput input)
    {
        while (!input.AtEnd && input.Current is >= '0' and <= '9') input = input.Advance();
        return input;
    }

    private static double ParseDouble(string text)
    {
        try
        {
            return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        }
        catch (OverflowException)
        {
            return double.PositiveInfinity;
        }
    }
}
