namespace Sched.Reference.Tests;

/// <summary>The model breaks a rule of the reference (a negative duration, a body longer than its cycle, …): not a run to compare.</summary>
public sealed class InvalidModelException(string message) : Exception(message);

/// <summary>
/// A literal, slow evaluator of docs/language.md §4–§7 over the oracle's own model. Lengths are measured once
/// (§7 "Lengths"), parts are placed at (S, σ) while evaluating (§7 "Placing"), and the value, end value and
/// value from the left follow §7 word for word. It shares no code with the product.
/// </summary>
public sealed class Oracle
{
    // ---- measured tree: each node knows its length at scale 1 (§7 "Lengths") ----

    abstract class M
    {
        public double Len;
    }

    sealed class MSeg : M
    {
        public required Seg Seg;
        public required Scope Scope;
    }

    sealed class MSeq : M
    {
        public required M[] Parts;
        public required double[] Offsets; // o(i): lengths of the parts before i, added left to right
    }

    sealed class MMul : M
    {
        public required M A;
        public required Val Factor;
        public required Scope Scope;
    }

    sealed class MBy : M
    {
        public required M A;
        public double Quantum; // B: steps per epoch for `by epoch`, else the duration in steps
    }

    sealed class MFrom : M
    {
        public required M A;
        public double D;
    }

    sealed class MRep : M
    {
        public required M Body;
        public double L;       // cycle 0's length
        public int K;          // the last cycle
        public double F;       // its fraction, in (0, 1]
        public double Mult;    // 1 without mult
        public bool HasMult;   // mult written and ≠ 1
    }

    /// <summary>
    /// A plateau phase (§6): its numbers, where it is placed, and what the reports decided: the reductions (the position each
    /// holds from, and the value after it), the best report, the bad reports and the cooldown left.
    /// </summary>
    sealed class MPlat : M
    {
        public required Plat Plat;
        public double Start, Factor, Threshold, MinLr, Eps;
        public int Patience, Cooldown;
        public bool Max, Rel;
        public string Rule = "torch";
        public double From = double.NaN;
        public readonly List<(double Position, double Value)> Reductions = new();
        public double Best;
        public int Bad, CooldownLeft;

        public double Current => Reductions.Count == 0 ? Start : Reductions[^1].Value;

        /// <summary>The start value after the reductions decided at or before <paramref name="x"/>.</summary>
        public double At(double x)
        {
            double v = Start;
            foreach (var (position, value) in Reductions)
                if (position <= x) v = value;
            return v;
        }
    }

    /// <summary>What a value needs besides the position: the `%` base where it is written (for ratios).</summary>
    sealed record Scope(double? PctBase);

    /// <summary>How durations are read where they are written: the `%` base and the `rest` of the enclosing scope.</summary>
    sealed record DurCtx(double? PctBase, double? Rest, string Where);

    readonly Dictionary<string, double> _params = new();
    readonly HashSet<string> _durationParams = new();
    readonly int _spe;
    readonly List<(Track Track, M? Top)> _tracks = new();
    readonly List<MPlat> _plateaus = new();
    const int MaxCycles = 20000;

    public double Total { get; }

    /// <summary>The plateau phases, and the reductions the reports decided in them (for the run summary).</summary>
    public int PlateauCount => _plateaus.Count;

    public int ReductionCount => _plateaus.Sum(p => p.Reductions.Count);

    /// <summary>Each plateau phase's metric and span, for the generator to aim its reports.</summary>
    public IReadOnlyList<(string Metric, double From, double To)> PlateauSpans => _plateaus.Select(p => (p.Plat.Metric, p.From, p.From + p.Len)).ToArray();
    public RunCase Case { get; }
    public IReadOnlyList<string> TrackNames => _tracks.Select(t => t.Track.Name).ToArray();

