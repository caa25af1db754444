using Sched.Diagnostics;
using Sched.Language.Parsing;
using Sched.Language.Syntax;
using Sched.Model;
using Sched.Text;

namespace Sched.Language.Binding;

internal sealed partial class Binder
{
    private Bound BindCall(CallExpr call, BindContext context)
    {
        bool transition = call.Arguments.Count > 0 && call.Arguments[0].Value is ArrowExpr;
        // cos(...) and exp(...) are segments with a transition first, math functions otherwise.
        if (Shape.Find(call.Name) is { } shape && (transition || !shape.IsTransition || !BuiltIns.Functions.ContainsKey(call.Name)))
        {
            return shape.IsTransition ? BindTransition(call, shape, context) : BindValueSegment(call, shape, context);
        }
        if (call.Name == "bisect") return BindBisect(call, context);
        if (call.Name == "plateau") return BindPlateau(call, context);
        if (BuiltIns.Functions.TryGetValue(call.Name, out int arity)) return BindMathFunction(call, arity, context);
        if (_defs.TryGetValue(call.Name, out var def)) return ExpandDef(call, def, context);
        Report(DiagnosticDescriptors.UnknownName, call.NameSpan, context, "function", call.Name, Suggestions.DidYouMean(call.Name, FunctionNames()));
        foreach (var argument in call.Arguments)
        {
            // Still bind the arguments, so their own mistakes show in the same build.
            if (argument.Value is ArrowExpr arrow)
            {
                BindAny(arrow.From, context);
                BindAny(arrow.To, context);
            }
            else
            {
                BindAny(argument.Value, context);
            }
        }
        return Bound.Error(call.Span);
    }

    /// <summary><c>name(a -> b, duration, extra)</c>, as the shape's row says: the extra argument positional or by name.</summary>
    private Bound BindTransition(CallExpr call, Shape shape, BindContext context)
    {
        string usage = shape.Usage;
        var positional = new List<Argument>();
        Argument? extra = null;
        foreach (var argument in call.Arguments)
        {
            if (argument.Name is null)
            {
                positional.Add(argument);
            }
            else if (shape.Extra is not null && argument.Name == shape.Extra && extra is null)
            {
                extra = argument;
            }
            else
            {
                return BadArguments(argument.NameSpan, context, $"{call.Name} takes no argument named '{argument.Name}'; write {usage}");
            }
        }
        if (shape.Extra is not null && positional.Count == 3 && extra is null)
        {
            extra = positional[2];
            positional.RemoveAt(2);
        }
        if (positional.Count == 0 || positional[0].Value is not ArrowExpr arrow)
        {
            return BadArguments(call.Span, context, $"{call.Name} needs a transition first: {usage}, e.g. '{call.Name}(0.1 -> 1, 10ep)'");
        }
        if (positional.Count > 2)
        {
            return BadArguments(positional[2].Span, context, $"{call.Name} takes at most {(shape.Extra is null ? 2 : 3)} arguments: {usage}");
        }

        var valueContext = context with { AllowProgress = false };
        var from = ExpectValue(BindAny(arrow.From, valueContext), context, "a segment's start");
        var to = ExpectValue(BindAny(arrow.To, valueContext), context, "a segment's end");
        var duration = positional.Count > 1 ? ExpectDuration(BindAny(positional[1].Value, valueContext), context) : new RestDuration(context.NodeSpan(call.Span));
        ValueNode? extraValue = extra is null ? null : ExpectValue(BindAny(extra.Value, valueContext), context, $"{call.Name}'s {shape.Extra}");
        if (from is null || to is null || duration is null || (extra is not null && extraValue is null)) return Bound.Error(call.Span);
        return Bound.Of(new SegmentNode(context.NodeSpan(call.Span), shape, from, to, extraValue, duration), call.Span);
    }

    /// <summary><c>const(value, duration)</c>, <c>fn(expression, duration)</c>.</summary>
    private Bound BindValueSegment(CallExpr call, Shape shape, BindContext context)
    {
        string usage = shape.Usage;
        var named = call.Arguments.FirstOrDefault(a => a.Name is not null);
        if (named is not null) return BadArguments(named.NameSpan, context, $"{call.Name} takes no argument named '{named.Name}'; write {usage}");
        if (call.Arguments.Count is 0 or > 2) return BadArguments(call.Span, context, $"{call.Name} takes a value and an optional duration: {usage}");

        var value = ExpectValue(BindAny(call.Arguments[0].Value, context with { AllowProgress = shape.ReadsProgress }), context, $"{call.Name}'s first argument");
        var duration = call.Arguments.Count > 1
            ? ExpectDuration(BindAny(call.Arguments[1].Value, context with { AllowProgress = false }), context)
            : new RestDuration(context.NodeSpan(call.Span));
        if (value is null || duration is null) return Bound.Error(call.Span);
        return Bound.Of(new SegmentNode(context.NodeSpan(call.Span), shape, value, null, null, duration), call.Span);
    }

