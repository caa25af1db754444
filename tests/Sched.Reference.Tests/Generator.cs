namespace Sched.Reference.Tests;

/// <summary>
/// Random schedules over the oracle's model, covering every construct of docs/language.md and biased toward
/// the hard places: boundaries on integer steps, fractional lengths whose sums round, poly with fractional
/// powers at ends, bodies shorter than their cycle, zero-length (last) segments. Each case is checked by the
/// oracle itself (it must lay out, and its values must be finite and in range) before it is handed out.
/// </summary>
public sealed class Generator(int seed)
{
    readonly Random _r = new(seed);

    // Lengths that round when added: 4.2 + 1.8, 41.9 + 17.8, 0.1 + 0.2, 1.4 × 3 …
    static readonly double[] HardSteps = [0.1, 0.2, 0.3, 0.6, 0.7, 1, 1.4, 1.7, 1.8, 2.5, 2.8, 3, 3.3, 4.2, 5, 7, 9, 10, 13, 17.8, 41.9, 0.9, 2.2];
    static readonly double[] Percents = [5, 10, 12.5, 20, 25, 30, 33, 40, 50, 60, 75, 100, 1.5, 0.1];
    static readonly double[] PosLits = [0.1, 0.5, 0.8, 1, 0.04, 0.39, 0.9, 0.001, 0.3, 0.6, 2, 0.01, 0.2, 0.7, 1e-5, 0.05];
    static readonly double[] Powers = [0.5, 1.5, 2, 3, 0.3, 1, 2.5, 0.25];
    static readonly double[] Counts = [1, 2, 3, 4, 1.5, 2.3, 0.5, 2.75, 1.25, 0.7, 3.1, 2];
    static readonly double[] Mults = [1.5, 2, 3, 10, 0.5, 1, 2, 1.5];
    static readonly int[] StepsPerEpoch = [1, 1, 2, 3, 7, 10, 32, 4, 5];

    enum Range { Positive, Any, Momentum }

    /// <summary>Where a part is generated: what its durations may use, and how long it should roughly be.</summary>
    sealed class Ctx
    {
        public required Range Range;
        public double? PctBase;          // approximate % base (total or cycle); null: no % here
        public bool InRepeat;
        public int Depth;
    }

    int _spe;
    readonly List<Param> _params = new();
    readonly Dictionary<string, double> _approx = new(); // approximate parameter values (durations in steps)

    bool Chance(double p) => _r.NextDouble() < p;
    T Pick<T>(IReadOnlyList<T> xs) => xs[_r.Next(xs.Count)];

    /// <summary>A valid case (the oracle lays it out and its values are finite and in range).</summary>
    public RunCase Next(string name)
    {
        for (int attempt = 0; ; attempt++)
        {
            var c = TryCase(name);
            if (c is not null && Differential.IsValid(c)) return c;
            if (attempt > 200) throw new InvalidOperationException("the generator produces no valid case");
        }
    }

    RunCase? TryCase(string name)
    {
        _spe = Pick(StepsPerEpoch);
        _params.Clear();
        _approx.Clear();
        GenParams();

        Dur? over = null;
        double total;
        if (Chance(0.85))
        {
            (over, total) = GenTotal();
        }
        else total = 20 + _r.Next(100); // no `over`: tracks are sized by this, the total is the longest

        var tracks = new List<Track>();
        var names = new List<string> { "lr" };
        string[] others = ["momentum", "mom", "beta2", "wd", "a", "b", "level", "gain"];
        int extra = _r.Next(4);
        for (int i = 0; i < extra; i++)
        {
            string n = Pick(others);
            if (names.Contains(n) || (n == "mom" && names.Contains("momentum")) || (n == "momentum" && names.Contains("mom"))) continue;
            names.Add(n);
        }
        var schedule = new ScheduleModel(name, _params.ToArray(), over, []);
        foreach (var n in names)
        {
            Track? track = null;
            for (int attempt = 0; attempt < 25 && track is null; attempt++)
            {
                var t = GenTrack(n, total, over is not null);
                // Keep the track only if the oracle lays it out alone in this schedule.
                var probe = new RunCase(schedule with { Tracks = [t] }, _spe, []);
                if (Differential.IsValid(probe)) track = t;
            }
            if (track is null) return null;
            tracks.Add(track);
        }
        var c = new RunCase(schedule with { Tracks = tracks.ToArray() }, _spe, []);
        if (_params.Count > 0 && Chance(0.35))
        {
            var o = GenOverride();
            var withSet = c with { Overrides = [o] };
            if (Differential.IsValid(withSet)) c = withSet;
        }
        var metrics = tracks.Where(t => t.Body is not null).SelectMany(t => Plateaus(t.Body!)).Select(q => q.Metric).Distinct().ToArray();
        if (metrics.Length > 0) c = GenReports(c, metrics, total);
        return c;
    }

