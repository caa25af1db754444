using System.Globalization;
using CsCheck;

namespace Sched.Generators.Tests;

/// <summary>
/// A CsCheck generator of valid-by-construction <c>.sched</c> files over the grammar of docs/language.md §12 and its additions: tracks
/// of concatenated segments, modulation, quantization, every kind of repeat, defs, parameters and doc comments.
/// A track is generated as a shape first and rendered once its length is known, so durations always fit the total.
/// The file's schedule is named <see cref="NamePlaceholder"/>; batches give each file its own name.
/// </summary>
internal static class ScheduleGrammar
{
    public const string NamePlaceholder = "__NAME__";

    /// <summary>Durations are multiples of 1/32 of a unit: fractional steps, exact in binary.</summary>
    private const double Quantum = 1.0 / 32;

    private enum Kind
    {
        LearningRate,
        Momentum,
        Free,
    }

    /// <summary>What a piece may use, fixed when its shape is generated.</summary>
    private sealed record Frame(string Unit, Kind Kind, bool InRepeat, bool HasParameters, int Depth);

    /// <summary>Where a piece is rendered: the base of '%' there (null when '%' is not allowed) and whether only '%' may be used.</summary>
    private readonly record struct Place(double? PercentBase, bool OnlyPercent);

    /// <summary>A track piece waiting for its length (in units of the schedule: steps or epochs).</summary>
    private delegate string Piece(double length, Place place);

    private const string Defs = """
        def tri(lo, hi, half) = lin(lo -> hi, half) + lin(hi -> lo, half)
        def warm(peak, d = 1it) = lin(peak / 10 -> peak, d)
        def fade(A, k = 0.5) = A * (1 - k * p)
        def half(x) = x / 2

        """;

    /// <summary>One file holding one schedule (and the defs), named <see cref="NamePlaceholder"/>.</summary>
    public static readonly Gen<string> File =
        from unit in Gen.OneOf("it", "ep")
        from over in Pick((3, Gen.Const(true)), (1, Gen.Const(false)))
        from hasParameters in Gen.Bool
        from total in unit == "it" ? Gen.Int[16, 600].Select(q => q / 2.0) : Gen.Int[4, 40].Select(q => q / 2.0)
        from overForm in Gen.Int[0, 3]
        from lr in Track(new Frame(unit, Kind.LearningRate, false, hasParameters, 0), over)
        from lrLength in Gen.Double[0.3, 1]
        from momentum in Pick((2, Gen.Const((TrackShape?)null)), (1, Track(new Frame(unit, Kind.Momentum, false, false, 0), over).Select(t => (TrackShape?)t)))
        from momentumName in Gen.OneOf("momentum", "mom")
        from momentumLength in Gen.Double[0.3, 1]
        from extra in Pick((3, Gen.Const((TrackShape?)null)), (1, Track(new Frame(unit, Kind.Free, false, hasParameters, 0), over).Select(t => (TrackShape?)t)))
        from extraName in Gen.OneOf("ema", "aux", "drop_rate", "x2")
        from constant in Pick((2, Gen.Const((string?)null)), (1, Number(1e-5, 0.1).Select(v => (string?)$"wd = {v}")), (1, FreeValue(new Frame(unit, Kind.Free, false, false, 0)).Select(v => (string?)$"bias = {v}")))
        from peak in Number(0.01, 1)
        from loDivisor in Gen.Int[2, 100]
        from doc in Gen.OneOf("", "/// A random schedule: values < 1 & > 0.\n/// Second line.\n", "// a plain comment\n")
        from separator in Gen.OneOf("\n    ", "; ", ";\n    ")
        from withNamespace in Gen.Bool
        select Assemble(unit, over, hasParameters, total, overForm, peak, loDivisor, doc, separator, withNamespace,
            new[] { ("lr", (TrackShape?)lr, lrLength), (momentumName, momentum, momentumLength), (extraName, extra, 1.0) }, constant);

