using Sched.Diagnostics;
using Sched.Language.Parsing;
using Sched.Language.Syntax;
using Sched.Model;
using Sched.Text;

namespace Sched.Language.Binding;

internal enum BoundKind
{
    Error,
    Value,
    Duration,
    Track,

    /// <summary><c>[a, b, c]</c>: only a def's argument or bisect's first; never reaches other consumers.</summary>
    List,

    /// <summary>A bare word given to a def (<c>val_loss</c>, <c>max</c>), kept as written for plateau's <c>on</c> and <c>mode</c>.</summary>
    Word,
}

/// <summary>An expression with its kind decided: a value, a duration, a track, or an error already reported.</summary>
internal readonly record struct Bound(BoundKind Kind, TextSpan Span, ValueNode? Value = null, DurationNode? Duration = null, TrackNode? Track = null, string? LiteralText = null, ValueNode[]? Items = null)
{
    public static Bound Error(TextSpan span) => new(BoundKind.Error, span);

    public static Bound Of(ValueNode value, TextSpan span, string? literal = null) => new(BoundKind.Value, span, Value: value, LiteralText: literal);

    public static Bound Of(DurationNode duration) => new(BoundKind.Duration, duration.Span, Duration: duration);

    public static Bound Of(TrackNode track, TextSpan span) => new(BoundKind.Track, span, Track: track);

    public static Bound Of(ValueNode[] items, TextSpan span) => new(BoundKind.List, span, Items: items);

    public static Bound OfWord(string word, TextSpan span) => new(BoundKind.Word, span, LiteralText: word);
}

internal abstract record Symbol;

/// <summary>A schedule parameter, read by index at layout.</summary>
internal sealed record ParameterSymbol(int Index, bool IsDuration) : Symbol;

/// <summary>A def parameter: the caller's argument, already bound in the caller's scope.</summary>
internal sealed record ArgumentSymbol(Bound Argument) : Symbol;

/// <summary>
/// Where an expression is bound: visible names, whether progress variables (<c>p t step epoch</c>) and
/// <c>cycle</c> are defined, and for def bodies the call site that layout diagnostics point at.
/// </summary>
internal sealed record BindContext(
    IReadOnlyDictionary<string, Symbol> Names,
    bool AllowProgress,
    bool InRepeat,
    TextSpan? CallSite,
    bool Library,
    string[] CallStack)
{
    /// <summary>Where a node made here points: its own text, or the outermost def call it came from.</summary>
    public TextSpan NodeSpan(TextSpan span) => CallSite ?? span;
}

internal sealed partial class Binder
{
    private Bound BindAny(Expr expr, BindContext context)
    {
        switch (expr)
        {
            case NumberExpr number:
                return BindNumber(number, context);
            case NameExpr name:
                return BindName(name, context);
            case ParenExpr paren:
                return BindAny(paren.Inner, context) with { Span = paren.Span };
            case NegateExpr negate:
                return BindNegate(negate, context);
            case SumExpr sum:
                return BindSum(sum, context);
            case ProductExpr product:
                return BindProduct(product, context);
            case PowerExpr power:
                return BindPower(power, context);
            case CallExpr call:
                return BindCall(call, context);
            case RepeatExpr repeat:
                return BindRepeat(repeat, context);
            case ListExpr list:
                Report(DiagnosticDescriptors.WrongKind, list.Span, context, ListHere);
                return Bound.Error(list.Span);
            case ArrowExpr arrow:
                Report(DiagnosticDescriptors.WrongKind, arrow.Span, context,
                    "'a -> b' is a transition and stands only as the first argument of lin, cos, exp or poly, e.g. 'lin(0.1 -> 1, 10ep)'");
                return Bound.Error(arrow.Span);
            default:
                Report(DiagnosticDescriptors.Internal, expr.Span, context, $"unexpected syntax {expr.GetType().Name}");
                return Bound.Error(expr.Span);
        }
    }

    private Bound BindNumber(NumberExpr number, BindContext context)
    {
        var span = context.NodeSpan(number.Span);
        if (number.Unit == DurationUnit.None) return Bound.Of(new ConstantValue(span, number.Value), number.Span, number.Text);
        if (number.Unit == DurationUnit.Percent && number.Value > 100)
        {
            Report(DiagnosticDescriptors.PercentOver100, number.Span, context, number.Text);
        }
        if (number.Unit == DurationUnit.Epoch)
        {
            UsesEpochs(number.Span, context);
            _countsInEpochs = true;
        }
        return Bound.Of(new LiteralDuration(span, number.Value, number.Unit));
    }