    private Bound BindMathFunction(CallExpr call, int arity, BindContext context)
    {
        if (call.Arguments.Any(a => a.Name is not null || a.Value is ArrowExpr))
        {
            var bad = call.Arguments.First(a => a.Name is not null || a.Value is ArrowExpr);
            string segmentHint = call.Name is "cos" or "exp" ? $" (for a segment, put the transition first: '{call.Name}(a -> b, 10ep)')" : "";
            return BadArguments(bad.Span, context, $"{call.Name} takes plain values{segmentHint}");
        }
        if (arity == -1 ? call.Arguments.Count < 2 : call.Arguments.Count != arity)
        {
            string expected = arity == -1 ? "two or more arguments" : arity == 1 ? "one argument" : $"{arity} arguments";
            return BadArguments(call.Span, context, $"{call.Name} takes {expected}, not {call.Arguments.Count}");
        }
        var arguments = new ValueNode[call.Arguments.Count];
        bool ok = true;
        for (int i = 0; i < arguments.Length; i++)
        {
            var value = ExpectValue(BindAny(call.Arguments[i].Value, context), context, $"an argument of {call.Name}");
            if (value is null) ok = false;
            else arguments[i] = value;
        }
        if (!ok) return Bound.Error(call.Span);
        var function = (MathFunction)Enum.Parse(typeof(MathFunction), call.Name, ignoreCase: true);
        return Bound.Of(Fold(new CallValue(context.NodeSpan(call.Span), function, arguments)), call.Span);
    }

    private const string ListHere = "a list '[a, b, c]' is an argument of a def (such as multi_step's milestones) or the first argument of bisect, not a value, a duration or a track";

    /// <summary><c>bisect(list, x)</c>: the number of items at most x, an integer-valued number.</summary>
    private Bound BindBisect(CallExpr call, BindContext context)
    {
        const string usage = "bisect(list, x), e.g. 'bisect([30, 60, 80], epoch)'";
        var named = call.Arguments.FirstOrDefault(a => a.Name is not null || a.Value is ArrowExpr);
        if (named is not null) return BadArguments(named.Span, context, $"bisect takes a list and a plain value: {usage}");
        if (call.Arguments.Count != 2) return BadArguments(call.Span, context, $"bisect takes 2 arguments, not {call.Arguments.Count}: {usage}");
        var list = TryBindList(call.Arguments[0].Value, context);
        if (list is null)
        {
            var given = BindAny(call.Arguments[0].Value, context);
            if (given.Kind == BoundKind.Error) return given;
            string message = call.Arguments[0].Value is NameExpr name
                ? $"'{name.Name}' is given {Describe(given)}, where a list is needed: write it in brackets, e.g. '[30, 60, 80]'"
                : $"bisect's first argument is a list of numbers in brackets: {usage}";
            return BadArguments(call.Arguments[0].Span, context, message);
        }
        var position = ExpectValue(BindAny(call.Arguments[1].Value, context), context, "bisect's second argument");
        if (list.Value.Kind == BoundKind.Error || position is null) return Bound.Error(call.Span);
        return Bound.Of(Fold(new BisectValue(context.NodeSpan(call.Span), list.Value.Items!, position)), call.Span);
    }

    private static string Describe(Bound bound) => bound.Kind switch
    {
        BoundKind.Duration => "a duration",
        BoundKind.Track => "a track",
        _ => "a number",
    };

    /// <summary>A list literal, or a def parameter holding one; null when <paramref name="expr"/> is neither.</summary>
    private Bound? TryBindList(Expr expr, BindContext context)
    {
        while (expr is ParenExpr paren) expr = paren.Inner;
        if (expr is NameExpr name && context.Names.TryGetValue(name.Name, out var symbol) && symbol is ArgumentSymbol { Argument.Kind: BoundKind.List } argument)
        {
            return argument.Argument;
        }
        if (expr is not ListExpr list) return null;
        var items = new ValueNode[list.Items.Count];
        bool ok = true;
        for (int i = 0; i < items.Length; i++)
        {
            var item = ExpectValue(BindAny(list.Items[i], context), context, "a list item");
            if (item is null) ok = false;
            else items[i] = item;
        }
        return ok ? Bound.Of(items, list.Span) : Bound.Error(list.Span);
    }

