using System.Globalization;
using System.Text;

namespace Sched.Reference.Tests;

/// <summary>Writes the oracle's model as .sched text (docs/language.md §12), values fully parenthesized.</summary>
public static class Printer
{
    public static string Number(double v) =>
        v < 0 || (v == 0 && double.IsNegative(v)) ? "(-" + Number(-v) + ")" : v.ToString("R", CultureInfo.InvariantCulture);

    public static string Value(Val v) => v switch
    {
        Num n => Number(n.V),
        PRef r => r.Name,
        Var x => x.Name,
        Bin b => "(" + Value(b.L) + " " + b.Op + " " + Value(b.R) + ")",
        Neg n => "(-" + Value(n.X) + ")",
        Call c => c.F + "(" + string.Join(", ", c.Args.Select(Value)) + ")",
        Ratio r => "(" + DurPrim(r.A) + " / " + DurPrim(r.B) + ")",
        Bisect b => "bisect([" + string.Join(", ", b.Items.Select(Number)) + "], " + Value(b.X) + ")",
        _ => throw new ArgumentException(v.ToString()),
    };

    static string UnitText(Unit u) => u switch { Unit.It => "it", Unit.Ep => "ep", _ => "%" };

    public static string Dur(Dur d) => d switch
    {
        DLit l => Number(l.N) + UnitText(l.U),
        DParam p => p.Name,
        DAdd a => Dur(a.L) + (a.Minus ? " - " : " + ") + (a.R is DAdd ? "(" + Dur(a.R) + ")" : Dur(a.R)),
        DScale s when s.Left => Factor(s.F) + "*" + DurPrim(s.D),
        DScale s => DurPrim(s.D) + (s.Divide ? "/" : "*") + Factor(s.F),
        DRest => "rest",
        _ => throw new ArgumentException(d.ToString()),
    };

    // A duration where the grammar wants a dprim: simple ones bare, the rest in parentheses.
    static string DurPrim(Dur d) => d is DLit or DParam ? Dur(d) : "(" + Dur(d) + ")";

    static string Factor(Val f) => f is Num n && n.V >= 0 ? Number(n.V) : f is PRef r ? r.Name : "(" + Value(f) + ")";

    public static string Part(Part p) => p switch
    {
        Seq s => string.Join(" + ", s.Parts.Select(Term)),
        _ => Term(p),
    };

    // One term of a sum: a sum inside another is parenthesized; *, by, from chain to the left (§12 'term').
    static string Term(Part p) => p switch
    {
        Seq s when s.Parts.Length == 1 => Term(s.Parts[0]),
        Seq s => "(" + Part(s) + ")",
        Seg g => Segment(g),
        Mul m => Term(m.A) + " * (" + Value(m.M) + ")",
        By b => Term(b.A) + " by " + (b.Quantum is null ? "epoch" : DurPrim(b.Quantum)),
        From f => Term(f.A) + " from " + DurPrim(f.D),
        Rep r => Repeat(r),
        Plat q => Plateau(q),
        _ => throw new ArgumentException(p.ToString()),
    };

    static string Plateau(Plat q)
    {
        var args = new List<string> { Value(q.Start) };
        if (q.D is not null) args.Add(Dur(q.D));
        args.Add("on = " + q.Metric);
        void Word(string name, string? word) { if (word is not null) args.Add(name + " = " + word); }
        void Number(string name, Val? v) { if (v is not null) args.Add(name + " = " + Value(v)); }
        Word("mode", q.Mode);
        Number("factor", q.Factor);
        Number("patience", q.Patience);
        Number("threshold", q.Threshold);
        Word("threshold_mode", q.ThresholdMode);
        Number("cooldown", q.Cooldown);
        Number("min_lr", q.MinLr);
        Number("eps", q.Eps);
        Word("rule", q.Rule);
        return "plateau(" + string.Join(", ", args) + ")";
    }

    static string Segment(Seg g)
    {
        string d = g.D is null ? "" : ", " + Dur(g.D);
        return g.Kind switch
        {
            SegKind.Lin => $"lin({Value(g.A)} -> {Value(g.B!)}{d})",
            SegKind.Cos => $"cos({Value(g.A)} -> {Value(g.B!)}{d})",
            SegKind.Exp => $"exp({Value(g.A)} -> {Value(g.B!)}{d})",
            // With a power the duration is written out: `rest` when omitted.
            SegKind.Poly => g.Power is null
                ? $"poly({Value(g.A)} -> {Value(g.B!)}{d})"
                : $"poly({Value(g.A)} -> {Value(g.B!)}, {(g.D is null ? "rest" : Dur(g.D))}, {Value(g.Power)})",
            SegKind.Const => $"const({Value(g.A)}{d})",
            _ => $"fn({Value(g.A)}{d})",
        };
    }

    static string Repeat(Rep r)
    {
        var args = new List<string>();
        if (r.Count is not null) args.Add(Value(r.Count));
        if (r.Mult is not null) args.Add("mult = " + Value(r.Mult));
        if (r.Every is not null) args.Add("every = " + Dur(r.Every));
        string head = args.Count == 0 ? "repeat" : "repeat(" + string.Join(", ", args) + ")";
        return head + " { " + Part(r.Body) + " }";
    }

    public static string Schedule(ScheduleModel s)
    {
        var sb = new StringBuilder();
        sb.Append("schedule ").Append(s.Name);
        if (s.Params.Length > 0)
            sb.Append('(').Append(string.Join(", ", s.Params.Select(p => p.Name + " = " + (p.Dur is not null ? Dur(p.Dur) : Value(p.Num!))))).Append(')');
        if (s.Over is not null) sb.Append(" over ").Append(Dur(s.Over));
        sb.Append(" {\n");
        foreach (var t in s.Tracks)
            sb.Append("    ").Append(t.Name).Append(" = ").Append(t.Body is not null ? Part(t.Body) : Value(t.Bare!)).Append('\n');
        sb.Append("}\n");
        return sb.ToString();
    }

    /// <summary>The overrides as Create's `set` argument: text such as "0.5" or "10ep".</summary>
    public static Dictionary<string, string> Overrides(RunCase c) =>
        c.Overrides.ToDictionary(o => o.Name, o => o.Dur is not null ? Dur(o.Dur) : Value(o.Num!).Replace("(", "").Replace(")", ""));

    public static string Describe(RunCase c)
    {
        var set = Overrides(c);
        string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        string reports = c.Reports.Length == 0 && c.BadReports.Length == 0 ? "" :
            "\nreports: " + string.Join(", ", c.Reports.Select(r => $"{r.Metric} {R(r.Value)} at {R(r.Position)}")) +
            (c.ResumeAt < 0 ? "" : $"; resumed after {c.ResumeAt}" + (c.ResumeThroughBytes ? " (through bytes)" : "")) +
            (c.BadReports.Length == 0 ? "" : "; refused: " + string.Join(", ", c.BadReports.Select(b => $"#{b.Index} {b.Report.Metric} {R(b.Report.Value)} at {R(b.Report.Position)}")));
        return Schedule(c.Schedule) + $"steps per epoch: {c.StepsPerEpoch}" +
               (set.Count == 0 ? "" : "; set: " + string.Join(", ", set.Select(kv => kv.Key + "=" + kv.Value))) + reports;
    }
}