    private static string Assemble(string unit, bool over, bool hasParameters, double total, int overForm, string peak, int loDivisor,
        string doc, string separator, bool withNamespace, (string Name, TrackShape? Shape, double Length)[] tracks, string? constant)
    {
        var parameters = new List<string>();
        if (hasParameters)
        {
            parameters.Add($"peak = {peak}");
            parameters.Add($"lo = peak / {loDivisor}");
        }
        string overText = "";
        if (over)
        {
            if (overForm == 0 && hasParameters)
            {
                parameters.Add($"total = {Literal(total, unit)}");
                overText = " over total";
            }
            else if (overForm == 1)
            {
                double half = Math.Floor(total / 2 / Quantum) * Quantum;
                overText = $" over {Literal(half, unit)} + {Literal(total - half, unit)}";
            }
            else
            {
                overText = $" over {Literal(total, unit)}";
            }
        }
        var lines = new List<string>();
        foreach (var (name, shape, length) in tracks)
        {
            if (shape is null) continue;
            // Without 'over' the total is the longest track; tracks get lengths of their own.
            lines.Add($"{name} = {shape.Render(over ? total : Quantize(Math.Max(1, total * length)), over)}");
        }
        if (constant is not null) lines.Add(constant);
        string header = parameters.Count == 0 ? "" : $"({string.Join(", ", parameters)})";
        string ns = withNamespace ? "namespace Random.Schedules;\n\n" : "";
        return $"{ns}{Defs}{doc}schedule {NamePlaceholder}{header}{overText} {{\n    {string.Join(separator, lines)}\n}}\n";
    }

    /// <summary>A track: fixed pieces sharing part of its length and, with a total, maybe one piece that fills the rest.</summary>
    private sealed record TrackShape(Piece[] Fixed, double[] Weights, Piece? Rest, int RestAt, double Fill)
    {
        public string Render(double length, bool over)
        {
            var place = new Place(over ? length : null, false);
            double budget = Rest is null ? length * Fill : length * Math.Min(Fill, 0.85);
            double sum = Weights.Sum();
            var parts = Fixed.Select((piece, i) => piece(budget * Weights[i] / sum, place)).ToList();
            if (Rest is not null) parts.Insert(Math.Min(RestAt, parts.Count), Rest(length - budget, place));
            return string.Join(" + ", parts);
        }
    }

    private static Gen<TrackShape> Track(Frame frame, bool over) =>
        from count in Gen.Int[1, 3]
        from pieces in Item(frame).Array[count]
        from weights in Gen.Double[0.2, 1].Array[count]
        from rest in over ? Pick((2, Gen.Const((Piece?)null)), (5, RestItem(frame).Select(p => (Piece?)p))) : Gen.Const((Piece?)null)
        from restAt in Gen.Int[0, 3]
        from fill in Pick((1, Gen.Const(1.0)), (2, Gen.Double[0.4, 1]))
        select new TrackShape(pieces, weights, rest, restAt, fill);

    /// <summary>A piece of fixed length: a segment, a wrapped piece, a repeat or a def call.</summary>
    private static Gen<Piece> Item(Frame frame, bool zeroLength = true)
    {
        if (frame.Kind == Kind.Momentum) return Segment(frame);
        var choices = new List<(int, Gen<Piece>)> { (6, Segment(frame)), (2, DefCall(frame)) };
        if (zeroLength) choices.Add((1, ZeroLength(frame)));
        if (frame.Depth < 2)
        {
            var inner = frame with { Depth = frame.Depth + 1 };
            choices.Add((2, Modulated(inner)));
            choices.Add((1, Quantized(inner)));
            choices.Add((1, Skipped(inner)));
            choices.Add((2, CountRepeat(inner)));
            choices.Add((2, EveryRepeat(inner)));
        }
        return Pick(choices.ToArray());
    }