    static IEnumerable<Plat> Plateaus(Part p) => p switch
    {
        Plat q => [q],
        Seq s => s.Parts.SelectMany(Plateaus),
        Mul m => Plateaus(m.A),
        By b => Plateaus(b.A),
        From f => Plateaus(f.A),
        Rep r => Plateaus(r.Body),
        _ => [],
    };

    // ---- reports (§6) ----

    static readonly string[] Metrics = ["val_loss", "acc", "loss"];

    /// <summary>
    /// Reports of the watched metrics at nondecreasing positions (epoch ends, a grid, or random; repeats; some past the
    /// end), their values a scripted family (improving, flat, noisy, NaN, infinite, negative); sometimes a resume, through
    /// bytes or not, and a report the product must refuse.
    /// </summary>
    RunCase GenReports(RunCase c, string[] metrics, double total)
    {
        int n = _r.Next(0, 31);
        var positions = new double[n];
        // Mostly over one phase's span (from a little before it), else over the run: a grid (often epoch ends) or random steps.
        var spans = new Oracle(c).PlateauSpans;
        var (_, from, to) = Chance(0.5) ? spans.MaxBy(p => p.To - p.From) : Pick(spans);
        if (Chance(0.2) || !(to > from)) (from, to) = (0, total);
        double spread = Math.Max(0.1, Math.Round((to - from) / Math.Max(n, 1) * (0.5 + 0.8 * _r.NextDouble()), 1));
        double grid = Pick(new double[] { _spe, spread, spread, spread, 1, 0.5 });
        bool random = Chance(0.35);
        double x = Math.Max(0, Math.Floor(from - grid * _r.Next(0, 3)));
        for (int i = 0; i < n; i++)
        {
            if (random) x += Chance(0.15) ? 0 : Math.Round(_r.NextDouble() * 2.2 * (to - from) / Math.Max(n, 1) * 10) / 10;
            else x += Chance(0.08) ? 0 : grid;
            positions[i] = x;
        }
        string family = Pick(new[] { "improving", "flat", "flat", "noisy", "noisy", "noisy", "nan", "inf", "negative", "steps" });
        var reports = new Report[n];
        double level = Pick(new[] { 1.0, 0.5, 100, 2.3 });
        for (int i = 0; i < n; i++)
        {
            double v = family switch
            {
                "improving" => level * Math.Pow(0.9, i),
                "flat" => level,
                "negative" => -level - 0.01 * Math.Floor(i / 3.0),
                "steps" => level - 0.01 * Math.Floor(i / 4.0),
                _ => level / (1 + 0.1 * i) + 0.05 * level * (_r.NextDouble() - 0.5),
            };
            if (family == "nan" && Chance(0.25)) v = double.NaN;
            if (family == "inf" && Chance(0.2)) v = Chance(0.7) ? double.PositiveInfinity : double.NegativeInfinity;
            reports[i] = new Report(Pick(metrics), v, positions[i]);
        }
        c = c with { Reports = reports };
        if (Chance(0.35)) c = c with { ResumeAt = _r.Next(0, n + 1), ResumeThroughBytes = Chance(0.5) };
        if (Chance(0.2))
        {
            int at = _r.Next(0, n + 1);
            double last = at == 0 ? double.NegativeInfinity : positions[at - 1];
            var bad = _r.Next(4) switch
            {
                0 => new Report("nope", 0.5, double.IsNegativeInfinity(last) ? 0 : last),
                1 when last >= 1 => new Report(metrics[0], 0.5, last - 1),
                1 when last > 0 => new Report(metrics[0], 0.5, Math.BitDecrement(last)),
                2 => new Report(metrics[0], 0.5, Chance(0.5) ? double.NaN : double.PositiveInfinity),
                _ => new Report(metrics[0], 0.5, -0.5),
            };
            c = c with { BadReports = [(at, bad)] };
        }
        return c;
    }