    public Oracle(RunCase c)
    {
        Case = c;
        _spe = c.StepsPerEpoch;
        var s = c.Schedule;
        // Parameters in order: a default may use earlier ones; an override replaces the value (and later defaults see it).
        foreach (var p in s.Params)
        {
            var o = c.Overrides.FirstOrDefault(x => x.Name == p.Name);
            bool overridden = o.Name is not null;
            if (p.IsDuration)
            {
                _durationParams.Add(p.Name);
                double v = Duration(overridden ? o.Dur ?? throw new InvalidModelException($"{p.Name} is a duration") : p.Dur!, new DurCtx(null, null, "parameter " + p.Name));
                NonNegative(v, "parameter " + p.Name);
                _params[p.Name] = v;
            }
            else
            {
                _params[p.Name] = Constant(overridden ? o.Num ?? throw new InvalidModelException($"{p.Name} is a number") : p.Num!, new Scope(null));
            }
        }

        if (s.Over is not null)
        {
            Total = Duration(s.Over, new DurCtx(null, null, "over"));
            if (!(Total > 0)) throw new InvalidModelException("total must be positive");
            foreach (var t in s.Tracks) _tracks.Add((t, t.Body is null ? null : MeasureTrack(t.Body, Total)));
        }
        else
        {
            // Without `over` the total is the longest track (bare-value tracks last the total, so they do not count).
            foreach (var t in s.Tracks) _tracks.Add((t, t.Body is null ? null : Measure(t.Body, new DurCtx(null, null, "track"), restAsZero: false)));
            Total = _tracks.Where(t => t.Top is not null).Select(t => t.Top!.Len).DefaultIfEmpty(double.NaN).Max();
            if (!(Total > 0)) throw new InvalidModelException("no track gives a positive total");
        }
        foreach (var (t, top) in _tracks)
            if (top is not null && top.Len > Total) throw new InvalidModelException($"track {t.Name} lasts {top.Len}, longer than the total {Total}");

        // §6: place the plateau phases, then give them the reports in order.
        foreach (var (_, top) in _tracks)
            if (top is not null) Place(top, 0, 1);
        ReplayReports(c);
    }

    /// <summary>Where each plateau phase starts in its track: a sum's offsets, `from d` moving it back by d (no repeat holds one).</summary>
    void Place(M node, double s, double sigma)
    {
        switch (node)
        {
            case MPlat p: p.From = s; _plateaus.Add(p); break;
            case MSeq q: for (int i = 0; i < q.Parts.Length; i++) Place(q.Parts[i], s + q.Offsets[i] * sigma, sigma); break;
            case MMul m: Place(m.A, s, sigma); break;
            case MBy b: Place(b.A, s, sigma); break;
            case MFrom f: Place(f.A, s - f.D * sigma, sigma); break;
        }
    }

    /// <summary>The reports of the case, in order: each goes to every phase watching its metric whose span [start, start + length) holds its position.</summary>
    void ReplayReports(RunCase c)
    {
        var watched = _plateaus.Select(p => p.Plat.Metric).ToHashSet();
        double last = double.NegativeInfinity;
        foreach (var r in c.Reports)
        {
            if (!watched.Contains(r.Metric)) throw new InvalidModelException($"a report of {r.Metric}, which no phase watches");
            if (!(r.Position >= 0) || double.IsInfinity(r.Position) || r.Position < last) throw new InvalidModelException($"a report at {r.Position} after {last}");
            last = r.Position;
            foreach (var p in _plateaus)
                if (p.Plat.Metric == r.Metric && p.From <= r.Position && r.Position < p.From + p.Len) Decide(p, r.Value, r.Position);
        }
        // A refused report must be one §6 calls an error where it is given: an unwatched metric, a position before the
        // last report's, or one that is not a finite count of steps.
        foreach (var (index, bad) in c.BadReports)
        {
            double before = index == 0 ? double.NegativeInfinity : c.Reports[index - 1].Position;
            bool error = !watched.Contains(bad.Metric) || !(bad.Position >= 0) || double.IsInfinity(bad.Position) || bad.Position < before;
            if (!error) throw new InvalidModelException($"report {bad} at {index} is not an error");
        }
    }

