using System.Text.RegularExpressions;

namespace Sched.Reference.Tests;

/// <summary>
/// Greedy shrinking of a disagreeing case over the oracle's model: drop tracks, parameters, overrides and parts,
/// replace subtrees by their children or by `const`, simplify numbers, durations and repeat heads, lower the steps
/// per epoch — keeping each step only while the case stays valid, the product accepts it, and they still disagree.
/// </summary>
public static class Shrinker
{
    public static (RunCase Case, CheckResult Result) Shrink(RunCase c, CheckResult result, int budget = 3000)
    {
        int tries = 0;
        bool progress = true;
        while (progress && tries < budget)
        {
            progress = false;
            foreach (var candidate in Candidates(c))
            {
                if (++tries > budget) break;
                if (candidate.Equals(c) || !Differential.IsValid(candidate)) continue;
                var r = Differential.Check(candidate);
                if (r.Outcome != Outcome.Disagree) continue;
                (c, result, progress) = (candidate, r, true);
                break;
            }
        }
        return (c, result);
    }

    static IEnumerable<RunCase> Candidates(RunCase c)
    {
        var s = c.Schedule;
        for (int i = 0; i < s.Tracks.Length; i++)
            if (s.Tracks[i].Name != "lr" && s.Tracks.Length > 1)
                yield return c with { Schedule = s with { Tracks = s.Tracks.Where((_, j) => j != i).ToArray() } };
        for (int i = 0; i < c.Overrides.Length; i++)
            yield return c with { Overrides = c.Overrides.Where((_, j) => j != i).ToArray() };
        // Reports: none, one fewer (later indices moved down), no refused report, no resume.
        if (c.BadReports.Length > 0) yield return c with { BadReports = [] };
        if (c.ResumeAt >= 0) yield return c with { ResumeAt = -1 };
        if (c.Reports.Length > 0 && c.BadReports.Length == 0) yield return c with { Reports = [], ResumeAt = -1 };
        for (int i = 0; i < c.Reports.Length && c.BadReports.Length == 0; i++)
            yield return c with { Reports = c.Reports.Where((_, j) => j != i).ToArray(), ResumeAt = c.ResumeAt > i ? c.ResumeAt - 1 : c.ResumeAt };
        foreach (int spe in new[] { 1, 2, 3 })
            if (spe < c.StepsPerEpoch) yield return c with { StepsPerEpoch = spe };
        string text = Printer.Schedule(s);
        foreach (var p in s.Params)
        {
            // Drop an unused parameter, or inline a literal default.
            if (Regex.Matches(text, $@"\b{p.Name}\b").Count == 1 && c.Overrides.All(o => o.Name != p.Name))
                yield return c with { Schedule = s with { Params = s.Params.Where(q => q != p).ToArray() } };
        }
        if (s.Over is not null && s.Over is not DLit)
            foreach (var d in Durs(s.Over)) yield return c with { Schedule = s with { Over = d } };
        for (int i = 0; i < s.Tracks.Length; i++)
        {
            var t = s.Tracks[i];
            RunCase With(Track nt) => c with { Schedule = s with { Tracks = s.Tracks.Select((x, j) => j == i ? nt : x).ToArray() } };
            if (t.Body is not null)
            {
                yield return With(t with { Body = null, Bare = new Num(0.5) });
                foreach (var b in Parts(t.Body)) yield return With(t with { Body = b });
            }
            else if (t.Bare is not Num)
            {
                yield return With(t with { Bare = new Num(0.5) });
            }
        }
    }