    private Bound BindName(NameExpr name, BindContext context)
    {
        var span = context.NodeSpan(name.Span);
        if (context.Names.TryGetValue(name.Name, out var symbol))
        {
            return symbol switch
            {
                ParameterSymbol { IsDuration: true } p => Bound.Of(new ParameterDuration(span, p.Index)),
                ParameterSymbol p => Bound.Of(new ParameterValue(span, p.Index), name.Span),
                ArgumentSymbol { Argument.Kind: BoundKind.List } => ErrorBound(name.Span, context,
                    $"'{name.Name}' is a list: use it as 'bisect({name.Name}, x)' or pass it on to a def"),
                ArgumentSymbol { Argument.Kind: BoundKind.Word } word => ErrorBound(name.Span, context,
                    $"'{name.Name}' is given the word '{word.Argument.LiteralText}', which names nothing here; a word names a metric or a mode of plateau"),
                ArgumentSymbol a => a.Argument,
                _ => Bound.Error(name.Span),
            };
        }
        switch (name.Name)
        {
            case "rest":
                return Bound.Of(new RestDuration(span));
            case "pi":
                return Bound.Of(new ConstantValue(span, Math.PI), name.Span);
            case "e":
                return Bound.Of(new ConstantValue(span, Math.E), name.Span);
            case "p" or "t" or "step" or "epoch":
                if (!context.AllowProgress)
                {
                    Report(DiagnosticDescriptors.ProgressOutsideFn, name.Span, context, name.Name);
                    return Bound.Error(name.Span);
                }
                if (name.Name == "epoch") UsesEpochs(name.Span, context);
                var variable = name.Name switch { "p" => Variable.P, "t" => Variable.T, "step" => Variable.Step, _ => Variable.Epoch };
                return Bound.Of(new VariableValue(span, variable), name.Span);
            case "cycle":
                if (!context.InRepeat)
                {
                    Report(DiagnosticDescriptors.CycleOutsideRepeat, name.Span, context);
                    return Bound.Error(name.Span);
                }
                return Bound.Of(new VariableValue(span, Variable.Cycle), name.Span);
        }
        if (_defs.ContainsKey(name.Name) || BuiltIns.Functions.ContainsKey(name.Name) || BuiltIns.IsSegment(name.Name))
        {
            Report(DiagnosticDescriptors.WrongKind, name.Span, context, $"'{name.Name}' is a function; call it with its arguments: '{name.Name}(...)'");
            return Bound.Error(name.Span);
        }
        var candidates = context.Names.Keys.Concat(BuiltIns.Constants).Concat(new[] { "rest" });
        if (context.AllowProgress) candidates = candidates.Concat(new[] { "p", "t", "step", "epoch" });
        if (context.InRepeat) candidates = candidates.Concat(new[] { "cycle" });
        if (context.CallStack.Length == 0 && _laterParameters.Contains(name.Name))
        {
            Report(DiagnosticDescriptors.UnknownName, name.Span, context, "name", name.Name,
                $" here: a default may use only the parameters before it; move '{name.Name}' earlier in the list");
            return Bound.Error(name.Span);
        }
        string hint = Suggestions.DidYouMean(name.Name, candidates);
        if (hint.Length == 0 && _standalone) hint = "; a parameter's value is a number (0.5), a duration (10ep) or an expression of the parameters before it";
        else if (hint.Length == 0 && context.CallStack.Length > 0) hint = " (a def sees only its own parameters)";
        else if (hint.Length == 0) hint = $"; declare it as a parameter: 'schedule {_scheduleName}({name.Name} = 0.1)'";
        Report(DiagnosticDescriptors.UnknownName, name.Span, context, "name", name.Name, hint);
        return Bound.Error(name.Span);
    }

    private Bound BindNegate(NegateExpr negate, BindContext context)
    {
        var operand = BindAny(negate.Operand, context);
        bool odd = negate.Count % 2 == 1;
        var span = context.NodeSpan(negate.Span);
        switch (operand.Kind)
        {
            case BoundKind.Value:
                return odd ? Bound.Of(Fold(new NegateValue(span, operand.Value!)), negate.Span) : operand with { Span = negate.Span };
            case BoundKind.Duration when operand.Duration is RestDuration:
                return RestStandsAlone(negate.Span, context);
            case BoundKind.Duration:
                return odd ? Bound.Of(new ScaledDuration(span, operand.Duration!, new ConstantValue(span, -1), ScaleForm.FactorFirst)) : operand;
            case BoundKind.Track:
                Report(DiagnosticDescriptors.WrongKind, negate.Span, context, "a segment cannot be negated; negate the values inside it, e.g. 'lin(-a -> -b, 10ep)'");
                return Bound.Error(negate.Span);
            default:
                return operand;
        }
    }

