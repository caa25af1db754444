using Sched.Model;
using Sched.Text;

namespace Sched.Language.Syntax;

/// <summary>
/// One expression grammar for values, durations and tracks; the binder decides which kind each is.
/// Operator chains are n-ary lists, not nested nodes, so a long chain never deepens recursion.
/// </summary>
public abstract record Expr(TextSpan Span);

public sealed record NumberExpr(TextSpan Span, double Value, string Text, DurationUnit Unit) : Expr(Span);

public sealed record NameExpr(TextSpan Span, string Name) : Expr(Span);

/// <summary><c>-x</c>, possibly repeated (<paramref name="Count"/> minus signs).</summary>
public sealed record NegateExpr(TextSpan Span, int Count, Expr Operand) : Expr(Span);

/// <summary>An operator and its right operand in a chain; <c>by</c> is written as the operator "by".</summary>
public sealed record ChainLink(string Operator, TextSpan OperatorSpan, Expr Operand);

/// <summary><c>a + b - c</c> (operators + and -).</summary>
public sealed record SumExpr(TextSpan Span, Expr First, IReadOnlyList<ChainLink> Rest) : Expr(Span);

/// <summary><c>a * b / c by epoch</c> (operators *, / and by), left to right.</summary>
public sealed record ProductExpr(TextSpan Span, Expr First, IReadOnlyList<ChainLink> Rest) : Expr(Span);

/// <summary><c>a ^ b ^ c</c>, right-associative; each exponent may carry minus signs (<c>2 ^ -1</c>).</summary>
public sealed record PowerExpr(TextSpan Span, Expr Base, IReadOnlyList<PowerLink> Exponents) : Expr(Span);

public sealed record PowerLink(int Negations, Expr Operand);

/// <summary><c>a -> b</c>, the first argument of lin, cos, exp and poly.</summary>
public sealed record ArrowExpr(TextSpan Span, Expr From, Expr To) : Expr(Span);

public sealed record Argument(TextSpan Span, string? Name, TextSpan NameSpan, Expr Value);

public sealed record CallExpr(TextSpan Span, string Name, TextSpan NameSpan, IReadOnlyList<Argument> Arguments) : Expr(Span);

public sealed record RepeatExpr(TextSpan Span, TextSpan KeywordSpan, IReadOnlyList<Argument> Arguments, Expr Body) : Expr(Span);

public sealed record ParenExpr(TextSpan Span, Expr Inner) : Expr(Span);

/// <summary><c>[a, b, c]</c>: a list of numbers, an argument of a def or of <c>bisect</c>.</summary>
public sealed record ListExpr(TextSpan Span, IReadOnlyList<Expr> Items) : Expr(Span);

/// <summary><c>name = default</c> in a schedule's or a def's parameter list.</summary>
public sealed record ParameterSyntax(TextSpan Span, string Name, TextSpan NameSpan, Expr? Default);

public sealed record TrackSyntax(TextSpan Span, string Name, TextSpan NameSpan, Expr Value);

public abstract record Declaration(TextSpan Span, string Name, TextSpan NameSpan);

public sealed record DefSyntax(TextSpan Span, string Name, TextSpan NameSpan, IReadOnlyList<ParameterSyntax> Parameters, Expr Body)
    : Declaration(Span, Name, NameSpan);

public sealed record ScheduleSyntax(
    TextSpan Span,
    string Name,
    TextSpan NameSpan,
    IReadOnlyList<ParameterSyntax> Parameters,
    Expr? Over,
    IReadOnlyList<TrackSyntax> Tracks,
    string? Documentation) : Declaration(Span, Name, NameSpan);

public sealed record NamespaceSyntax(TextSpan Span, string Name);

public sealed record FileSyntax(
    SourceText Source,
    NamespaceSyntax? Namespace,
    IReadOnlyList<DefSyntax> Defs,
    IReadOnlyList<ScheduleSyntax> Schedules);