    /// <summary>A bare word that resolves to nothing: a metric's name or a mode, passed on to a def as written.</summary>
    private Bound? TryBindWord(Expr expr, BindContext context)
    {
        if (expr is not NameExpr name) return null;
        if (context.Names.TryGetValue(name.Name, out var symbol)) return symbol is ArgumentSymbol { Argument.Kind: BoundKind.Word } word ? word.Argument : null;
        // A function's bare name means nothing as a value ('min' must be called), so it may be a word: 'mode = min'.
        if ((BuiltIns.ReservedBecause(name.Name) is not null && !BuiltIns.Functions.ContainsKey(name.Name)) || _defs.ContainsKey(name.Name)) return null;
        return Bound.OfWord(name.Name, name.Span);
    }

    /// <summary>
    /// <c>plateau(value, duration, on = metric, mode = min, factor = 0.1, patience = 10, threshold = 1e-4,
    /// threshold_mode = rel, cooldown = 0, min_lr = 0, eps = 1e-8, rule = torch)</c>: PyTorch's defaults.
    /// </summary>
    private Bound BindPlateau(CallExpr call, BindContext context)
    {
        const string usage = "plateau(value, duration, on = metric), e.g. 'plateau(0.1, rest, on = val_loss, patience = 5)'";
        if (context.InRepeat)
        {
            return BadArguments(call.NameSpan, context, "a plateau phase cannot sit inside a repeat: its reductions hold from a report on, whatever the cycle; put it after the repeat");
        }
        var positional = call.Arguments.TakeWhile(a => a.Name is null).ToList();
        if (positional.Count is 0 or > 2) return BadArguments(call.Span, context, $"plateau takes a start value and an optional duration, then named arguments: {usage}");
        var named = new Dictionary<string, Argument>(StringComparer.Ordinal);
        var known = new[] { "on", "mode", "factor", "patience", "threshold", "threshold_mode", "cooldown", "min_lr", "eps", "rule" };
        foreach (var argument in call.Arguments.Skip(positional.Count))
        {
            if (argument.Name is null) return BadArguments(argument.Span, context, $"positional arguments come first in plateau: {usage}");
            if (Array.IndexOf(known, argument.Name) < 0)
            {
                return BadArguments(argument.NameSpan, context, $"plateau has no argument '{argument.Name}'; it takes {string.Join(", ", known)}{Suggestions.DidYouMean(argument.Name, known)}");
            }
            if (named.ContainsKey(argument.Name)) return BadArguments(argument.NameSpan, context, $"'{argument.Name}' is given twice in this plateau");
            named[argument.Name] = argument;
        }
        if (!named.TryGetValue("on", out var on)) return BadArguments(call.Span, context, $"plateau needs the metric it watches: {usage}");

        var valueContext = context with { AllowProgress = false };
        var start = ExpectValue(BindAny(positional[0].Value, valueContext), context, "plateau's start value");
        var duration = positional.Count > 1 ? ExpectDuration(BindAny(positional[1].Value, valueContext), context) : new RestDuration(context.NodeSpan(call.Span));
        string? metric = Word(on, context, "'on' names the metric reports give, e.g. 'on = val_loss'", null);
        string? mode = named.TryGetValue("mode", out var m) ? Word(m, context, "'mode' is min (lower is better) or max", new[] { "min", "max" }) : "min";
        string? thresholdMode = named.TryGetValue("threshold_mode", out var t) ? Word(t, context, "'threshold_mode' is rel or abs", new[] { "rel", "abs" }) : "rel";
        string? rule = named.TryGetValue("rule", out var r) ? Word(r, context, "'rule' is torch, keras or fastai", new[] { "torch", "keras", "fastai" }) : "torch";
        ValueNode? Number(string name, double fallback) =>
            named.TryGetValue(name, out var argument)
                ? ExpectValue(BindAny(argument.Value, valueContext), context, $"plateau's '{name}'")
                : new ConstantValue(context.NodeSpan(call.Span), fallback);
        var factor = Number("factor", 0.1);
        var patience = Number("patience", 10);
        var threshold = Number("threshold", 1e-4);
        var cooldown = Number("cooldown", 0);
        var minimum = Number("min_lr", 0);
        var eps = Number("eps", 1e-8);
        if (start is null || duration is null || metric is null || mode is null || thresholdMode is null || rule is null
            || factor is null || patience is null || threshold is null || cooldown is null || minimum is null || eps is null)
        {
            return Bound.Error(call.Span);
        }
        var node = new PlateauNode(context.NodeSpan(call.Span), start, duration, metric, mode == "min" ? PlateauMode.Min : PlateauMode.Max,
            rule switch { "keras" => PlateauRule.Keras, "fastai" => PlateauRule.Fastai, _ => PlateauRule.Torch }, thresholdMode == "rel",
            factor, patience, threshold, cooldown, minimum, eps);
        return Bound.Of(node, call.Span);
    }