    private Bound BindSum(SumExpr sum, BindContext context)
    {
        var operands = new List<Bound> { BindAny(sum.First, context) };
        foreach (var link in sum.Rest) operands.Add(BindAny(link.Operand, context));
        if (operands.Any(o => o.Kind == BoundKind.Error)) return Bound.Error(sum.Span);
        var span = context.NodeSpan(sum.Span);

        if (operands.Any(o => o.Kind == BoundKind.Track))
        {
            var parts = new List<TrackNode>();
            bool ok = true;
            for (int i = 0; i < operands.Count; i++)
            {
                if (i > 0 && sum.Rest[i - 1].Operator == "-")
                {
                    Report(DiagnosticDescriptors.WrongKind, sum.Rest[i - 1].OperatorSpan, context,
                        "segments are joined with '+' (B starts where A ends); to lower a value, write it inside the segment");
                    ok = false;
                    continue;
                }
                var operand = operands[i];
                switch (operand.Kind)
                {
                    // A parenthesized sum, or a def's, stays one part: its own parts are placed from its start (docs/language.md §7).
                    case BoundKind.Track:
                        parts.Add(operand.Track!);
                        break;
                    case BoundKind.Value:
                        parts.Add(new SegmentNode(context.NodeSpan(operand.Span), Shape.Const, operand.Value!, null, null, new RestDuration(context.NodeSpan(operand.Span))));
                        break;
                    default:
                        Report(DiagnosticDescriptors.WrongKind, operand.Span, context,
                            "a duration alone is not a segment; write a segment that lasts it, e.g. 'const(0.1, 10ep)'");
                        ok = false;
                        break;
                }
            }
            return ok ? Bound.Of(new ConcatNode(span, parts.ToArray()), sum.Span) : Bound.Error(sum.Span);
        }

        if (operands.Any(o => o.Kind == BoundKind.Duration))
        {
            var terms = new DurationNode[operands.Count];
            bool ok = true;
            for (int i = 0; i < operands.Count; i++)
            {
                var duration = ExpectDuration(operands[i], context);
                if (duration is RestDuration)
                {
                    RestStandsAlone(operands[i].Span, context);
                    ok = false;
                }
                if (duration is null) ok = false;
                else terms[i] = duration;
            }
            if (!ok) return Bound.Error(sum.Span);
            return Bound.Of(new SumDuration(span, terms, Subtractions(sum)));
        }

        var values = operands.Select(o => o.Value!).ToArray();
        return Bound.Of(Fold(new SumValue(span, values, Subtractions(sum))), sum.Span);
    }

    private static bool[] Subtractions(SumExpr sum)
    {
        var subtract = new bool[sum.Rest.Count + 1];
        for (int i = 0; i < sum.Rest.Count; i++) subtract[i + 1] = sum.Rest[i].Operator == "-";
        return subtract;
    }

    /// <summary>Most often a def's duration parameter given a bare number: name it, in the caller's terms.</summary>
    private static string NumberByDuration(ProductExpr product, ChainLink link) =>
        product.First is NameExpr name && ReferenceEquals(product.Rest[0], link) && BuiltIns.ReservedBecause(name.Name) is null
            ? $"'{name.Name}' is given a number, where a duration is needed: give it a unit, such as '1ep' or '100it'"
            : "a number cannot be divided by a duration; a length in steps is a duration divided by a duration ('warm / 1it')";