    // ---- plateau phases (§6) ----

    /// <summary>A plateau phase: a start in the track's range, a metric, and each named argument present or left at its default.</summary>
    Plat GenPlateau(Ctx ctx, Dur? d)
    {
        Val start = ctx.Range switch
        {
            Range.Momentum => new Num(Pick(new[] { 0.9, 0.95, 0.85 })),
            Range.Any when Chance(0.2) => AnyConst(ctx),
            _ => PosConst(ctx),
        };
        Val? Maybe(double chance, Func<Val> make) => Chance(chance) ? make() : null;
        string? Word(double chance, params string[] words) => Chance(chance) ? Pick(words) : null;
        return new Plat(start, d, Pick(Metrics),
            Mode: Word(0.5, "min", "max"),
            ThresholdMode: Word(0.3, "rel", "abs"),
            Rule: Word(0.6, "torch", "keras", "fastai"),
            Factor: Maybe(0.7, () => _approx.ContainsKey("gamma") && Chance(0.3) ? new PRef("gamma") : new Num(Pick(new[] { 0.1, 0.5, 0.3, 0.9, 0.25, 0.75 }))),
            Patience: Maybe(0.9, () => new Num(Pick(new[] { 0.0, 1, 2, 3, 1, 0 }))),
            Threshold: Maybe(0.5, () => new Num(Pick(new[] { 0, 1e-4, 0.01, 0.05, 0.1, 0.02 }))),
            Cooldown: Maybe(0.4, () => new Num(Pick(new[] { 0.0, 1, 2, 3 }))),
            MinLr: Maybe(0.4, () => _approx.ContainsKey("low") && Chance(0.3) ? new PRef("low") : new Num(Pick(new[] { 0, 0, 1e-6, 1e-4, 0.01, 0.3 }))),
            Eps: Maybe(0.3, () => new Num(Pick(new[] { 0, 1e-8, 1e-3, 0.01 }))));
    }

    void GenParams()
    {
        int n = _r.Next(4);
        for (int i = 0; i < n; i++)
        {
            switch (_r.Next(6))
            {
                case 0: AddNum("peak", Pick(PosLits)); break;
                case 1: AddNum("gamma", Pick(new[] { 0.5, 0.1, 0.9 })); break;
                case 2: AddNum("n", Pick(new[] { 2.0, 3, 1.5, 2.5 })); break;
                case 3:
                {
                    double v = Pick(HardSteps);
                    if (Chance(0.3)) AddDur("warm", new DLit(1, Unit.Ep), _spe);
                    else AddDur("warm", new DLit(v, Unit.It), v);
                    break;
                }
                case 4:
                    // A default that uses an earlier parameter.
                    if (_params.Any(p => p.Name == "warm")) AddDur("warm2", Chance(0.5) ? new DScale(new Num(2), new DParam("warm"), true, false) : new DAdd(new DParam("warm"), new DLit(1, Unit.It), false), 2 * _approx["warm"] + 1);
                    else if (_params.Any(p => p.Name == "peak")) AddNum("low", new Bin('/', new PRef("peak"), new Num(10)), _approx["peak"] / 10);
                    break;
                default: AddDur("len", new DLit(Pick(HardSteps), Unit.It), 5); break;
            }
        }
    }

    void AddNum(string name, double v) => AddNum(name, new Num(v), v);

    void AddNum(string name, Val v, double approx)
    {
        if (_approx.ContainsKey(name)) return;
        _params.Add(new Param(name, v, null));
        _approx[name] = approx;
    }

    void AddDur(string name, Dur d, double approx)
    {
        if (_approx.ContainsKey(name)) return;
        _params.Add(new Param(name, null, d));
        _approx[name] = approx;
    }

    (string, Val?, Dur?) GenOverride()
    {
        var p = Pick(_params);
        if (p.IsDuration)
            return (p.Name, null, Chance(0.5) ? new DLit(Pick(new[] { 1.0, 2, 0.5 }), Unit.Ep) : new DLit(Pick(HardSteps), Unit.It));
        return (p.Name, p.Name == "n" ? new Num(Pick(new[] { 1.0, 2, 3, 2.5, 0.5 })) : new Num(Pick(PosLits)), null);
    }