    private static Gen<Piece> Segment(Frame frame)
    {
        var value = Value(frame);
        var duration = Duration(frame);
        if (frame.Kind == Kind.Momentum)
        {
            return from name in Gen.OneOf("lin", "cos", "const")
                   from a in value
                   from b in value
                   from d in duration
                   select (Piece)((length, place) => name == "const" ? $"const({a}, {d(length, place)})" : $"{name}({a} -> {b}, {d(length, place)})");
        }
        // exp needs nonzero ends of one sign: positive values, whatever the track.
        var positive = Value(frame with { Kind = Kind.LearningRate });
        return from name in Pick((3, Gen.Const("lin")), (3, Gen.Const("cos")), (2, Gen.Const("exp")), (2, Gen.Const("poly")), (2, Gen.Const("const")), (2, Gen.Const("fn")))
               from a in name == "exp" ? positive : value
               from b in name == "exp" ? positive : value
               from power in Gen.OneOf("", ", 2", ", 0.5", ", power = 3", ", 1")
               from expression in FnExpression(frame)
               from d in duration
               select (Piece)((length, place) => name switch
               {
                   "const" => $"const({a}, {d(length, place)})",
                   "fn" => $"fn({expression}, {d(length, place)})",
                   "poly" => $"poly({a} -> {b}, {d(length, place)}{power})",
                   _ => $"{name}({a} -> {b}, {d(length, place)})",
               });
    }

    /// <summary>Segments lasting 0: they cover no step, but at a track's end they still set the final value.</summary>
    private static Gen<Piece> ZeroLength(Frame frame) =>
        from a in Value(frame with { Kind = frame.Kind == Kind.Free ? Kind.LearningRate : frame.Kind })
        from b in Value(frame)
        from form in Gen.Int[0, 2]
        select (Piece)((_, place) => form switch
        {
            0 => $"exp({a} -> {a}, 0{(place.OnlyPercent ? "%" : frame.Unit)})",
            1 => $"const({a}, 0{(place.OnlyPercent ? "%" : frame.Unit)})",
            _ => $"lin({a} -> {b}, 0{(place.OnlyPercent ? "%" : frame.Unit)})",
        });

    private static Gen<Piece> DefCall(Frame frame) =>
        from form in Gen.Int[0, 2]
        from a in Value(frame)
        from b in Value(frame)
        from inner in Segment(frame)
        from d in Duration(frame)
        select (Piece)((length, place) => form switch
        {
            0 => $"tri({a}, {b}, {d(length / 2, place)})",
            1 => $"warm({a}, d = {d(length, place)})",
            _ => $"fade({inner(length, place)})",
        });

    private static Gen<Piece> Modulated(Frame frame) =>
        from inner in Item(frame)
        from m in Modulator(frame)
        select (Piece)((length, place) => $"({inner(length, place)}) * ({m})");

    private static Gen<Piece> Quantized(Frame frame) =>
        from inner in Item(frame)
        from block in Gen.OneOf("epoch", "1it", "2it", "2.5it", "0.5ep")
        select (Piece)((length, place) => $"({inner(length, place)}) by {block}");

    /// <summary><c>(A) from d</c>: an inner piece longer by the share it skips (in a %-only place, the piece as is).</summary>
    private static Gen<Piece> Skipped(Frame frame) =>
        from inner in Item(frame)
        from share in Gen.OneOf(0.1, 0.25, 0.5)
        select (Piece)((length, place) => place.OnlyPercent
            ? inner(length, place)
            : $"({inner(length / (1 - share), place)}) from {Literal(Quantize(length * share * 0.9), frame.Unit)}");

    /// <summary><c>repeat(n)</c> / <c>repeat(n, mult = m)</c> of a body of absolute durations.</summary>
    private static Gen<Piece> CountRepeat(Frame frame) =>
        from count in Gen.OneOf(1.0, 2, 3, 4, 1.5, 2.5)
        from mult in Gen.OneOf(1.0, 1.0, 2, 1.5, 0.5)
        from body in Body(frame with { InRepeat = true })
        select (Piece)((length, place) =>
        {
            string multText = mult == 1 ? "" : $", mult = {Text(mult)}";
            // A body that overshot its share by flooring would push the track past its total: shrink it a little.
            return $"repeat({Text(count)}{multText}) {{ {body(length / Weight(count, mult) * 0.95, new Place(null, false))} }}";
        });

