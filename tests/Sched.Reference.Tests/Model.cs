namespace Sched.Reference.Tests;

// The oracle's own model of a schedule, one record per construct of docs/language.md (§2–§6).
// The generator builds it, Printer writes it as .sched text for the product, Oracle evaluates it.

/// <summary>A value (§5): arithmetic over numbers, parameters, variables, ratios and bisect.</summary>
public abstract record Val;

/// <summary>A number literal; negative ones are printed as a unary minus.</summary>
public sealed record Num(double V) : Val;

/// <summary>A number parameter of the schedule.</summary>
public sealed record PRef(string Name) : Val;

/// <summary>`p`, `t`, `step`, `epoch`, `cycle`, `pi`, `e`.</summary>
public sealed record Var(string Name) : Val;

/// <summary>`l op r` with op one of + - * / ^.</summary>
public sealed record Bin(char Op, Val L, Val R) : Val;

/// <summary>Unary minus.</summary>
public sealed record Neg(Val X) : Val;

/// <summary>A math function: min max abs sqrt exp log sin cos tanh floor.</summary>
public sealed record Call(string F, Val[] Args) : Val
{
    public bool Equals(Call? other) => other is not null && F == other.F && Args.SequenceEqual(other.Args);
    public override int GetHashCode() => F.GetHashCode();
}

/// <summary>`d1 / d2`: a duration divided by a duration is a number (§4).</summary>
public sealed record Ratio(Dur A, Dur B) : Val;

/// <summary>`bisect([items], x)`: how many items are at most x (§5).</summary>
public sealed record Bisect(double[] Items, Val X) : Val
{
    public bool Equals(Bisect? other) => other is not null && Items.SequenceEqual(other.Items) && X.Equals(other.X);
    public override int GetHashCode() => X.GetHashCode();
}

public enum Unit { It, Ep, Pct }

/// <summary>A duration (§4).</summary>
public abstract record Dur;

/// <summary>`N it`, `N ep`, `N %`.</summary>
public sealed record DLit(double N, Unit U) : Dur;

/// <summary>A duration parameter.</summary>
public sealed record DParam(string Name) : Dur;

/// <summary>`l + r` or `l - r`.</summary>
public sealed record DAdd(Dur L, Dur R, bool Minus) : Dur;

/// <summary>`f*d` (Left), `d*f` or `d/f` (Divide); f is a number literal or a number parameter.</summary>
public sealed record DScale(Val F, Dur D, bool Left, bool Divide) : Dur;

/// <summary>`rest`.</summary>
public sealed record DRest : Dur;

/// <summary>A track expression (§5, §6).</summary>
public abstract record Part;

public enum SegKind { Lin, Cos, Exp, Poly, Const, Fn }

/// <summary>A segment; `const` and `fn` use only A; D null means the duration is omitted (rest).</summary>
public sealed record Seg(SegKind Kind, Val A, Val? B, Val? Power, Dur? D) : Part;

/// <summary>`A + B + …`.</summary>
public sealed record Seq(Part[] Parts) : Part
{
    public bool Equals(Seq? other) => other is not null && Parts.SequenceEqual(other.Parts);
    public override int GetHashCode() => Parts.Length;
}

/// <summary>`A * m`.</summary>
public sealed record Mul(Part A, Val M) : Part;

/// <summary>`A by epoch` (Quantum null) or `A by d`.</summary>
public sealed record By(Part A, Dur? Quantum) : Part;

/// <summary>`A from d`.</summary>
public sealed record From(Part A, Dur D) : Part;

/// <summary>`repeat(count, mult = m, every = e) { body }`, each piece optional.</summary>
public sealed record Rep(Val? Count, Val? Mult, Dur? Every, Part Body) : Part;

/// <summary>A track: a sequence, or a bare value (a constant track lasting the total).</summary>
public sealed record Track(string Name, Part? Body, Val? Bare);

/// <summary>A schedule parameter with its default: a number (Num) or a duration (Dur).</summary>
public sealed record Param(string Name, Val? Num, Dur? Dur)
{
    public bool IsDuration => Dur is not null;
}

/// <summary>A schedule; Over null means no `over` (the total is the longest track).</summary>
public sealed record ScheduleModel(string Name, Param[] Params, Dur? Over, Track[] Tracks)
{
    public bool Equals(ScheduleModel? other) =>
        other is not null && Name == other.Name && Params.SequenceEqual(other.Params) && Equals(Over, other.Over) && Tracks.SequenceEqual(other.Tracks);
    public override int GetHashCode() => Name.GetHashCode();
}

/// <summary>One run: a schedule, the steps per epoch, and parameter overrides (name → literal, printed as text).</summary>
public sealed record RunCase(ScheduleModel Schedule, int StepsPerEpoch, (string Name, Val? Num, Dur? Dur)[] Overrides)
{
    public bool Equals(RunCase? other) =>
        other is not null && Schedule.Equals(other.Schedule) && StepsPerEpoch == other.StepsPerEpoch && Overrides.SequenceEqual(other.Overrides);
    public override int GetHashCode() => Schedule.GetHashCode();
}