    static IEnumerable<Part> Parts(Part p)
    {
        switch (p)
        {
            case Seq q:
                if (q.Parts.Length > 1)
                {
                    for (int i = 0; i < q.Parts.Length; i++) yield return q.Parts[i];
                    for (int i = 0; i < q.Parts.Length; i++)
                    {
                        var rest = q.Parts.Where((_, j) => j != i).ToArray();
                        yield return rest.Length == 1 ? rest[0] : new Seq(rest);
                    }
                }
                for (int i = 0; i < q.Parts.Length; i++)
                    foreach (var x in Parts(q.Parts[i]))
                        yield return new Seq(q.Parts.Select((y, j) => j == i ? x : y).ToArray());
                break;
            case Seg g:
                if (g.Kind != SegKind.Const) yield return new Seg(SegKind.Const, new Num(0.5), null, null, g.D);
                if (g.Power is not null) yield return g with { Power = null };
                if (g.D is not null) foreach (var d in Durs(g.D)) yield return g with { D = d };
                foreach (var a in Vals(g.A)) yield return g with { A = a };
                if (g.B is not null) foreach (var b in Vals(g.B)) yield return g with { B = b };
                if (g.Power is not null) foreach (var w in Vals(g.Power)) yield return g with { Power = w };
                break;
            case Mul m:
                yield return m.A;
                foreach (var a in Parts(m.A)) yield return m with { A = a };
                foreach (var v in Vals(m.M)) yield return m with { M = v };
                break;
            case By b:
                yield return b.A;
                if (b.Quantum is not null) yield return b with { Quantum = null };
                foreach (var a in Parts(b.A)) yield return b with { A = a };
                break;
            case From f:
                yield return f.A;
                foreach (var d in Durs(f.D)) yield return f with { D = d };
                foreach (var a in Parts(f.A)) yield return f with { A = a };
                break;
            case Plat q:
                yield return new Seg(SegKind.Const, q.Start, null, null, q.D);
                if (q.Mode is not null) yield return q with { Mode = null };
                if (q.ThresholdMode is not null) yield return q with { ThresholdMode = null };
                if (q.Rule is not null) yield return q with { Rule = null };
                if (q.Threshold is not null) yield return q with { Threshold = null };
                if (q.Cooldown is not null) yield return q with { Cooldown = null };
                if (q.MinLr is not null) yield return q with { MinLr = null };
                if (q.Eps is not null) yield return q with { Eps = null };
                if (q.D is not null) foreach (var d in Durs(q.D)) yield return q with { D = d };
                break;
            case Rep r:
                yield return r.Body;
                if (r.Mult is not null) yield return r with { Mult = null };
                if (r.Every is not null) yield return r with { Every = null };
                if (r.Count is not null)
                {
                    foreach (double n in new[] { 1.0, 2, 0.5 }) yield return r with { Count = new Num(n) };
                    foreach (var v in Vals(r.Count)) yield return r with { Count = v };
                }
                if (r.Mult is not null) foreach (var v in Vals(r.Mult)) yield return r with { Mult = v };
                if (r.Every is not null) foreach (var d in Durs(r.Every)) yield return r with { Every = d };
                foreach (var b in Parts(r.Body)) yield return r with { Body = b };
                break;
        }
    }

    static IEnumerable<Val> Vals(Val v)
    {
        switch (v)
        {
            case Num n:
                if (n.V != Math.Round(n.V)) yield return new Num(Math.Round(n.V));
                if (n.V != 1) yield return new Num(1);
                break;
            case Bin b:
                yield return b.L;
                yield return b.R;
                foreach (var l in Vals(b.L)) yield return b with { L = l };
                foreach (var r in Vals(b.R)) yield return b with { R = r };
                break;
            case Neg n:
                yield return n.X;
                foreach (var x in Vals(n.X)) yield return new Neg(x);
                break;
            case Call c:
                foreach (var a in c.Args) yield return a;
                for (int i = 0; i < c.Args.Length; i++)
                    foreach (var a in Vals(c.Args[i]))
                        yield return new Call(c.F, c.Args.Select((x, j) => j == i ? a : x).ToArray());
                break;
            case Bisect b:
                if (b.Items.Length > 1) yield return b with { Items = [b.Items[0]] };
                foreach (var x in Vals(b.X)) yield return b with { X = x };
                break;
        }
        if (v is not Num) yield return new Num(0.5);
    }

    static IEnumerable<Dur> Durs(Dur d)
    {
        switch (d)
        {
            case DAdd a:
                yield return a.L;
                yield return a.R;
                foreach (var l in Durs(a.L)) yield return a with { L = l };
                foreach (var r in Durs(a.R)) yield return a with { R = r };
                break;
            case DScale s:
                yield return s.D;
                foreach (var x in Durs(s.D)) yield return s with { D = x };
                break;
            case DLit l:
                if (l.N != Math.Round(l.N)) yield return l with { N = Math.Round(l.N) };
                if (l.U == Unit.Ep) yield return new DLit(l.N, Unit.It);
                break;
        }
    }
}