    /// <summary><c>repeat(n, every = D)</c>: inside, '%' and 'rest' refer to the cycle; a shorter body holds.</summary>
    private static Gen<Piece> EveryRepeat(Frame frame) =>
        from count in Gen.OneOf(1.0, 2, 3, 2.5)
        from mult in Gen.OneOf(1.0, 1.0, 2)
        from body in CycleBody(frame with { InRepeat = true })
        from share in Gen.Double[0.5, 1]
        select (Piece)((length, place) =>
        {
            double cycle = Quantize(length / Weight(count, mult) * 0.95);
            string multText = mult == 1 ? "" : $", mult = {Text(mult)}";
            return $"repeat({Text(count)}{multText}, every = {Literal(cycle, frame.Unit)}) {{ {body(cycle * share, cycle)} }}";
        });

    /// <summary>A piece that fills the rest of a track with a total: a segment with 'rest' (or no duration), or a repeat.</summary>
    private static Gen<Piece> RestItem(Frame frame)
    {
        var value = Value(frame);
        var positive = Value(frame with { Kind = frame.Kind == Kind.Free ? Kind.LearningRate : frame.Kind });
        var restSegment =
            from name in Gen.OneOf("lin", "cos", "const", "exp")
            from a in name == "exp" ? positive : value
            from b in name == "exp" ? positive : value
            from omit in Gen.Bool
            select (Piece)((_, _) =>
            {
                string duration = omit ? "" : ", rest";
                return name == "const" ? $"const({a}{duration})" : $"{name}({a} -> {b}{duration})";
            });
        if (frame.Kind == Kind.Momentum) return restSegment;
        // A plateau phase (a track's rest is never inside a repeat): the comparison gives both forms the same reports.
        var plateau =
            from a in positive
            from metric in Gen.OneOf("val_loss", "acc")
            from patience in Gen.Int[0, 2]
            from cooldown in Gen.Int[0, 2]
            from options in Gen.OneOf("", ", mode = max", ", rule = keras", ", rule = fastai, threshold = 0.01", ", threshold_mode = abs, min_lr = 0.001")
            select (Piece)((_, _) => $"plateau({a}, rest, on = {metric}, factor = 0.5, patience = {patience}, cooldown = {cooldown}{options})");
        var inRepeat = frame with { InRepeat = true, Depth = frame.Depth + 1 };
        var fillRepeat =
            from mult in Gen.OneOf(1.0, 1.0, 2)
            from cycles in Gen.Double[1.3, 5]
            from body in Body(inRepeat)
            select (Piece)((length, _) =>
            {
                string header = mult == 1 ? "" : "(mult = 2)";
                double cycle = length / (mult == 1 ? cycles : Weight(cycles, mult));
                return $"repeat{header} {{ {body(cycle, new Place(null, false))} }}";
            });
        var percentRepeat =
            from count in Gen.OneOf(1.0, 2, 3, 2.5, 10)
            from mult in Gen.OneOf(1.0, 1.0, 2)
            from body in Body(inRepeat with { Depth = 2 })
            from share in Gen.Double[0.6, 1]
            select (Piece)((_, _) =>
            {
                string multText = mult == 1 ? "" : ", mult = 2";
                return $"repeat({Text(count)}{multText}) {{ {body(share * 100, new Place(100, true))} }}";
            });
        var everyFill =
            from cycles in Gen.Double[1.3, 5]
            from body in CycleBody(inRepeat)
            from share in Gen.Double[0.5, 1]
            select (Piece)((length, _) =>
            {
                double cycle = Quantize(length / cycles);
                return $"repeat(every = {Literal(cycle, frame.Unit)}) {{ {body(cycle * share, cycle)} }}";
            });
        var modulatedRest =
            from inner in restSegment
            from m in Modulator(frame)
            select (Piece)((length, place) => $"{inner(length, place)} * ({m})");
        // A bare value among segments is 'const(value, rest)'.
        var bareValue = value.Select(v => (Piece)((_, _) => $"({v})"));
        return Pick((4, restSegment), (2, fillRepeat), (2, percentRepeat), (1, everyFill), (1, modulatedRest), (1, bareValue), (1, plateau));
    }