    /// <summary>A word argument, written as is or passed through a def's parameter; null after reporting what is wrong.</summary>
    private string? Word(Argument argument, BindContext context, string expected, string[]? choices)
    {
        string? word = argument.Value switch
        {
            NameExpr name when context.Names.TryGetValue(name.Name, out var symbol) => symbol is ArgumentSymbol { Argument.Kind: BoundKind.Word } w ? w.Argument.LiteralText : null,
            NameExpr name => name.Name,
            _ => null,
        };
        if (word is null || (choices is not null && Array.IndexOf(choices, word) < 0))
        {
            BadArguments(argument.Value.Span, context, expected + (word is null ? "" : $", not '{word}'{Suggestions.DidYouMean(word, choices!)}"));
            return null;
        }
        return word;
    }

    private Bound BindRepeat(RepeatExpr repeat, BindContext context)
    {
        var headerContext = context with { AllowProgress = false, InRepeat = false };
        ValueNode? count = null, mult = null;
        DurationNode? every = null;
        bool ok = true;
        for (int i = 0; i < repeat.Arguments.Count; i++)
        {
            var argument = repeat.Arguments[i];
            if (argument.Value is ArrowExpr)
            {
                BadArguments(argument.Span, context, "repeat takes a count, 'mult = ...' and 'every = ...', not a transition");
                ok = false;
                continue;
            }
            switch (argument.Name)
            {
                case null when i == 0:
                    count = ExpectValue(BindAny(argument.Value, headerContext), context, "the repeat count");
                    ok &= count is not null;
                    break;
                case null:
                    BadArguments(argument.Span, context, "repeat takes one count, then named arguments: 'repeat(3, mult = 2, every = 10ep)'");
                    ok = false;
                    break;
                case "mult" when mult is null:
                    mult = ExpectValue(BindAny(argument.Value, headerContext), context, "'mult'");
                    ok &= mult is not null;
                    break;
                case "every" when every is null:
                    every = ExpectDuration(BindAny(argument.Value, headerContext), context);
                    if (every is RestDuration)
                    {
                        Report(DiagnosticDescriptors.RestMisplaced, every.Span, context, "'every' needs a length such as '10ep'; 'rest' has nothing to refer to here");
                        every = null;
                    }
                    ok &= every is not null;
                    break;
                default:
                    string hint = Suggestions.DidYouMean(argument.Name, new[] { "mult", "every" });
                    BadArguments(argument.NameSpan, context, $"repeat has no argument '{argument.Name}' (or it is given twice); its arguments are a count, 'mult' and 'every'{hint}");
                    ok = false;
                    break;
            }
        }

        var body = BindAny(repeat.Body, context with { InRepeat = true });
        TrackNode? bodyTrack = body.Kind switch
        {
            BoundKind.Track => body.Track,
            BoundKind.Value => new SegmentNode(context.NodeSpan(body.Span), Shape.Const, body.Value!, null, null, new RestDuration(context.NodeSpan(body.Span))),
            BoundKind.Duration => WrongKind(body.Span, context, "a repeat's body is a track, e.g. 'repeat(3) { cos(0.1 -> 0, 10ep) }'"),
            _ => null,
        };
        if (!ok || bodyTrack is null) return Bound.Error(repeat.Span);

        var span = context.NodeSpan(repeat.Span);
        if (every is null)
        {
            var units = bodyTrack.Uses;
            if (units == DurationUse.Percent && count is null)
            {
                Report(DiagnosticDescriptors.PercentRepeatNeedsCount, repeat.KeywordSpan, context);
                return Bound.Error(repeat.Span);
            }
            if ((units & DurationUse.Percent) != 0 && (units & DurationUse.Absolute) != 0)
            {
                Report(DiagnosticDescriptors.PercentMixedInRepeat, repeat.KeywordSpan, context);
                return Bound.Error(repeat.Span);
            }
        }
        return Bound.Of(new RepeatNode(span, count, mult, every, bodyTrack), repeat.Span);
    }