    /// <summary>One report by the phase's rule, as docs/language.md §6 lists the steps.</summary>
    static void Decide(MPlat p, double v, double position)
    {
        switch (p.Rule)
        {
            case "keras":
                if (p.CooldownLeft > 0) { p.CooldownLeft--; p.Bad = 0; }
                if (p.Max ? v > p.Best + p.Threshold : v < p.Best - p.Threshold) { p.Best = v; p.Bad = 0; }
                else if (p.CooldownLeft == 0)
                {
                    p.Bad++;
                    if (p.Bad >= p.Patience)
                    {
                        if (p.Current > p.MinLr) Reduce(p, position);
                        p.CooldownLeft = p.Cooldown;
                        p.Bad = 0;
                    }
                }
                break;
            case "fastai":
                if (p.Max ? v - p.Threshold > p.Best : v + p.Threshold < p.Best) { p.Best = v; p.Bad = 0; }
                else
                {
                    p.Bad++;
                    if (p.Bad >= p.Patience) { Reduce(p, position); p.Bad = 0; }
                }
                break;
            default:
                bool better = p.Max
                    ? (p.Rel ? v > p.Best * (1 + p.Threshold) : v > p.Best + p.Threshold)
                    : (p.Rel ? v < p.Best * (1 - p.Threshold) : v < p.Best - p.Threshold);
                if (better) { p.Best = v; p.Bad = 0; }
                else p.Bad++;
                if (p.CooldownLeft > 0) { p.CooldownLeft--; p.Bad = 0; }
                if (p.Bad > p.Patience) { Reduce(p, position); p.CooldownLeft = p.Cooldown; p.Bad = 0; }
                break;
        }
    }

    /// <summary>max(value × factor, min_lr), made only if that is below the value by more than eps.</summary>
    static void Reduce(MPlat p, double position)
    {
        double value = p.Current, reduced = Math.Max(value * p.Factor, p.MinLr);
        if (value - reduced > p.Eps) p.Reductions.Add((position, reduced));
    }

    M MeasureTrack(Part body, double total)
    {
        // `rest` is the total minus the track's length with its rest taken as 0 (§7).
        var zero = Measure(body, new DurCtx(total, 0, "track"), restAsZero: true);
        double rest = total - zero.Len;
        if (rest < 0) throw new InvalidModelException($"rest is negative ({rest})");
        return Measure(body, new DurCtx(total, rest, "track"), restAsZero: false);
    }

    // ---- durations (§4): N ep → N × spe, N % → N × B / 100, then arithmetic in source order ----

    double Duration(Dur d, DurCtx c) => d switch
    {
        DLit { U: Unit.It } l => l.N,
        DLit { U: Unit.Ep } l => _spe > 0 ? l.N * _spe : throw new InvalidModelException("ep needs a steps per epoch"),
        DLit { U: Unit.Pct } l => c.PctBase is double b ? l.N * b / 100 : throw new InvalidModelException($"% without a base ({c.Where})"),
        DParam p => _durationParams.Contains(p.Name) ? _params[p.Name] : throw new InvalidModelException($"{p.Name} is not a duration"),
        DAdd a => a.Minus ? Duration(a.L, c) - Duration(a.R, c) : Duration(a.L, c) + Duration(a.R, c),
        DScale { Left: true } s => Factor(s.F) * Duration(s.D, c),
        DScale { Divide: true } s => Duration(s.D, c) / Factor(s.F),
        DScale s => Duration(s.D, c) * Factor(s.F),
        DRest => c.Rest ?? throw new InvalidModelException($"rest is not available ({c.Where})"),
        _ => throw new ArgumentException(d.ToString()),
    };

    double Factor(Val f) => Constant(f, new Scope(null));

    static void NonNegative(double v, string what)
    {
        if (!(v >= 0) || double.IsInfinity(v)) throw new InvalidModelException($"{what}: duration {v} is negative or not finite");
    }

    // ---- §7 Lengths ----