    /// <summary>A repeat body of one or two pieces sharing its length.</summary>
    private static Gen<Piece> Body(Frame frame) =>
        from first in Item(frame, zeroLength: false)
        from second in Pick((1, Gen.Const((Piece?)null)), (1, Item(frame).Select(p => (Piece?)p)))
        from split in Gen.Double[0.2, 0.8]
        select (Piece)((length, place) => second is null
            ? first(length, place)
            : $"{first(length * split, place)} + {second(length * (1 - split), place)}");

    /// <summary>The body of an 'every' cycle: pieces in '%' of the cycle or absolute, maybe ending with 'rest'.</summary>
    private static Gen<Func<double, double, string>> CycleBody(Frame frame) =>
        from body in Body(frame)
        from rest in Pick((2, Gen.Const((string?)null)), (1, Value(frame).Select(v => (string?)$"const({v}, rest)")))
        select (Func<double, double, string>)((length, cycle) =>
        {
            string text = body(length, new Place(cycle, false));
            return rest is null ? text : $"{text} + {rest}";
        });

    /// <summary>A duration of about the given length, written in one of the forms of docs/language.md §4; never longer than asked.</summary>
    private static Gen<Piece> Duration(Frame frame) =>
        from form in Gen.Int[0, 5]
        select (Piece)((length, place) =>
        {
            double amount = Quantize(length);
            if (place.OnlyPercent || (form == 1 && place.PercentBase is > 0))
            {
                double basis = place.PercentBase!.Value;
                double percent = Math.Floor(length / basis * 100 * 100) / 100;
                return $"{Text(percent)}%";
            }
            return form switch
            {
                2 => $"2*{Literal(Quantize(amount / 2), frame.Unit)}",
                3 => $"{Literal(amount + 1, frame.Unit)} - 1{frame.Unit}",
                4 => $"({Literal(amount * 2, frame.Unit)})/2",
                5 => $"{Literal(amount / 2, frame.Unit)} + {Literal(amount / 2, frame.Unit)}",
                _ => Literal(amount, frame.Unit),
            };
        });

    /// <summary>A value of the track's kind: positive for lr, in [0.85, 0.95] for momentum, anything finite otherwise.</summary>
    private static Gen<string> Value(Frame frame)
    {
        if (frame.Kind == Kind.Momentum) return Number(0.85, 0.95);
        var choices = new List<(int, Gen<string>)>
        {
            (6, Number(1e-3, 1)),
            (1, Gen.Select(Number(0.01, 1), Gen.Int[2, 50], (a, k) => $"{a}/{k}")),
            (1, Gen.Select(Number(0.01, 1), Number(0.01, 1), (a, b) => $"min({a}, {b})")),
            (1, Gen.Select(Number(0.01, 1), Number(0.01, 1), Number(0.01, 1), (a, b, c) => $"max({a}, {b}, {c})")),
            (1, Number(0.01, 1).Select(a => $"sqrt({a})")),
            (1, Number(0.01, 1).Select(a => $"abs(-{a})")),
            (1, Gen.Int[1, 6].Select(k => $"exp(-{k})")),
            (1, Gen.Int[1, 9].Select(k => $"2^-{k}")),
            (1, Gen.Int[1, 9].Select(k => $"e^-{k} * 2")),
            (1, Gen.Int[10, 90].Select(k => $"pi/{k}")),
            (1, Number(0.01, 1).Select(a => $"log(1 + {a})")),
            (1, Number(0.01, 1).Select(a => $"tanh({a})")),
            (1, Gen.Int[1, 9].Select(k => $"floor({k}.7)/{k * 10}")),
            (1, Number(0.01, 1).Select(a => $"half({a})")),
            (1, Number(0.01, 1).Select(a => $"({a} + {a}) * 0.5 - {a} / 4")),
            (1, Number(0.01, 1).Select(a => $"{a} * (3it / 4it)")),
            (1, Number(0.01, 1).Select(a => $"{a} * 0.5^bisect([1, 2], 1.5)")),
        };
        if (frame.HasParameters) choices.Add((3, Gen.OneOf("peak", "lo", "peak / 10", "max(lo, peak / 100)", "half(peak)")));
        if (frame.InRepeat) choices.Add((2, Number(0.01, 1).Select(a => $"{a} * 0.5^cycle")));
        if (frame.Kind == Kind.Free) choices.Add((2, Number(0.01, 1).Select(a => $"-{a}")));
        return Pick(choices.ToArray());
    }