    private Bound ExpandDef(CallExpr call, DefInfo def, BindContext context)
    {
        var syntax = def.Syntax;
        if (Array.IndexOf(context.CallStack, syntax.Name) >= 0)
        {
            string chain = string.Join(" -> ", context.CallStack.SkipWhile(n => n != syntax.Name).Concat(new[] { syntax.Name }));
            Report(DiagnosticDescriptors.RecursiveDef, call.NameSpan, context, syntax.Name, chain);
            return Bound.Error(call.Span);
        }
        if (context.CallStack.Length >= SchedParser.MaxNesting)
        {
            Report(DiagnosticDescriptors.TooDeep, call.NameSpan, context, $"defs call each other more than {SchedParser.MaxNesting} deep here ({string.Join(" -> ", context.CallStack.Take(3))} -> ...); flatten the chain");
            return Bound.Error(call.Span);
        }
        if (++_expansions > MaxExpansions)
        {
            // Reported once, at the schedule's own call: that is the line the user can change.
            if (_expansions == MaxExpansions + 1) Report(DiagnosticDescriptors.ExpansionTooLarge, context.CallSite ?? call.NameSpan, context with { Library = false }, MaxExpansions);
            return Bound.Error(call.Span);
        }
        _calledDefs.Add(syntax.Name);

        var given = new Argument?[syntax.Parameters.Count];
        bool named = false;
        int position = 0;
        foreach (var argument in call.Arguments)
        {
            if (argument.Name is null)
            {
                if (named) return BadArguments(argument.Span, context, $"positional arguments come before named ones in a call of '{syntax.Name}'");
                if (position >= given.Length) return BadArguments(argument.Span, context, $"'{syntax.Name}' takes {given.Length} argument{(given.Length == 1 ? "" : "s")}: {Signature(syntax)}");
                given[position++] = argument;
                continue;
            }
            named = true;
            int index = IndexOfParameter(syntax, argument.Name);
            if (index < 0)
            {
                return BadArguments(argument.NameSpan, context,
                    $"'{syntax.Name}' has no parameter '{argument.Name}'; it takes {Signature(syntax)}{Suggestions.DidYouMean(argument.Name, syntax.Parameters.Select(p => p.Name))}");
            }
            if (given[index] is not null) return BadArguments(argument.NameSpan, context, $"'{argument.Name}' is given twice in this call of '{syntax.Name}'");
            given[index] = argument;
        }

        var callSite = context.CallSite ?? call.Span;
        var names = new Dictionary<string, Symbol>(StringComparer.Ordinal);
        var stack = context.CallStack.Concat(new[] { syntax.Name }).ToArray();
        var defContext = new BindContext(names, context.AllowProgress, context.InRepeat, callSite, def.IsLibrary || context.Library, stack);
        for (int i = 0; i < given.Length; i++)
        {
            var parameter = syntax.Parameters[i];
            Bound bound;
            if (given[i] is { } argument)
            {
                if (argument.Value is ArrowExpr arrow) return BadArguments(arrow.Span, context, "a transition 'a -> b' is only an argument of lin, cos, exp or poly");
                bound = TryBindList(argument.Value, context) ?? TryBindWord(argument.Value, context) ?? BindAny(argument.Value, context);
            }
            else if (parameter.Default is not null)
            {
                bound = TryBindList(parameter.Default, defContext) ?? TryBindWord(parameter.Default, defContext) ?? BindAny(parameter.Default, defContext);
            }
            else
            {
                return BadArguments(call.Span, context, $"'{syntax.Name}' needs a value for '{parameter.Name}': {Signature(syntax)}");
            }
            if (bound.Kind == BoundKind.Error) return Bound.Error(call.Span);
            names[parameter.Name] = new ArgumentSymbol(bound);
        }

        var result = BindAny(syntax.Body, defContext);
        return result with { Span = call.Span };
    }

    private static int IndexOfParameter(DefSyntax def, string name)
    {
        for (int i = 0; i < def.Parameters.Count; i++)
        {
            if (def.Parameters[i].Name == name) return i;
        }
        return -1;
    }

    private string Signature(DefSyntax def) =>
        $"{def.Name}({string.Join(", ", def.Parameters.Select(p => p.Default is null ? p.Name : $"{p.Name} = {_defs[def.Name].Source[p.Default.Span]}"))})";

    private Bound BadArguments(TextSpan span, BindContext context, string message)
    {
        Report(DiagnosticDescriptors.BadArguments, span, context, message);
        return Bound.Error(span);
    }
}