    (Dur, double) GenTotal()
    {
        double steps = Chance(0.5) ? Pick(new double[] { 10, 20, 40, 70, 100, 150, 300, 95, 28.5, 59.7 }) : 5 + _r.Next(250);
        switch (_r.Next(5))
        {
            case 0:
            {
                double ep = Math.Max(1, Math.Round(steps / _spe));
                if (ep * _spe > 400) ep = Math.Max(1, Math.Floor(400.0 / _spe));
                return (new DLit(ep, Unit.Ep), ep * _spe);
            }
            case 1:
            {
                double ep = Math.Max(1, Math.Round(steps / _spe / 2));
                return (new DAdd(new DLit(ep, Unit.Ep), new DLit(3, Unit.It), false), ep * _spe + 3);
            }
            case 2:
                AddDur("total", new DLit(steps, Unit.It), steps);
                return (new DParam("total"), steps);
            default:
                return (new DLit(steps, Unit.It), steps);
        }
    }

    // ---- tracks ----

    Track GenTrack(string name, double total, bool hasOver)
    {
        var range = name switch { "lr" => Range.Positive, "momentum" or "mom" or "beta2" => Range.Momentum, "wd" => Range.Positive, _ => Range.Any };
        if ((name == "wd" && Chance(0.6)) || Chance(0.05))
            return new Track(name, null, range == Range.Momentum ? new Num(0.9) : range == Range.Positive ? PosConst(new Ctx { Range = range }) : AnyConst(new Ctx { Range = range }));
        var ctx = new Ctx { Range = range, PctBase = hasOver ? total : null };
        return new Track(name, GenSeq(ctx, total * (0.4 + 0.6 * _r.NextDouble()), hasOver && Chance(0.6), _r.Next(1, 5)), null);
    }

    /// <summary>A sum of parts about <paramref name="budget"/> long; one of them takes the rest when <paramref name="rest"/>.</summary>
    Part GenSeq(Ctx ctx, double budget, bool rest, int count)
    {
        int restIndex = rest ? _r.Next(count) : -1;
        var shares = Enumerable.Range(0, count).Select(_ => _r.NextDouble() + 0.1).ToArray();
        double sum = shares.Sum();
        var parts = new Part[count];
        for (int i = 0; i < count; i++) parts[i] = GenPart(ctx, budget * shares[i] / sum, i == restIndex);
        // A zero-length last segment still gives the final value (§4).
        if (Chance(0.1)) parts = [.. parts, GenSeg(ctx, ZeroDur(ctx))];
        return parts.Length == 1 ? parts[0] : new Seq(parts);
    }

    Part GenPart(Ctx ctx, double budget, bool takesRest)
    {
        if (takesRest)
        {
            int pick = _r.Next(10);
            Part p = !ctx.InRepeat && Chance(0.2) ? GenPlateau(ctx, Chance(0.5) ? null : new DRest()) : pick switch
            {
                < 4 => GenSeg(ctx, Chance(0.5) ? null : new DRest()),
                < 6 when ctx.Depth < 2 => GenFillRepeat(ctx, budget),
                < 8 when ctx.Depth < 2 => GenPctRepeat(ctx),
                _ => GenSeg(ctx, new DRest()),
            };
            // `A from d` keeps A's rest (§6).
            if (Chance(0.1)) p = new From(p, SmallDur(ctx));
            else if (Chance(0.1)) p = new Mul(p, Factor(ctx));
            return p;
        }
        int k = _r.Next(100);
        if (!ctx.InRepeat && Chance(0.08)) return GenPlateau(ctx, GenDur(ctx, budget));
        if (k < 55 || ctx.Depth >= 3) return GenSeg(ctx, GenDur(ctx, budget));
        var inner = new Ctx { Range = ctx.Range, PctBase = ctx.PctBase, InRepeat = ctx.InRepeat, Depth = ctx.Depth + 1 };
        if (k < 70 && ctx.Depth < 2) return GenCountRepeat(inner, budget);
        if (k < 77) return GenSeq(inner, budget, false, _r.Next(2, 4));
        if (k < 85) return new Mul(GenPart(inner, budget, false), Factor(ctx));
        if (k < 93) return new By(GenPart(inner, budget, false), Chance(0.5) ? null : new DLit(Pick(new double[] { 2, 3, 5, 1, 2.5 }), Unit.It));
        var a = GenPart(inner, budget * 1.3, false);
        return new From(a, SmallDur(ctx));
    }

