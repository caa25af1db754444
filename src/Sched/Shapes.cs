namespace Sched;

/// <summary>
/// The math of every segment and of repeat cycles (DSL.md §5, §6). The interpreter, compile-time
/// validation and generated classes all call these, so they agree bit for bit.
/// </summary>
#if SCHED_RUNTIME
public
#else
internal
#endif
static class Shapes
{
    /// <summary><c>lin(a -> b)</c>: <c>a + (b - a) * p</c>.</summary>
    public static double Lin(double a, double b, double p) => a + (b - a) * p;

    /// <summary><c>cos(a -> b)</c>: <c>b + (a - b) * (1 + cos(pi * p)) / 2</c>.</summary>
    public static double Cos(double a, double b, double p) => b + (a - b) * (1 + Math.Cos(Math.PI * p)) / 2;

    /// <summary><c>exp(a -> b)</c>: <c>a * (b / a)^p</c>; a and b nonzero, of the same sign.</summary>
    public static double Exp(double a, double b, double p) => a * Math.Pow(b / a, p);

    /// <summary><c>poly(a -> b, d, power)</c>: <c>b + (a - b) * (1 - p)^power</c>.</summary>
    public static double Poly(double a, double b, double p, double power) => b + (a - b) * Math.Pow(1 - p, power);

    /// <summary>Progress <c>p = u / length</c> of a segment; a zero-length segment is always at its end.</summary>
    public static double Progress(double u, double length) => length > 0 ? u / length : 1;

    /// <summary>Start of cycle <paramref name="k"/> when cycle 0 lasts <paramref name="length0"/> and cycle k lasts <c>length0 * mult^k</c>.</summary>
    public static double CycleStart(int k, double length0, double mult) =>
        mult == 1 ? k * length0 : length0 * (Math.Pow(mult, k) - 1) / (mult - 1);

    /// <summary>
    /// The cycle containing position <paramref name="u"/> (from the repeat's start), at most <paramref name="lastCycle"/>:
    /// closed form, then corrected by one where rounding put it on the wrong side of a boundary.
    /// </summary>
    public static int CycleIndex(double u, double length0, double mult, int lastCycle)
    {
        if (u <= 0 || length0 <= 0) return 0;
        double estimate = mult == 1 ? Math.Floor(u / length0) : Math.Floor(Math.Log(1 + u * (mult - 1) / length0) / Math.Log(mult));
        int k = estimate >= lastCycle ? lastCycle : estimate <= 0 ? 0 : (int)estimate;
        if (k < lastCycle && CycleStart(k + 1, length0, mult) <= u) k++;
        else if (k > 0 && CycleStart(k, length0, mult) > u) k--;
        return k;
    }

    /// <summary><c>floor(x / block) * block</c>, never before <paramref name="start"/>: <c>by epoch</c> and <c>by N it</c>.</summary>
    public static double Quantize(double x, double block, double start)
    {
        double q = Math.Floor(x / block) * block;
        return q < start ? start : q;
    }
}