    private Bound BindProduct(ProductExpr product, BindContext context)
    {
        var current = BindAny(product.First, context);
        var factors = new List<ValueNode>();
        var divides = new List<bool>();
        if (current.Kind == BoundKind.Value)
        {
            factors.Add(current.Value!);
            divides.Add(false);
        }
        int start = product.First.Span.Start;
        int wraps = 0;

        // Runs of value factors collect in a list and become one product only when something else needs it: linear, not quadratic.
        void Materialize(TextSpan span)
        {
            if (current.Kind != BoundKind.Value || factors.Count < 2) return;
            current = Bound.Of(Fold(new ProductValue(span, factors.ToArray(), divides.ToArray())), current.Span);
            factors.Clear();
            divides.Clear();
            factors.Add(current.Value!);
            divides.Add(false);
        }

        foreach (var link in product.Rest)
        {
            var syntaxSpan = TextSpan.FromBounds(start, link.Operand.Span.End);
            var span = context.NodeSpan(syntaxSpan);
            if (link.Operator is "by" or "from")
            {
                Materialize(span);
                current = link.Operator == "by" ? BindBy(current, link, span, syntaxSpan, context) : BindFrom(current, link, span, syntaxSpan, context);
                factors.Clear();
                divides.Clear();
            }
            else
            {
                bool isTrack = current.Kind == BoundKind.Track;
                var operand = BindAny(link.Operand, isTrack ? context with { AllowProgress = true } : context);
                if (current.Kind == BoundKind.Error || operand.Kind == BoundKind.Error)
                {
                    current = Bound.Error(syntaxSpan);
                    continue;
                }
                if (current.Duration is RestDuration || operand.Duration is RestDuration)
                {
                    current = RestStandsAlone(syntaxSpan, context);
                    continue;
                }
                if (current.Kind == BoundKind.Value && operand.Kind == BoundKind.Value)
                {
                    factors.Add(operand.Value!);
                    divides.Add(link.Operator == "/");
                    continue;
                }
                Materialize(span);
                current = (current.Kind, link.Operator, operand.Kind) switch
                {
                    (BoundKind.Track, "*", BoundKind.Value) => Bound.Of(new ModulateNode(span, current.Track!, operand.Value!), syntaxSpan),
                    (BoundKind.Track, "*", _) => ErrorBound(link.Operand.Span, context, "a track is multiplied by a value m (A * m, m may use p, t, step, epoch), not by a track or a duration"),
                    (BoundKind.Track, _, _) => ErrorBound(link.OperatorSpan, context, "a track cannot be divided; multiply it instead: 'A * (1 / m)'"),
                    (BoundKind.Value, "*", BoundKind.Duration) => Bound.Of(new ScaledDuration(span, operand.Duration!, current.Value!, ScaleForm.FactorFirst)),
                    (BoundKind.Value, "*", BoundKind.Track) => ErrorBound(syntaxSpan, context, "write the segment first and the factor after it: 'A * m', not 'm * A'"),
                    (BoundKind.Value, "/", BoundKind.Duration) => ErrorBound(syntaxSpan, context, NumberByDuration(product, link)),
                    (BoundKind.Value, _, _) => ErrorBound(syntaxSpan, context, "a value cannot be divided by a duration or a track"),
                    (BoundKind.Duration, "*", BoundKind.Value) => Bound.Of(new ScaledDuration(span, current.Duration!, operand.Value!, ScaleForm.FactorLast)),
                    (BoundKind.Duration, "/", BoundKind.Value) => Bound.Of(new ScaledDuration(span, current.Duration!, operand.Value!, ScaleForm.Divide)),
                    (BoundKind.Duration, "/", BoundKind.Duration) => Bound.Of(new DurationRatioValue(span, current.Duration!, operand.Duration!), syntaxSpan),
                    _ => ErrorBound(syntaxSpan, context, "a duration is scaled by a number ('2 * warm', 'warm / 2') or divided by a duration ('warm / 1it' is its length in steps); it cannot be multiplied by a duration or a track"),
                };
                factors.Clear();
                divides.Clear();
                if (current.Kind == BoundKind.Value)
                {
                    factors.Add(current.Value!);
                    divides.Add(false);
                }
            }

            // Each '*' on a track or a duration, and each 'by' or 'from', wraps what came before: bound the depth like brackets.
            if (current.Kind is BoundKind.Track or BoundKind.Duration && ++wraps > SchedParser.MaxNesting)
            {
                Report(DiagnosticDescriptors.TooDeep, link.OperatorSpan, context,
                    $"more than {SchedParser.MaxNesting} '*', 'by' or 'from' apply to one track or duration here; combine the factors into one value, e.g. 'A * (m1 * m2)'");
                return Bound.Error(product.Span);
            }
        }
        Materialize(context.NodeSpan(product.Span));
        return current with { Span = product.Span };
    }

    private Bound BindFrom(Bound current, ChainLink link, TextSpan span, TextSpan syntaxSpan, BindContext context)
    {
        var operand = BindAny(link.Operand, context with { AllowProgress = false });
        if (operand.Kind == BoundKind.Error) return Bound.Error(syntaxSpan);
        var offset = ExpectDuration(operand, context);
        if (offset is RestDuration) return RestStandsAlone(operand.Span, context);
        if (offset is null || current.Kind == BoundKind.Error) return Bound.Error(syntaxSpan);
        if (current.Kind != BoundKind.Track)
        {
            return ErrorBound(syntaxSpan, context, "'from' starts a track part-way: write it after a segment or a repeat, e.g. 'cos(0.1 -> 0, 50ep) from 5ep'");
        }
        return Bound.Of(new SkipNode(span, current.Track!, offset), syntaxSpan);
    }

