using Sched.Language.Syntax;
using Sched.Model;
using Sched.Text;
using Sprache;
using static Sched.Language.Parsing.Lexical;

namespace Sched.Language.Parsing;

/// <summary>
/// The grammar of docs/language.md §12, with the additions of docs/language-extensions.md, as immutable Sprache
/// parsers. Values, durations and tracks share one expression grammar; the binder gives each expression
/// its kind. X-combinators commit once a construct has started, so errors point inside it rather than at its start.
/// </summary>
internal static class Grammar
{
    // Declared first: static fields initialise in text order and the parsers below capture these.
    /// <summary>The offset of the next token (after trivia), consuming nothing.</summary>
    private static readonly Parser<int> Position = input =>
    {
        return Result.Success(SkipTrivia(input).Position, input);
    };

    /// <summary>The current offset, consuming nothing: the end of what was just parsed.</summary>
    private static readonly Parser<int> EndPosition = input => Result.Success(input.Position, input);

    private static readonly Parser<Expr> ExprRef = Parse.Ref(() => Expression!);

    private static readonly Parser<ParenExpr> Paren =
        Spanned(from open in Symbol("(")
                from inner in ExprRef
                from close in Symbol(")")
                select inner)
        .Select(s => new ParenExpr(s.Span, s.Value));

    private static readonly Parser<Expr> ArrowOrExpr =
        from start in Position
        from first in ExprRef
        from arrow in (from a in Symbol("->") from to in ExprRef select to).XOptional()
        from end in EndPosition
        select arrow.IsDefined ? new ArrowExpr(TextSpan.FromBounds(start, end), first, arrow.Get()) : first;

    private static readonly Parser<(string Name, TextSpan Span)?> ArgumentName =
        (from name in Spanned(Identifier)
         from eq in Symbol("=")
         select ((string, TextSpan)?)(name.Value, name.Span))
        .Optional()
        .Select(o => o.GetOrDefault());

    private static readonly Parser<Argument> Arg =
        Spanned(from name in ArgumentName
                from value in ArrowOrExpr
                select (name, value))
        .Select(s => new Argument(s.Span, s.Value.name?.Name, s.Value.name?.Span ?? default, s.Value.value));

    private static readonly Parser<IReadOnlyList<Argument>> ArgumentList = Parenthesized(Arg);

    private static readonly Parser<Expr> Repeat =
        from keyword in Spanned(Keyword("repeat"))
        from args in ArgumentList.XOptional()
        from open in Symbol("{")
        from body in ExprRef
        from close in Symbol("}")
        from end in EndPosition
        select (Expr)new RepeatExpr(TextSpan.FromBounds(keyword.Span.Start, end), keyword.Span, args.GetOrElse(Array.Empty<Argument>()), body);

    private static readonly Parser<Expr> NameOrCall =
        from name in Spanned(Identifier)
        from args in ArgumentList.XOptional()
        from end in EndPosition
        select args.IsDefined
            ? new CallExpr(TextSpan.FromBounds(name.Span.Start, end), name.Value, name.Span, args.Get())
            : (Expr)new NameExpr(name.Span, name.Value);

    private static readonly Parser<Expr> ListLiteral =
        Spanned(Delimited("[", ExprRef, "]"))
        .Select(s => (Expr)new ListExpr(s.Span, s.Value));

    private static readonly Parser<Expr> NumberLiteral =
        Spanned(Number).Select(n => (Expr)new NumberExpr(n.Span, n.Value.Value, n.Value.Text, n.Value.Unit));

    private static readonly Parser<Expr> Primary =
        Repeat.XOr(NumberLiteral).XOr(Paren).XOr(ListLiteral).XOr(NameOrCall)
            .Named("a value, a duration or a segment such as lin(a -> b, 10ep)");

    private static readonly Parser<Expr> Power =
        from start in Position
        from first in Primary
        from exponents in (from caret in Symbol("^")
                           from minus in Minus.Many()
                           from operand in Primary
                           select new PowerLink(minus.Count(), operand)).XMany()
        from end in EndPosition
        select exponents.Any() ? new PowerExpr(TextSpan.FromBounds(start, end), first, exponents.ToArray()) : first;

    private static readonly Parser<Expr> Unary =
        from start in Position
        from minus in Minus.Many()
        from operand in Power
        from end in EndPosition
        select minus.Any() ? new NegateExpr(TextSpan.FromBounds(start, end), minus.Count(), operand) : operand;

    private static readonly Parser<ChainLink> ProductLink =
        from op in Spanned(Symbol("*").XOr(Symbol("/")).XOr(Keyword("by")).XOr(Keyword("from")))
        from operand in Unary
        select new ChainLink(op.Value, op.Span, operand);

    private static readonly Parser<Expr> Product =
        from start in Position
        from first in Unary
        from rest in ProductLink.XMany()
        from end in EndPosition
        select rest.Any() ? new ProductExpr(TextSpan.FromBounds(start, end), first, rest.ToArray()) : first;

    private static readonly Parser<ChainLink> SumLink =
        from op in Spanned(Symbol("+").XOr(Minus.Select(_ => "-")))
        from operand in Product
        select new ChainLink(op.Value, op.Span, operand);

    private static readonly Parser<Expr> Sum =
        from start in Position
        from first in Product
        from rest in SumLink.XMany()
        from end in EndPosition
        select rest.Any() ? new SumExpr(TextSpan.FromBounds(start, end), first, rest.ToArray()) : first;

    private static readonly Parser<Expr> Expression = Sum;

