namespace Sched.Reference.Tests;

/// <summary>Checks of the harness itself: the generator reaches every construct, and the comparison can fail.</summary>
public class HarnessTests
{
    /// <summary>Every construct the differential test must cover (issue #11, item 2).</summary>
    static readonly string[] Required =
    [
        "seg:Lin", "seg:Cos", "seg:Exp", "seg:Poly", "poly:power", "poly:fractional-power", "seg:Const", "seg:Fn",
        "fn:p", "fn:t", "fn:step", "fn:epoch", "sum", "mul", "mul:p", "mul:t", "mul:step", "mul:epoch",
        "repeat:integer-count", "repeat:fractional-count", "repeat:mult", "mult:1.5", "mult:3", "mult:10",
        "repeat:every", "repeat:every-shorter-body", "repeat:fills-rest", "repeat:pct-only", "repeat:nested", "value:cycle",
        "by:epoch", "by:it", "from", "dur:it", "dur:ep", "dur:pct", "dur:add", "dur:sub", "dur:scale-left", "dur:scale-right",
        "dur:divide", "dur:rest", "dur:omitted", "dur:fractional", "dur:zero", "dur:zero-last", "dur:zero-in-repeat",
        "param:number", "param:duration", "param:uses-earlier", "override:number", "override:duration", "value:ratio",
        "value:bisect", "track:bare", "over", "no-over", "tracks:several", "spe:1", "spe:3", "spe:7", "spe:32",
        "plateau", "plateau:rest", "plateau:duration", "plateau:torch", "plateau:keras", "plateau:fastai", "plateau:max", "plateau:abs",
        "plateau:cooldown", "plateau:min_lr", "plateau:eps", "plateau:factor", "plateau:threshold", "plateau:in-sum", "plateau:in-mul",
        "plateau:in-by", "plateau:in-from", "plateau:two", "report", "report:nan", "report:+inf", "report:-inf", "report:same-position",
        "report:outside", "report:resume", "report:resume-bytes", "report:refused-metric", "report:refused-order", "report:refused-position",
    ];

    [Fact]
    public void Generator_covers_every_construct()
    {
        var gen = new Generator(7);
        var seen = new HashSet<string>();
        for (int i = 0; i < 1500; i++) Features(gen.Next("G" + i), seen);
        var missing = Required.Where(r => !seen.Contains(r)).ToList();
        Assert.True(missing.Count == 0, "the generator never produced: " + string.Join(", ", missing));
    }

    [Fact]
    public void Comparison_agrees_on_a_plain_schedule_and_catches_a_changed_value()
    {
        // lin from 1 to 0.5 over 10 steps, then 0.5: nothing here depends on rounding, so the product and the oracle agree.
        var lin = new Seg(SegKind.Lin, new Num(1), new Num(0.5), null, new DLit(10, Unit.It));
        var model = new ScheduleModel("Plain", [], new DLit(20, Unit.It),
            [new Track("lr", new Seq([lin, new Seg(SegKind.Const, new Num(0.5), null, null, new DRest())]), null)]);
        var plain = new RunCase(model, 1, []);
        Assert.Equal(Outcome.Agree, Differential.Check(plain).Outcome);

        // The product reads the text, the oracle a model whose lin ends at 0.6: every row of the lin must disagree.
        var changed = Differential.Check(plain, textOverride: Printer.Schedule(model).Replace("-> 0.5", "-> 0.6"));
        Assert.Equal(Outcome.Disagree, changed.Outcome);
        Assert.Contains(changed.Mismatches, m => m.X == 5);
    }

    [Fact]
    public void Comparison_rule_is_relative_and_treats_nan_as_a_value()
    {
        Assert.True(Differential.Same(1, 1 + 1e-13));
        Assert.False(Differential.Same(1, 1 + 1e-11));
        Assert.True(Differential.Same(double.NaN, double.NaN));
        Assert.False(Differential.Same(double.NaN, 0.3));
        Assert.False(Differential.Same(double.PositiveInfinity, 1e308));
        Assert.False(Differential.Same(-2.220446049250313E-16, 0)); // an end value off by rounding is a disagreement
    }