    M Measure(Part part, DurCtx c, bool restAsZero)
    {
        switch (part)
        {
            case Seg g:
            {
                double len = g.D is null ? (c.Rest ?? throw new InvalidModelException("an omitted duration means rest, which is not available here")) : Duration(g.D, c);
                if (g.D is null || g.D is DRest) len = restAsZero ? 0 : len;
                if (!restAsZero) NonNegative(len, "segment");
                // exp needs nonzero ends of one sign even where no position reads it (checked for cycle 0 when ends use `cycle`).
                if (g.Kind == SegKind.Exp)
                {
                    var env = new Env(double.NaN, double.NaN, 0);
                    double a = Value(g.A, env, new Scope(c.PctBase), positional: false), b = Value(g.B!, env, new Scope(c.PctBase), positional: false);
                    if (a == 0 || b == 0 || Math.Sign(a) != Math.Sign(b)) throw new InvalidModelException("exp across zero");
                }
                return new MSeg { Seg = g, Scope = new Scope(c.PctBase), Len = len };
            }
            case Seq s:
            {
                if (s.Parts.Length == 0) throw new InvalidModelException("empty sequence");
                var parts = s.Parts.Select(p => Measure(p, c, restAsZero)).ToArray();
                var offsets = new double[parts.Length];
                for (int i = 1; i < parts.Length; i++) offsets[i] = offsets[i - 1] + parts[i - 1].Len;
                return new MSeq { Parts = parts, Offsets = offsets, Len = offsets[^1] + parts[^1].Len };
            }
            case Mul m:
            {
                var a = Measure(m.A, c, restAsZero);
                return new MMul { A = a, Factor = m.M, Scope = new Scope(c.PctBase), Len = a.Len };
            }
            case By b:
            {
                var a = Measure(b.A, c, restAsZero);
                double q = b.Quantum is null ? _spe : Duration(b.Quantum, c);
                if (!(q > 0)) throw new InvalidModelException("by needs a positive quantum");
                return new MBy { A = a, Quantum = q, Len = a.Len };
            }
            case From f:
            {
                var a = Measure(f.A, c, restAsZero);
                double d = Duration(f.D, c);
                if (!restAsZero)
                {
                    NonNegative(d, "from");
                    if (d > a.Len) throw new InvalidModelException($"from {d} exceeds the part's length {a.Len}");
                }
                return new MFrom { A = a, D = d, Len = a.Len - d };
            }
            case Rep r:
                return MeasureRepeat(r, c, restAsZero);
            case Plat q:
                return MeasurePlateau(q, c, restAsZero);
            default:
                throw new ArgumentException(part.ToString());
        }
    }

    // §6: a segment whose length is its duration (rest when left out); its arguments are numbers fixed at layout.
    M MeasurePlateau(Plat q, DurCtx c, bool restAsZero)
    {
        if (c.Where.Contains("body", StringComparison.Ordinal)) throw new InvalidModelException("a plateau phase cannot sit inside a repeat");
        double len = q.D is null ? (c.Rest ?? throw new InvalidModelException("an omitted duration means rest, which is not available here")) : Duration(q.D, c);
        if (q.D is null || q.D is DRest) len = restAsZero ? 0 : len;
        if (!restAsZero) NonNegative(len, "plateau");
        var scope = new Scope(c.PctBase);
        double Number(Val? v, double fallback) => v is null ? fallback : Constant(v, scope);
        var p = new MPlat
        {
            Plat = q, Len = len, Start = Constant(q.Start, scope),
            Factor = Number(q.Factor, 0.1), Threshold = Number(q.Threshold, 1e-4), MinLr = Number(q.MinLr, 0), Eps = Number(q.Eps, 1e-8),
            Max = (q.Mode ?? "min") == "max", Rel = (q.ThresholdMode ?? "rel") == "rel", Rule = q.Rule ?? "torch",
        };
        double patience = Number(q.Patience, 10), cooldown = Number(q.Cooldown, 0);
        // Readings chosen: patience and cooldown count reports (whole, 0 or more); threshold and eps are 0 or more.
        if (!(p.Factor > 0 && p.Factor < 1)) throw new InvalidModelException($"factor {p.Factor} is not in (0, 1)");
        if (!(patience >= 0 && patience == Math.Floor(patience) && patience < 1e9)) throw new InvalidModelException($"patience {patience}");
        if (!(cooldown >= 0 && cooldown == Math.Floor(cooldown) && cooldown < 1e9)) throw new InvalidModelException($"cooldown {cooldown}");
        if (!(p.Threshold >= 0) || !(p.Eps >= 0) || !double.IsFinite(p.MinLr) || !double.IsFinite(p.Start)) throw new InvalidModelException("plateau arguments out of range");
        p.Patience = (int)patience;
        p.Cooldown = (int)cooldown;
        p.Best = p.Max ? double.NegativeInfinity : double.PositiveInfinity;
        return p;
    }

    // Which durations make a body's length: a nested `every` repeat contributes its `every`, not its body.
    static IEnumerable<Dur> LengthDurations(Part p) => p switch
    {
        Seg g => g.D is null ? [new DRest()] : [g.D],
        Seq s => s.Parts.SelectMany(LengthDurations),
        Mul m => LengthDurations(m.A),
        By b => LengthDurations(b.A),
        From f => LengthDurations(f.A).Append(f.D),
        Rep { Every: not null } r => [r.Every],
        Rep r => LengthDurations(r.Body),
        Plat q => q.D is null ? [new DRest()] : [q.D],
        _ => [],
    };