    // ---- repeats ----

    Ctx BodyCtx(Ctx ctx, double? pctBase) => new() { Range = ctx.Range, PctBase = pctBase, InRepeat = true, Depth = ctx.Depth + 1 };

    Part GenCountRepeat(Ctx ctx, double budget)
    {
        Val count = GenCount(ctx);
        double n = Math.Max(0.5, Approx(count));
        Val? mult = Chance(0.35) ? new Num(Pick(Mults)) : null;
        double m = mult is Num mm ? mm.V : 1;
        double weight = m == 1 ? n : (Math.Pow(m, Math.Ceiling(n)) - 1) / (m - 1);
        double cycle = Math.Max(0.2, budget / Math.Max(weight, 0.5));
        if (Chance(0.5))
        {
            // every: the body is shorter than (or exactly) the cycle; inside, % and rest refer to the cycle.
            var (every, len) = ctx.PctBase is double b && Chance(0.25) ? PctDur(ctx, cycle / b * 100) : AbsDur(cycle);
            if (len <= 0) { every = new DLit(1, Unit.It); len = 1; }
            return new Rep(count, mult, every, GenEveryBody(ctx, len));
        }
        var body = GenSeq(BodyCtx(ctx, null), cycle, false, _r.Next(1, 3));
        return new Rep(count, mult, null, body);
    }

    Part GenEveryBody(Ctx ctx, double cycle)
    {
        var inner = BodyCtx(ctx, cycle);
        return _r.Next(4) switch
        {
            0 => GenSeq(inner, cycle, true, _r.Next(1, 3)),                          // a part takes the cycle's rest
            1 => GenSeq(inner, cycle * (0.2 + 0.5 * _r.NextDouble()), false, _r.Next(1, 3)), // shorter: holds
            2 => PctBody(inner, Chance(0.5) ? 100 : Pick(new double[] { 50, 75, 90, 30 })),
            _ => GenSeq(inner, cycle * 0.9, false, _r.Next(1, 3)),
        };
    }

    Part GenFillRepeat(Ctx ctx, double budget)
    {
        Val? mult = Chance(0.3) ? new Num(Pick(new[] { 1.5, 2, 3, 1 })) : null;
        double cycle = Math.Max(0.3, budget / _r.Next(1, 5));
        if (Chance(0.4))
        {
            var (every, len) = AbsDur(cycle);
            if (len <= 0) { every = new DLit(2, Unit.It); len = 2; }
            return new Rep(null, mult, every, GenEveryBody(ctx, len));
        }
        return new Rep(null, mult, null, GenSeq(BodyCtx(ctx, null), cycle, false, _r.Next(1, 3)));
    }

    Part GenPctRepeat(Ctx ctx)
    {
        Val count = GenCount(ctx);
        Val? mult = Chance(0.3) ? new Num(Pick(new[] { 1.5, 2, 3, 0.5 })) : null;
        var inner = BodyCtx(ctx, 1);
        return new Rep(count, mult, null, PctBody(inner, Chance(0.6) ? 100 : Pick(new double[] { 50, 80, 25 })));
    }

    /// <summary>A body of % durations only, adding up to about <paramref name="pct"/> %.</summary>
    Part PctBody(Ctx ctx, double pct)
    {
        int n = _r.Next(1, 4);
        var parts = new List<Part>();
        double left = pct;
        for (int i = 0; i < n; i++)
        {
            double share = i == n - 1 ? left : Math.Round(left * _r.NextDouble());
            left -= share;
            Dur d = new DLit(share, Unit.Pct);
            if (Chance(0.15) && share > 0) d = new DScale(new Num(2), new DLit(share / 2, Unit.Pct), true, false);
            Part p = GenSeg(ctx, d);
            if (Chance(0.1)) p = new Mul(p, Factor(ctx));
            parts.Add(p);
        }
        if (Chance(0.15)) parts.Add(GenSeg(ctx, new DLit(0, Unit.Pct))); // zero-length last segment inside a repeat
        return parts.Count == 1 ? parts[0] : new Seq(parts.ToArray());
    }