    static void Features(RunCase c, HashSet<string> seen)
    {
        var s = c.Schedule;
        seen.Add("spe:" + c.StepsPerEpoch);
        seen.Add(s.Over is null ? "no-over" : "over");
        if (s.Tracks.Length > 1) seen.Add("tracks:several");
        foreach (var p in s.Params)
        {
            seen.Add(p.IsDuration ? "param:duration" : "param:number");
            string text = p.IsDuration ? Printer.Dur(p.Dur!) : Printer.Value(p.Num!);
            if (s.Params.Any(q => q != p && System.Text.RegularExpressions.Regex.IsMatch(text, $@"\b{q.Name}\b"))) seen.Add("param:uses-earlier");
        }
        foreach (var o in c.Overrides) seen.Add(o.Dur is null ? "override:number" : "override:duration");
        foreach (var t in s.Tracks)
        {
            if (t.Body is null) { seen.Add("track:bare"); Value(t.Bare!, seen, "value"); }
            else Part(t.Body, seen, inRepeat: false, last: true);
        }
        if (s.Over is not null) Dur(s.Over, seen);
        var plateaus = s.Tracks.Where(t => t.Body is not null).Sum(t => CountPlateaus(t.Body!));
        if (plateaus > 1) seen.Add("plateau:two");
        for (int i = 0; i < c.Reports.Length; i++)
        {
            var r = c.Reports[i];
            seen.Add("report");
            if (double.IsNaN(r.Value)) seen.Add("report:nan");
            if (double.IsPositiveInfinity(r.Value)) seen.Add("report:+inf");
            if (double.IsNegativeInfinity(r.Value)) seen.Add("report:-inf");
            if (i > 0 && c.Reports[i - 1].Position == r.Position) seen.Add("report:same-position");
            if (r.Position >= new Oracle(c).Total) seen.Add("report:outside");
        }
        if (c.ResumeAt >= 0) seen.Add(c.ResumeThroughBytes ? "report:resume-bytes" : "report:resume");
        foreach (var (_, bad) in c.BadReports)
            seen.Add(bad.Metric == "nope" ? "report:refused-metric" : bad.Position >= 0 && double.IsFinite(bad.Position) ? "report:refused-order" : "report:refused-position");
    }

    static int CountPlateaus(Part p) => p switch
    {
        Plat => 1,
        Seq q => q.Parts.Sum(CountPlateaus),
        Mul m => CountPlateaus(m.A),
        By b => CountPlateaus(b.A),
        From f => CountPlateaus(f.A),
        Rep r => CountPlateaus(r.Body),
        _ => 0,
    };