    static bool HasPct(Dur d) => d switch
    {
        DLit l => l.U == Unit.Pct,
        DAdd a => HasPct(a.L) || HasPct(a.R),
        DScale s => HasPct(s.D),
        _ => false,
    };

    static bool IsPctOnly(Dur d) => d switch
    {
        DLit l => l.U == Unit.Pct,
        DAdd a => IsPctOnly(a.L) && IsPctOnly(a.R),
        DScale s => IsPctOnly(s.D),
        _ => false,
    };

    /// <summary>c(k) = k × (L × σ), or with mult (L × σ) × (m^k − 1) / (m − 1): computed, never summed.</summary>
    static double CycleStart(MRep r, int k, double sigma) =>
        r.HasMult ? r.L * sigma * (Math.Pow(r.Mult, k) - 1) / (r.Mult - 1) : k * (r.L * sigma);

    static double CycleScale(MRep r, int k, double sigma) => r.HasMult ? sigma * Math.Pow(r.Mult, k) : sigma;

    M MeasureRepeat(Rep r, DurCtx c, bool restAsZero)
    {
        double m = r.Mult is null ? 1 : Constant(r.Mult, new Scope(c.PctBase));
        if (!(m > 0) || double.IsInfinity(m)) throw new InvalidModelException("mult must be positive");
        double? n = r.Count is null ? null : Constant(r.Count, new Scope(c.PctBase));
        if (n is double nn && !(nn > 0 && nn < MaxCycles)) throw new InvalidModelException($"count {nn}");
        var lengthDurs = LengthDurations(r.Body).ToArray();
        bool pctOnly = r.Every is null && lengthDurs.Length > 0 && lengthDurs.All(IsPctOnly);
        bool fillsRest = r.Count is null || pctOnly;
        if (fillsRest && c.Rest is null) throw new InvalidModelException("a repeat that fills the rest needs a rest");
        var rep = new MRep { Body = null!, Mult = m, HasMult = m != 1 };

        if (r.Every is not null)
        {
            // Inside `every`, % and rest refer to the cycle (cycle 0's length).
            rep.L = Duration(r.Every, c);
            if (!(rep.L > 0)) throw new InvalidModelException("every must be positive");
            var zero = Measure(r.Body, new DurCtx(rep.L, 0, "every body"), restAsZero: true);
            rep.Body = Measure(r.Body, new DurCtx(rep.L, rep.L - zero.Len, "every body"), restAsZero: false);
            if (rep.Body.Len > rep.L) throw new InvalidModelException($"body {rep.Body.Len} longer than its cycle {rep.L}");
        }
        else if (pctOnly)
        {
            if (n is null) throw new InvalidModelException("repeat { %-only body } needs a count");
            if (restAsZero) return new MRep { Body = null!, Len = 0 };
            // The rest is shared among cycles in proportion to mult^k, the last weighing f × mult^K.
            int kk = (int)Math.Ceiling(n.Value) - 1;
            double ff = n.Value - kk;
            double weight = rep.HasMult ? (Math.Pow(m, kk) - 1) / (m - 1) + ff * Math.Pow(m, kk) : n.Value;
            rep.L = c.Rest!.Value / weight;
            if (!(rep.L > 0)) throw new InvalidModelException("a %-only repeat over no rest");
            rep.Body = Measure(r.Body, new DurCtx(rep.L, null, "%-only body"), restAsZero: false);
            if (rep.Body.Len > rep.L) throw new InvalidModelException($"body {rep.Body.Len}% over 100 %");
        }
        else
        {
            if (lengthDurs.Any(HasPct)) throw new InvalidModelException("a body mixing % with absolute durations needs every");
            rep.Body = Measure(r.Body, new DurCtx(null, null, "repeat body"), restAsZero: false);
            rep.L = rep.Body.Len;
            if (!(rep.L > 0)) throw new InvalidModelException("a repeat of a body of length 0");
        }

        if (fillsRest)
        {
            if (restAsZero) { rep.Len = 0; return rep; }
            double rest = c.Rest!.Value;
            if (!(rest > 0)) throw new InvalidModelException("a repeat that fills no rest");
            rep.Len = rest; // a repeat that fills the rest lasts exactly the rest
            if (pctOnly)
            {
                rep.K = (int)Math.Ceiling(n!.Value) - 1;
                rep.F = n.Value - rep.K;
            }
            else if (!rep.HasMult)
            {
                double count = rest / rep.L;
                if (!(count < MaxCycles)) throw new InvalidModelException("too many cycles");
                rep.K = (int)Math.Ceiling(count) - 1;
                rep.F = count - rep.K;
            }
            else
            {
                if (m < 1) throw new InvalidModelException("mult < 1 cannot fill the rest");
                // Reading chosen: K is the last cycle starting strictly before the rest, so f is in (0, 1] as without mult.
                int k = 0;
                while (CycleStart(rep, k + 1, 1) < rest) k++;
                rep.K = k;
                rep.F = (rest - CycleStart(rep, k, 1)) / (rep.L * Math.Pow(m, k));
            }
        }
        else
        {
            rep.K = (int)Math.Ceiling(n!.Value) - 1;
            rep.F = n.Value - rep.K;
            rep.Len = CycleStart(rep, rep.K, 1) + rep.F * rep.L * Math.Pow(m, rep.K);
        }
        if (rep.K + 1 > MaxCycles) throw new InvalidModelException("too many cycles");
        return rep;
    }