    Val GenCount(Ctx ctx)
    {
        int k = _r.Next(10);
        if (k == 0 && ctx.PctBase is not null) return new Ratio(new DLit(100, Unit.Pct), new DLit(Pick(new double[] { 25, 50, 40 }), Unit.Pct));
        if (k == 1 && _approx.ContainsKey("n")) return new PRef("n");
        if (k == 2) return new Ratio(new DLit(Pick(new double[] { 3, 5, 2 }), Unit.It), new DLit(Pick(new double[] { 1, 2 }), Unit.It));
        return new Num(Pick(Counts));
    }

    // ---- segments and values ----

    Seg GenSeg(Ctx ctx, Dur? d)
    {
        var kinds = ctx.Range == Range.Momentum
            ? new[] { SegKind.Lin, SegKind.Cos, SegKind.Const, SegKind.Poly, SegKind.Exp, SegKind.Fn }
            : new[] { SegKind.Lin, SegKind.Cos, SegKind.Exp, SegKind.Poly, SegKind.Poly, SegKind.Const, SegKind.Fn, SegKind.Fn };
        var kind = Pick(kinds);
        switch (kind)
        {
            case SegKind.Const: return new Seg(kind, Const(ctx), null, null, d);
            case SegKind.Fn: return new Seg(kind, FnExpr(ctx), null, null, d);
            case SegKind.Exp:
            {
                Val a = PosConst(ctx, true), b = PosConst(ctx, true);
                if (ctx.Range == Range.Momentum) (a, b) = (new Num(Pick(new[] { 0.85, 0.9, 0.95 })), new Num(Pick(new[] { 0.85, 0.9, 0.95 })));
                else if (ctx.Range == Range.Any && Chance(0.4)) (a, b) = (new Neg(a), new Neg(b)); // same sign, negative
                return new Seg(kind, a, b, null, d);
            }
            case SegKind.Poly:
                return new Seg(kind, Const(ctx), Const(ctx), Chance(0.8) ? new Num(Pick(Powers)) : null, d);
            default:
                return new Seg(kind, Const(ctx), Const(ctx), null, d);
        }
    }

    Val Const(Ctx ctx) => ctx.Range switch
    {
        Range.Momentum => new Num(Pick(new[] { 0.85, 0.9, 0.95, 0.88, 0.8 })),
        Range.Positive => PosConst(ctx),
        _ => AnyConst(ctx),
    };

    Val PosConst(Ctx ctx, bool nonzero = true)
    {
        int k = _r.Next(12);
        if (k == 0 && _approx.ContainsKey("peak")) return new PRef("peak");
        if (k == 1 && _approx.ContainsKey("low")) return new PRef("low");
        if (k == 2 && ctx.InRepeat) return new Bin('*', new Num(Pick(PosLits)), new Bin('^', new Num(0.5), new Var("cycle")));
        if (k == 3 && ctx.InRepeat) return new Bin('*', new Num(Pick(PosLits)), new Bin('+', new Var("cycle"), new Num(1)));
        if (k == 4 && _approx.ContainsKey("warm")) return new Bin('*', new Num(0.01), new Ratio(new DParam("warm"), new DLit(1, Unit.It)));
        if (k == 5) return new Bin('/', new Num(Pick(PosLits)), new Num(10));
        if (k == 6 && ctx.PctBase is not null) return new Bin('*', new Num(0.01), new Ratio(new DLit(Pick(Percents.Where(p => p > 0).ToArray()), Unit.Pct), new DLit(1, Unit.It)));
        if (k == 7) return new Bin('*', new Num(0.3), new Bin('+', new Num(1), new Bisect([1, 2.5, 4], new Num(Pick(new[] { 0.5, 2, 2.5, 5 })))));
        if (k == 8 && !nonzero) return new Num(0);
        return new Num(Pick(PosLits));
    }

    Val AnyConst(Ctx ctx)
    {
        int k = _r.Next(6);
        if (k == 0) return new Neg(PosConst(ctx));
        if (k == 1) return new Num(-Pick(PosLits));
        if (k == 2) return new Num(Pick(new[] { 0.0, 3, -2, 10, -0.5 }));
        return PosConst(ctx);
    }

    static Val N(double v) => new Num(v);
    static Val B(char op, Val l, Val r) => new Bin(op, l, r);
    static Val V(string n) => new Var(n);
    static Val F(string f, params Val[] a) => new Call(f, a);