    static void Part(Part p, HashSet<string> seen, bool inRepeat, bool last)
    {
        switch (p)
        {
            case Seg g:
                seen.Add("seg:" + g.Kind);
                if (g.Power is Num pw) { seen.Add("poly:power"); if (pw.V != Math.Floor(pw.V)) seen.Add("poly:fractional-power"); }
                if (g.D is null) seen.Add("dur:omitted");
                else
                {
                    Dur(g.D, seen);
                    if (g.D is DLit { N: 0 })
                    {
                        seen.Add("dur:zero");
                        if (last) seen.Add("dur:zero-last");
                        if (inRepeat) seen.Add("dur:zero-in-repeat");
                    }
                }
                Value(g.A, seen, g.Kind == SegKind.Fn ? "fn" : "value");
                if (g.B is not null) Value(g.B, seen, "value");
                break;
            case Seq q:
                seen.Add("sum");
                for (int i = 0; i < q.Parts.Length; i++)
                {
                    if (q.Parts[i] is Plat) seen.Add("plateau:in-sum");
                    Part(q.Parts[i], seen, inRepeat, last && i == q.Parts.Length - 1);
                }
                break;
            case Plat q:
                seen.Add("plateau");
                seen.Add(q.D is null || q.D is DRest ? "plateau:rest" : "plateau:duration");
                seen.Add("plateau:" + (q.Rule ?? "torch"));
                if (q.Mode == "max") seen.Add("plateau:max");
                if (q.ThresholdMode == "abs") seen.Add("plateau:abs");
                if (q.Cooldown is Num { V: > 0 }) seen.Add("plateau:cooldown");
                if (q.MinLr is not null) seen.Add("plateau:min_lr");
                if (q.Eps is not null) seen.Add("plateau:eps");
                if (q.Factor is not null) seen.Add("plateau:factor");
                if (q.Threshold is not null) seen.Add("plateau:threshold");
                break;
            case Mul m:
                if (m.A is Plat) seen.Add("plateau:in-mul");
                seen.Add("mul");
                Value(m.M, seen, "mul");
                Part(m.A, seen, inRepeat, last);
                break;
            case By b:
                if (b.A is Plat) seen.Add("plateau:in-by");
                seen.Add(b.Quantum is null ? "by:epoch" : "by:it");
                Part(b.A, seen, inRepeat, last);
                break;
            case From f:
                if (f.A is Plat) seen.Add("plateau:in-from");
                seen.Add("from");
                Dur(f.D, seen);
                Part(f.A, seen, inRepeat, last);
                break;
            case Rep r:
                if (inRepeat) seen.Add("repeat:nested");
                if (r.Count is Num n) seen.Add(n.V == Math.Floor(n.V) ? "repeat:integer-count" : "repeat:fractional-count");
                if (r.Count is not null) Value(r.Count, seen, "value");
                if (r.Mult is Num mv) { seen.Add("repeat:mult"); seen.Add("mult:" + mv.V); }
                if (r.Every is not null)
                {
                    seen.Add("repeat:every");
                    Dur(r.Every, seen);
                    if (!HasRest(r.Body)) seen.Add("repeat:every-shorter-body");
                }
                if (r.Count is null) seen.Add("repeat:fills-rest");
                else if (r.Every is null && PctOnly(r.Body)) seen.Add("repeat:pct-only");
                Part(r.Body, seen, inRepeat: true, last);
                break;
        }
    }

    static bool HasRest(Part p) => p switch
    {
        Seg g => g.D is null or DRest,
        Seq q => q.Parts.Any(HasRest),
        Mul m => HasRest(m.A),
        By b => HasRest(b.A),
        From f => HasRest(f.A),
        Rep r => r.Count is null,
        _ => false,
    };

    static bool PctOnly(Part p) => p switch
    {
        Seg { D: DLit { U: Unit.Pct } } => true,
        Seg { D: DScale { D: DLit { U: Unit.Pct } } } => true,
        Seq q => q.Parts.All(PctOnly),
        Mul m => PctOnly(m.A),
        _ => false,
    };

    static void Value(Val v, HashSet<string> seen, string where)
    {
        switch (v)
        {
            case Var x when x.Name == "cycle": seen.Add("value:cycle"); break;
            case Var x when x.Name is "p" or "t" or "step" or "epoch": seen.Add(where + ":" + x.Name); break;
            case Bin b: Value(b.L, seen, where); Value(b.R, seen, where); break;
            case Neg n: Value(n.X, seen, where); break;
            case Call c: foreach (var a in c.Args) Value(a, seen, where); break;
            case Ratio: seen.Add("value:ratio"); break;
            case Bisect b: seen.Add("value:bisect"); Value(b.X, seen, where); break;
        }
    }

    static void Dur(Dur d, HashSet<string> seen)
    {
        switch (d)
        {
            case DLit l:
                seen.Add(l.U switch { Unit.It => "dur:it", Unit.Ep => "dur:ep", _ => "dur:pct" });
                if (l.N != Math.Floor(l.N)) seen.Add("dur:fractional");
                break;
            case DAdd a: seen.Add(a.Minus ? "dur:sub" : "dur:add"); Dur(a.L, seen); Dur(a.R, seen); break;
            case DScale s: seen.Add(s.Left ? "dur:scale-left" : s.Divide ? "dur:divide" : "dur:scale-right"); Dur(s.D, seen); break;
            case DRest: seen.Add("dur:rest"); break;
        }
    }
}