    // ---- values (§5) ----

    /// <summary>Where a value is evaluated: position (`step`), progress `p` (NaN where unusable), innermost cycle (-1 outside).</summary>
    readonly record struct Env(double X, double P, int Cycle);

    double Constant(Val v, Scope s) => Value(v, new Env(double.NaN, double.NaN, -1), s, positional: false);

    double Value(Val v, Env env, Scope s, bool positional = true)
    {
        switch (v)
        {
            case Num n: return n.V;
            case PRef r:
                if (!_params.TryGetValue(r.Name, out double pv) || _durationParams.Contains(r.Name)) throw new InvalidModelException($"{r.Name} is not a number parameter");
                return pv;
            case Var x:
                return x.Name switch
                {
                    "pi" => Math.PI,
                    "e" => Math.E,
                    "cycle" => env.Cycle >= 0 ? env.Cycle : throw new InvalidModelException("cycle outside a repeat"),
                    "p" when positional && !double.IsNaN(env.P) => env.P,
                    "step" when positional => env.X,
                    "t" when positional => env.X / Total,
                    "epoch" when positional && _spe > 0 => env.X / _spe,
                    _ => throw new InvalidModelException($"{x.Name} is not usable here"),
                };
            case Bin b:
            {
                double l = Value(b.L, env, s, positional), r = Value(b.R, env, s, positional);
                return b.Op switch
                {
                    '+' => l + r,
                    '-' => l - r,
                    '*' => l * r,
                    '/' => l / r,
                    '^' => Math.Pow(l, r),
                    _ => throw new ArgumentException(b.Op.ToString()),
                };
            }
            case Neg n: return -Value(n.X, env, s, positional);
            case Call c:
            {
                var a = c.Args.Select(x => Value(x, env, s, positional)).ToArray();
                return c.F switch
                {
                    "min" => a.Min(),
                    "max" => a.Max(),
                    "abs" => Math.Abs(a[0]),
                    "sqrt" => Math.Sqrt(a[0]),
                    "exp" => Math.Exp(a[0]),
                    "log" => Math.Log(a[0]),
                    "sin" => Math.Sin(a[0]),
                    "cos" => Math.Cos(a[0]),
                    "tanh" => Math.Tanh(a[0]),
                    "floor" => Math.Floor(a[0]),
                    _ => throw new ArgumentException(c.F),
                };
            }
            case Ratio r:
            {
                // Computed at layout, with the run's steps per epoch and the % base of the place where it is written.
                var dc = new DurCtx(s.PctBase, null, "ratio");
                double den = Duration(r.B, dc);
                if (den == 0) throw new InvalidModelException("ratio by a zero duration");
                return Duration(r.A, dc) / den;
            }
            case Bisect b:
            {
                double x = Value(b.X, env, s, positional);
                return b.Items.Count(i => i <= x);
            }
            default:
                throw new ArgumentException(v.ToString());
        }
    }

