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

/// <summary>
/// `plateau(start, duration, on = metric, …)` (§6): D null omits the duration (rest); a null argument is left out, so its
/// default applies. Mode, ThresholdMode and Rule are words.
/// </summary>
public sealed record Plat(Val Start, Dur? D, string Metric, string? Mode = null, string? ThresholdMode = null, string? Rule = null,
    Val? Factor = null, Val? Patience = null, Val? Threshold = null, Val? Cooldown = null, Val? MinLr = null, Val? Eps = null) : Part;

/// <summary>A report of a metric at a position (steps taken), given to the schedule in order.</summary>
public sealed record Report(string Metric, double Value, double Position);

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

/// <summary>
/// One run: a schedule, the steps per epoch, parameter overrides (name → literal, printed as text), the reports given to
/// it in order (§6), and where the run is stopped and resumed: after ResumeAt reports (-1: never) the product's state is
/// saved and restored into a fresh schedule (through bytes when ResumeThroughBytes), which takes the remaining reports.
/// A report in BadReports is one the product must refuse at its index; the oracle never sees it.
/// </summary>
public sealed record RunCase(ScheduleModel Schedule, int StepsPerEpoch, (string Name, Val? Num, Dur? Dur)[] Overrides)
{
    public Report[] Reports { get; init; } = [];

    public (int Index, Report Report)[] BadReports { get; init; } = [];

    public int ResumeAt { get; init; } = -1;

    public bool ResumeThroughBytes { get; init; }

    public bool Equals(RunCase? other) =>
        other is not null && Schedule.Equals(other.Schedule) && StepsPerEpoch == other.StepsPerEpoch && Overrides.SequenceEqual(other.Overrides)
        && Reports.SequenceEqual(other.Reports) && BadReports.SequenceEqual(other.BadReports) && ResumeAt == other.ResumeAt
        && ResumeThroughBytes == other.ResumeThroughBytes;
    public override int GetHashCode() => Schedule.GetHashCode();
}