    /// <summary>An fn body reading p, t, step, epoch (and cycle in a repeat): positive for lr, in range for momentum.</summary>
    Val FnExpr(Ctx ctx)
    {
        if (ctx.Range == Range.Momentum)
            return Pick(new[] { B('-', N(0.95), B('*', N(0.1), V("p"))), B('+', N(0.85), B('*', N(0.1), B('/', N(1), B('+', N(1), V("step"))))), B('-', N(0.9), B('*', N(0.05), V("t"))) });
        var v = PosFn(ctx);
        if (Chance(0.3)) v = B(Chance(0.5) ? '+' : '*', v, PosFn(ctx));
        if (ctx.Range == Range.Any && Chance(0.5)) v = B(Chance(0.5) ? '+' : '-', v, AnyFn(ctx));
        return v;
    }

    Val PosFn(Ctx ctx)
    {
        Val c = N(Pick(PosLits)), c2 = N(Pick(PosLits));
        int k = _r.Next(14);
        return k switch
        {
            0 => B('+', c, B('*', c2, V("p"))),
            1 => B('/', c, B('+', N(1), V("step"))),
            2 => B('*', c, F("exp", new Neg(V("t")))),
            3 => B('*', c, B('^', _approx.ContainsKey("gamma") ? new PRef("gamma") : N(0.5), new Bisect(Milestones(), V("epoch")))),
            4 => B('+', B('/', B('*', c, B('+', N(1), F("cos", B('*', V("pi"), V("p"))))), N(2)), c2),
            5 => B('+', B('*', c, F("min", N(1), B('/', V("step"), MinOne()))), c2),
            6 => B('*', F("sqrt", B('+', V("step"), N(1))), c),
            7 => B('*', c, B('^', N(0.9), F("floor", V("epoch")))),
            8 => B('+', B('*', c, B('^', V("p"), N(Pick(Powers)))), c2),
            9 => F("max", c, B('*', c2, B('-', N(1), V("t")))),
            10 when ctx.InRepeat => B('*', c, B('+', V("cycle"), N(1))),
            11 => B('*', c, B('/', N(1), B('+', N(1), B('*', V("step"), V("step"))))),
            12 => B('+', c, B('*', c2, F("floor", B('/', V("step"), N(3))))),
            _ => B('/', N(1), B('+', N(1), V("step"))),
        };
    }

    Val MinOne() => _approx.ContainsKey("warm") && Chance(0.5) ? new Ratio(new DParam("warm"), new DLit(1, Unit.It)) : N(Pick(new double[] { 10, 5, 20 }));

    double[] Milestones()
    {
        double a = Pick(new double[] { 1, 2, 0.5, 3 });
        return Chance(0.5) ? [a] : [a, a + Pick(new double[] { 1, 2, 5 })];
    }

    Val AnyFn(Ctx ctx) => _r.Next(9) switch
    {
        0 => B('*', N(Pick(PosLits)), F("sin", V("step"))),
        1 => F("tanh", B('-', B('/', V("step"), N(10)), N(1))),
        2 => B('-', V("step"), N(10)),
        3 => F("floor", B('/', V("step"), N(3))),
        4 => B('*', N(2), B('-', V("t"), N(0.5))),
        5 => B('*', F("abs", B('-', V("step"), N(7))), N(0.1)),
        6 => F("log", B('+', N(1), V("step"))),
        7 when ctx.InRepeat => B('-', V("cycle"), V("p")),
        _ => new Neg(V("p")),
    };

    Val Factor(Ctx ctx)
    {
        var list = new List<Val>
        {
            B('+', N(1), V("p")), B('+', N(0.51), B('*', N(0.5), F("cos", B('*', V("pi"), V("p"))))),
            B('^', N(0.9), F("floor", V("epoch"))), B('-', N(1), B('*', N(0.5), V("t"))), F("exp", B('/', new Neg(V("step")), N(50))),
            B('-', N(2), V("p")), N(0.5), F("min", N(1), B('+', B('/', V("step"), N(10)), N(0.1))),
        };
        if (ctx.InRepeat) list.Add(B('+', V("cycle"), N(1)));
        if (ctx.Range == Range.Any) { list.Add(B('-', V("p"), N(0.5))); list.Add(F("sin", V("step"))); }
        if (ctx.Range == Range.Momentum) return B('-', N(1), B('*', N(0.05), V("p")));
        return Pick(list);
    }