    double Formula(MSeg m, double p, double x, int cycle)
    {
        var env = new Env(x, p, cycle);
        var g = m.Seg;
        double a = Value(g.A, g.Kind == SegKind.Fn ? env : env with { P = double.NaN }, m.Scope, positional: g.Kind == SegKind.Fn);
        if (g.Kind == SegKind.Fn || g.Kind == SegKind.Const) return a;
        double b = Value(g.B!, env with { P = double.NaN }, m.Scope, positional: false);
        switch (g.Kind)
        {
            case SegKind.Lin: return a + (b - a) * p;
            case SegKind.Cos: return b + (a - b) * (1 + Math.Cos(Math.PI * p)) / 2;
            case SegKind.Exp:
                if (a == 0 || b == 0 || Math.Sign(a) != Math.Sign(b)) throw new InvalidModelException("exp across zero");
                return a * Math.Pow(b / a, p);
            default:
                double power = g.Power is null ? 1 : Value(g.Power, env with { P = double.NaN }, m.Scope, positional: false);
                return b + (a - b) * Math.Pow(1 - p, power);
        }
    }

    static double Progress(double len, double start, double sigma, double x)
    {
        if (len == 0) return 1;
        double p = (x - start) / (len * sigma);
        return p > 1 ? 1 : p;
    }

    // ---- §7 "Which part gives the value at x" ----

    double ValueAt(M node, double s, double sigma, double x, int cycle)
    {
        switch (node)
        {
            case MSeg g:
                return Formula(g, Progress(g.Len, s, sigma, x), x, cycle);
            case MPlat p:
                return p.At(x);
            case MSeq q:
            {
                int i = 0;
                for (int j = 0; j < q.Parts.Length; j++)
                    if (s + q.Offsets[j] * sigma <= x) i = j;
                return ValueAt(q.Parts[i], s + q.Offsets[i] * sigma, sigma, x, cycle);
            }
            case MMul m:
                return ValueAt(m.A, s, sigma, x, cycle) * Value(m.Factor, new Env(x, Progress(m.A.Len, s, sigma, x), cycle), m.Scope);
            case MBy b:
                return ValueAt(b.A, s, sigma, Math.Max(s, Math.Floor(x / b.Quantum) * b.Quantum), cycle);
            case MFrom f:
                return ValueAt(f.A, s - f.D * sigma, sigma, x, cycle);
            case MRep r:
            {
                int k = CycleAt(r, s, sigma, x);
                double start = s + CycleStart(r, k, sigma), scale = CycleScale(r, k, sigma);
                return x >= start + r.Body.Len * scale ? BodyEnd(r, start, scale, k) : ValueAt(r.Body, start, scale, x, k);
            }
            default:
                throw new ArgumentException(node.ToString());
        }
    }

    static int CycleAt(MRep r, double s, double sigma, double x)
    {
        int k = 0;
        for (int j = 1; j <= r.K; j++)
        {
            if (s + CycleStart(r, j, sigma) <= x) k = j;
            else break;
        }
        return k;
    }

    // ---- §7 "End values": computed with x = where holding begins, handed down to the part that ends there ----

    double EndValue(M node, double s, double sigma, int cycle, double end)
    {
        switch (node)
        {
            case MSeg g:
                return Formula(g, 1, end, cycle);
            case MPlat p:
                return p.At(end);
            case MSeq q:
                return EndValue(q.Parts[^1], s + q.Offsets[^1] * sigma, sigma, cycle, end);
            case MMul m:
                return EndValue(m.A, s, sigma, cycle, end) * Value(m.Factor, new Env(end, 1, cycle), m.Scope);
            case MBy b:
                return EndValue(b.A, s, sigma, cycle, end);
            case MFrom f:
                return EndValue(f.A, s - f.D * sigma, sigma, cycle, end);
            case MRep r:
                return r.F == 1
                    ? BodyEnd(r, s + CycleStart(r, r.K, sigma), CycleScale(r, r.K, sigma), r.K)
                    : FromLeft(r, s, sigma, end, cycle);
            default:
                throw new ArgumentException(node.ToString());
        }
    }