    private static Gen<string> FreeValue(Frame frame) => Value(frame);

    /// <summary>An fn body: reads p, t, step or epoch; positive for lr.</summary>
    private static Gen<string> FnExpression(Frame frame)
    {
        var templates = new List<string>
        {
            "{a} * (1 + cos(pi * p)) / 2 + {b}",
            "{a} * exp(-3 * p)",
            "{a} * (1 - 0.5 * t)",
            "{a} / sqrt(1 + step)",
            "{a} * 0.9^floor(epoch)",
            "max({a} * (1 - p), {b})",
            "{a} * (1 + 0.1 * sin(step))",
            "{a} * (1 - p)^2 + {b}",
            "min({a}, {b} + p)",
            "{a} * -(-p) + {b}",
            "{a} * 0.5^bisect([3, 1, 7, 7, 40 * {b}], step) + {b}",
            "{a} * 0.8^bisect([], epoch)",
            "{a} * min(1, step / (12it / 1it))",
        };
        if (frame.InRepeat) templates.Add("{a} * 0.5^cycle * (1 - p / 2)");
        if (frame.Kind == Kind.Free) templates.AddRange(new[] { "{a} * sin(2 * pi * p)", "log(1 + step) - {b}", "{a} - {b} * epoch" });
        return from template in Gen.OneOf(templates.ToArray())
               from a in Number(0.01, 1)
               from b in Number(1e-3, 0.1)
               select template.Replace("{a}", a).Replace("{b}", b);
    }

    /// <summary>The m of 'A * m': positive, reads the piece's own p, or t, step, epoch, cycle.</summary>
    private static Gen<string> Modulator(Frame frame)
    {
        var templates = new List<string>
        {
            "1 + 0.2 * sin(2 * pi * p)", "1 - 0.5 * p", "exp(-p)", "0.5 + 0.5 * cos(pi * t)", "max(0.1, 1 - p)",
            "1 + 0.01 * step", "0.95^epoch", "2", "1 + p^2", "0.9^bisect([1, 4, 2], epoch)",
        };
        if (frame.InRepeat) templates.Add("1 + 0.1 * cycle");
        return Gen.OneOf(templates.ToArray());
    }

    /// <summary>One of the generators, with the given weights.</summary>
    private static Gen<T> Pick<T>(params (int Weight, Gen<T> Gen)[] choices) => Gen.Frequency(choices.Select(c => (c.Weight, (IGen<T>)c.Gen)).ToArray());

    /// <summary>A number in [lo, hi], written plainly, in e-notation or round-trip.</summary>
    private static Gen<string> Number(double lo, double hi) =>
        Gen.Select(Gen.Double[lo, hi], Gen.Int[0, 3], (value, form) => form switch
        {
            0 => value.ToString("0.####", CultureInfo.InvariantCulture),
            1 => value.ToString("0.##e0", CultureInfo.InvariantCulture),
            2 => value.ToString("0.###E+0", CultureInfo.InvariantCulture),
            _ => value.ToString("R", CultureInfo.InvariantCulture),
        }).Select(text => text == "0" ? "0.001" : text);

    /// <summary>Sum of mult^k over the cycles, the fractional last one weighing its fraction (docs/language.md §6).</summary>
    private static double Weight(double count, double mult)
    {
        int last = Math.Max(0, (int)Math.Ceiling(count) - 1);
        double fraction = count - last;
        return Sched.Model.Timeline.CycleOffset(last, 1, mult) + fraction * Math.Pow(mult, last);
    }

    private static double Quantize(double length) => Math.Max(Quantum, Math.Floor(length / Quantum) * Quantum);

    private static string Literal(double amount, string unit) => Text(amount) + unit;

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