    private Bound BindBy(Bound current, ChainLink link, TextSpan span, TextSpan syntaxSpan, BindContext context)
    {
        DurationNode? block = null;
        bool byEpoch = link.Operand is NameExpr { Name: "epoch" } && !context.Names.ContainsKey("epoch");
        if (byEpoch)
        {
            UsesEpochs(link.Operand.Span, context);
        }
        else
        {
            var operand = BindAny(link.Operand, context with { AllowProgress = false });
            if (operand.Kind == BoundKind.Error) return Bound.Error(syntaxSpan);
            block = ExpectDuration(operand, context);
            if (block is RestDuration) return RestStandsAlone(operand.Span, context);
            if (block is null) return Bound.Error(syntaxSpan);
        }
        if (current.Kind == BoundKind.Error) return current;
        if (current.Kind != BoundKind.Track)
        {
            return ErrorBound(syntaxSpan, context, "'by' quantizes a track: write it after a segment, e.g. 'cos(0.1 -> 0, 50ep) by epoch'");
        }
        return Bound.Of(new QuantizeNode(span, current.Track!, block), syntaxSpan);
    }

    private Bound BindPower(PowerExpr power, BindContext context)
    {
        var operands = new List<Bound> { BindAny(power.Base, context) };
        foreach (var link in power.Exponents) operands.Add(BindAny(link.Operand, context));
        if (operands.Any(o => o.Kind == BoundKind.Error)) return Bound.Error(power.Span);
        var wrong = operands.FirstOrDefault(o => o.Kind != BoundKind.Value);
        if (wrong.Kind != BoundKind.Error)
        {
            return ErrorBound(wrong.Span, context, "'^' raises a value to a power; durations and tracks cannot be raised");
        }
        var negate = new bool[operands.Count];
        for (int i = 0; i < power.Exponents.Count; i++) negate[i + 1] = power.Exponents[i].Negations % 2 == 1;
        return Bound.Of(Fold(new PowerValue(context.NodeSpan(power.Span), operands.Select(o => o.Value!).ToArray(), negate)), power.Span);
    }

    private Bound ErrorBound(TextSpan span, BindContext context, string message)
    {
        Report(DiagnosticDescriptors.WrongKind, span, context, message);
        return Bound.Error(span);
    }

    private Bound RestStandsAlone(TextSpan span, BindContext context) =>
        ErrorBound(span, context, "'rest' stands alone as a duration: it cannot be added to, scaled or negated; write the other durations explicitly");

    /// <summary>The bound thing as a value, or null after reporting what was found instead.</summary>
    private ValueNode? ExpectValue(Bound bound, BindContext context, string what)
    {
        switch (bound.Kind)
        {
            case BoundKind.Value:
                return bound.Value;
            case BoundKind.Duration:
                Report(DiagnosticDescriptors.WrongKind, bound.Span, context, $"{what} is a number, not a duration; drop the unit");
                return null;
            case BoundKind.Track:
                Report(DiagnosticDescriptors.WrongKind, bound.Span, context, $"{what} is a number, not a segment or a track");
                return null;
            default:
                return null;
        }
    }

    /// <summary>The bound thing as a duration, or null after reporting what was found instead.</summary>
    private DurationNode? ExpectDuration(Bound bound, BindContext context)
    {
        switch (bound.Kind)
        {
            case BoundKind.Duration:
                return bound.Duration;
            case BoundKind.Value:
                string hint = bound.LiteralText is not null
                    ? $"write '{bound.LiteralText}ep', '{bound.LiteralText}it' or '{bound.LiteralText}%'"
                    : "a number is not a duration; multiply it by one, e.g. 'n * 1ep', or give the parameter a unit in its default, e.g. 'warm = 5ep'";
                Report(DiagnosticDescriptors.DurationNeedsUnit, bound.Span, context, hint);
                return null;
            case BoundKind.Track:
                Report(DiagnosticDescriptors.WrongKind, bound.Span, context, "a duration is expected here (such as '10ep', '500it', '25%' or 'rest'), not a segment");
                return null;
            default:
                return null;
        }
    }

    /// <summary>Replaces a value whose operands are all numbers by its number; folding runs the evaluator's own operations.</summary>
    internal static ValueNode Fold(ValueNode value) => value.Fold();
}