    /// <summary>A body's end value in its cycle: holding begins at the body's end there.</summary>
    double BodyEnd(MRep r, double start, double scale, int k) => EndValue(r.Body, start, scale, k, start + r.Body.Len * scale);

    // ---- §7 "From the left" (at a cut) ----

    double FromLeft(M node, double s, double sigma, double x, int cycle)
    {
        switch (node)
        {
            case MSeg g:
                return ValueAt(g, s, sigma, x, cycle);
            case MPlat p:
                return p.At(x); // reading chosen: a reduction decided at the cut holds there
            case MSeq q:
            {
                int n = q.Parts.Length;
                double Start(int j) => s + q.Offsets[j] * sigma;
                // Parts of length 0 starting at x: the end value of the last of them.
                for (int j = n - 1; j >= 0; j--)
                    if (Start(j) == x && q.Parts[j].Len == 0) return EndValue(q.Parts[j], Start(j), sigma, cycle, x);
                // A boundary shared by the part that ends and the part that begins: the end value of the one that ends.
                for (int j = 1; j < n; j++)
                    if (Start(j) == x) return EndValue(q.Parts[j - 1], Start(j - 1), sigma, cycle, x);
                int i = 0;
                for (int j = 0; j < n; j++)
                    if (Start(j) <= x) i = j;
                if (Start(i) + q.Parts[i].Len * sigma == x) return EndValue(q.Parts[i], Start(i), sigma, cycle, x);
                return FromLeft(q.Parts[i], Start(i), sigma, x, cycle);
            }
            case MMul m:
                return FromLeft(m.A, s, sigma, x, cycle) * Value(m.Factor, new Env(x, Progress(m.A.Len, s, sigma, x), cycle), m.Scope);
            case MBy b:
                return FromLeft(b.A, s, sigma, x, cycle); // taken from the left without quantizing
            case MFrom f:
                return FromLeft(f.A, s - f.D * sigma, sigma, x, cycle);
            case MRep r:
            {
                int k = CycleAt(r, s, sigma, x);
                double start = s + CycleStart(r, k, sigma), scale = CycleScale(r, k, sigma);
                if (k >= 1 && start == x)
                    return BodyEnd(r, s + CycleStart(r, k - 1, sigma), CycleScale(r, k - 1, sigma), k - 1);
                return x >= start + r.Body.Len * scale ? BodyEnd(r, start, scale, k) : FromLeft(r.Body, start, scale, x, k);
            }
            default:
                throw new ArgumentException(node.ToString());
        }
    }

    // ---- a track (§7 last rule) ----

    /// <summary>The value of track <paramref name="track"/> at position <paramref name="x"/>.</summary>
    public double Evaluate(int track, double x)
    {
        var (t, top) = _tracks[track];
        if (top is null) return Constant(t.Bare!, new Scope(null));
        if (x < 0 || double.IsNaN(x)) x = 0; // before 0 it reads as at 0
        return x >= top.Len ? EndValue(top, 0, 1, -1, top.Len) : ValueAt(top, 0, 1, x, -1);
    }

    /// <summary>Every boundary the layout computed (starts, ends, cycle starts, body ends), capped at <paramref name="max"/>.</summary>
    public List<double> Boundaries(int max = 4000)
    {
        var list = new List<double> { 0, Total };
        foreach (var (_, top) in _tracks)
            if (top is not null) Collect(top, 0, 1, list, max);
        return list.Distinct().ToList();
    }

    static void Collect(M node, double s, double sigma, List<double> into, int max)
    {
        if (into.Count >= max) return;
        into.Add(s);
        into.Add(s + node.Len * sigma);
        switch (node)
        {
            case MSeq q:
                for (int i = 0; i < q.Parts.Length; i++) Collect(q.Parts[i], s + q.Offsets[i] * sigma, sigma, into, max);
                break;
            case MMul m: Collect(m.A, s, sigma, into, max); break;
            case MBy b: Collect(b.A, s, sigma, into, max); break;
            case MFrom f: Collect(f.A, s - f.D * sigma, sigma, into, max); break;
            case MRep r:
                for (int k = 0; k <= r.K && into.Count < max; k++)
                {
                    double start = s + CycleStart(r, k, sigma), scale = CycleScale(r, k, sigma);
                    into.Add(start + r.Body.Len * scale);
                    Collect(r.Body, start, scale, into, max);
                }
                break;
        }
    }
}