    private static readonly Parser<ParameterSyntax> Parameter =
        Spanned(from name in Spanned(Identifier)
                from value in (from eq in Symbol("=") from v in ExprRef select v).XOptional()
                select (name, value))
        .Select(s => new ParameterSyntax(s.Span, s.Value.name.Value, s.Value.name.Span, s.Value.value.GetOrDefault()));

    private static readonly Parser<IReadOnlyList<ParameterSyntax>> ParameterList = Parenthesized(Parameter);

    private static readonly Parser<TrackSyntax> Track =
        Spanned(from name in Spanned(Identifier.Named("a track such as 'lr = ...' or '}'"))
                from eq in Symbol("=")
                from value in ExprRef
                select (name, value))
        .Select(s => new TrackSyntax(s.Span, s.Value.name.Value, s.Value.name.Span, s.Value.value));

    /// <summary>Tracks end at a new line or ';'; a closing brace ends the last one.</summary>
    private static readonly Parser<Unit> TrackSeparator = input =>
    {
        var rest = input;
        bool newline = false;
        while (true)
        {
            var skipped = SkipTrivia(rest);
            for (int i = rest.Position; i < skipped.Position; i++)
            {
                if (rest.Source[i] == '\n') newline = true;
            }
            rest = skipped;
            if (!rest.AtEnd && rest.Current == ';')
            {
                rest = rest.Advance();
                newline = true;
                continue;
            }
            break;
        }
        if (newline || (!rest.AtEnd && rest.Current == '}')) return Result.Success(Unit.Value, rest);
        if (rest.AtEnd) return Result.Failure<Unit>(rest, "unexpected", new[] { "'}' to close the schedule" });
        return Result.Failure<Unit>(rest, "unexpected", new[] { "a new line or ';' after the track", "an operator" });
    };

    private static readonly Parser<IReadOnlyList<TrackSyntax>> TrackBlock =
        from open in Symbol("{")
        from tracks in (from t in Track from sep in TrackSeparator select t).XMany()
        from close in Symbol("}")
        select (IReadOnlyList<TrackSyntax>)tracks.ToArray();

    private static readonly Parser<Declaration> Schedule =
        from keyword in Spanned(Keyword("schedule"))
        from name in Spanned(Identifier)
        from parameters in ParameterList.XOptional()
        from over in (from o in Keyword("over") from d in ExprRef select d).XOptional()
        from tracks in TrackBlock
        from end in EndPosition
        select (Declaration)new ScheduleSyntax(TextSpan.FromBounds(keyword.Span.Start, end), name.Value, name.Span,
            parameters.GetOrElse(Array.Empty<ParameterSyntax>()), over.GetOrDefault(), tracks, null);

    private static readonly Parser<Declaration> Def =
        from keyword in Spanned(Keyword("def"))
        from name in Spanned(Identifier)
        from parameters in ParameterList
        from eq in Symbol("=")
        from body in ExprRef
        from end in EndPosition
        select (Declaration)new DefSyntax(TextSpan.FromBounds(keyword.Span.Start, end), name.Value, name.Span, parameters, body);

    private static readonly Parser<NamespaceSyntax> Namespace =
        Spanned(from keyword in Keyword("namespace")
                from first in Identifier
                from rest in (from dot in Symbol(".") from part in Identifier select part).XMany()
                from semicolon in Symbol(";")
                select string.Join(".", new[] { first }.Concat(rest)))
        .Select(s => new NamespaceSyntax(s.Span, s.Value));

    private static readonly Parser<object> Item =
        Namespace.Select(n => (object)n).XOr(Def).XOr(Schedule)
            .Named("'schedule', 'def' or 'namespace'");

    /// <summary>A lone expression (a <c>--set</c> value), then only trivia to the end.</summary>
    public static readonly Parser<Expr> StandaloneExpression =
        from value in ExprRef
        from end in Token(Parse.Return(Unit.Value).End().Named("the end of the value"))
        select value;

    /// <summary>A whole file: its items, then only trivia to the end.</summary>
    public static readonly Parser<IReadOnlyList<object>> File =
        from items in Item.XMany()
        from end in Token(Parse.Return(Unit.Value).End().Named("'schedule', 'def' or 'namespace'"))
        select (IReadOnlyList<object>)items.ToArray();

    /// <summary><c>( item, item, ... )</c>, possibly empty.</summary>
    private static Parser<IReadOnlyList<T>> Parenthesized<T>(Parser<T> item) => Delimited("(", item, ")");

    /// <summary><c>open item, item, ... close</c>, possibly empty.</summary>
    private static Parser<IReadOnlyList<T>> Delimited<T>(string openSymbol, Parser<T> item, string closeSymbol) =>
        from open in Symbol(openSymbol)
        from items in (from first in item
                       from rest in (from comma in Symbol(",") from next in item select next).XMany()
                       select (IReadOnlyList<T>)new[] { first }.Concat(rest).ToArray())
                      .XOptional()
        from close in Symbol(closeSymbol)
        select items.GetOrElse(Array.Empty<T>());

    private static Parser<(T Value, TextSpan Span)> Spanned<T>(Parser<T> parser) => input =>
    {
        var start = SkipTrivia(input);
        var result = parser(start);
        return result.WasSuccessful
            ? Result.Success((result.Value, TextSpan.FromBounds(start.Position, result.Remainder.Position)), result.Remainder)
            : Unconsumed(Result.Failure<(T, TextSpan)>(result.Remainder, result.Message, result.Expectations), start, input);
    };

    private sealed class Unit
    {
        public static readonly Unit Value = new();
    }
}