    // ---- durations ----

    Dur? ZeroDur(Ctx ctx) => _r.Next(3) switch
    {
        0 => new DLit(0, Unit.It),
        1 when ctx.PctBase is not null => new DLit(0, Unit.Pct),
        _ => new DLit(0, Chance(0.5) ? Unit.Ep : Unit.It),
    };

    Dur SmallDur(Ctx ctx) => _r.Next(6) switch
    {
        0 => new DLit(1, Unit.It),
        1 => new DLit(0.3, Unit.It),
        2 when _approx.ContainsKey("warm") => new DParam("warm"),
        3 when ctx.PctBase is not null => new DLit(Pick(new double[] { 5, 10, 0 }), Unit.Pct),
        4 => new DLit(1, Unit.Ep),
        _ => new DLit(Pick(new double[] { 2, 0.7, 1.8 }), Unit.It),
    };

    Dur GenDur(Ctx ctx, double budget)
    {
        if (Chance(0.07)) return ZeroDur(ctx)!;
        if (ctx.PctBase is double b && Chance(0.3)) return PctDur(ctx, budget / b * 100).Item1;
        var (d, _) = AbsDur(budget);
        if (ctx.PctBase is not null && Chance(0.1)) d = new DAdd(new DLit(Pick(new double[] { 5, 10 }), Unit.Pct), d, false);
        return d;
    }

    (Dur, double) PctDur(Ctx ctx, double pct)
    {
        var ok = Percents.Where(p => p <= Math.Max(pct, 1)).ToArray();
        double v = ok.Length > 0 ? Pick(ok) : 1;
        if (Chance(0.1) && _approx.ContainsKey("gamma")) return (new DScale(new PRef("gamma"), new DLit(v, Unit.Pct), true, false), v * (ctx.PctBase ?? 1) / 100);
        return (new DLit(v, Unit.Pct), v * (ctx.PctBase ?? 1) / 100);
    }

    /// <summary>An absolute duration of about <paramref name="budget"/> steps, sometimes with arithmetic.</summary>
    (Dur, double) AbsDur(double budget)
    {
        budget = Math.Max(budget, 0.1);
        var fits = HardSteps.Where(s => s <= budget).ToArray();
        int k = _r.Next(10);
        (Dur, double) basic = k switch
        {
            < 4 when fits.Length > 0 => Lit(Pick(fits)),
            4 => Lit(Math.Max(1, Math.Floor(budget * _r.NextDouble()))),
            5 => Lit(Math.Round(budget * _r.NextDouble() * 10) / 10),
            6 when _spe <= budget => EpLit(budget),
            7 when _approx.TryGetValue("warm", out double w) && w <= budget => (new DParam("warm"), w),
            8 when _approx.TryGetValue("warm2", out double w2) && w2 <= budget => (new DParam("warm2"), w2),
            _ => Lit(Math.Max(0.1, Math.Floor(budget))),
        };
        var (d, v) = basic;
        switch (_r.Next(12))
        {
            case 0: return (new DScale(new Num(2), d, true, false), 2 * v);
            case 1: return (new DAdd(d, new DLit(1, Unit.It), false), v + 1);
            case 2: return (new DScale(new Num(3), d, false, true), v / 3);
            case 3 when v > 1: return (new DAdd(d, new DLit(0.5, Unit.It), true), v - 0.5);
            case 4: return (new DAdd(new DScale(new Num(0.3), new DLit(10, Unit.It), true, false), new DLit(1, Unit.It), true), 2);
            case 5: return (new DScale(new Num(1.5), d, false, false), 1.5 * v);
            default: return (d, v);
        }
    }

    static (Dur, double) Lit(double steps) => (new DLit(steps, Unit.It), steps);

    (Dur, double) EpLit(double budget)
    {
        double ep = Pick(new[] { 1, 2, 0.5, 1.5, 3, 0.25 }.Where(e => e * _spe <= budget).DefaultIfEmpty(1).ToArray());
        return (new DLit(ep, Unit.Ep), ep * _spe);
    }

    double Approx(Val v) => v switch
    {
        Num n => n.V,
        PRef r => _approx.GetValueOrDefault(r.Name, 1),
        Ratio { A: DLit a, B: DLit b } => a.N / b.N,
        _ => 1,
    };
}
