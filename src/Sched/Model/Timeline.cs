namespace Sched.Model;

/// <summary>
/// Positions on the timeline (docs/language.md §7): progress, cycle starts and indices, quantization, the part that
/// holds a position. Interpreted and generated schedules both call these, so boundaries fall on the same step in both.
/// </summary>
public static class Timeline
{
    /// <summary>Progress <c>p = (x - start) / length</c>, taken as 1 above 1; a segment of length 0 is always at its end.</summary>
    public static double Progress(double x, double start, double length)
    {
        if (!(length > 0)) return 1;
        double p = (x - start) / length;
        return p > 1 ? 1 : p;
    }

    /// <summary>
    /// Offset of cycle <paramref name="k"/> from the repeat's start when cycle 0 lasts <paramref name="cycle"/> (already
    /// scaled) and cycle k lasts <c>cycle * mult^k</c>: computed, never summed cycle by cycle.
    /// </summary>
    public static double CycleOffset(int k, double cycle, double mult) =>
        mult == 1 ? k * cycle : cycle * (Math.Pow(mult, k) - 1) / (mult - 1);

    /// <summary>The last cycle, at most <paramref name="lastCycle"/>, whose start <c>start + CycleOffset(k)</c> is at or before <paramref name="x"/>.</summary>
    public static int CycleAt(double x, double start, double cycle, double mult, int lastCycle)
    {
        double u = x - start;
        if (!(u > 0) || !(cycle > 0)) return 0;
        double estimate = mult == 1 ? Math.Floor(u / cycle) : Math.Floor(Math.Log(1 + u * (mult - 1) / cycle) / Math.Log(mult));
        // NaN: shrinking cycles (mult < 1) all end before u.
        int k = !(estimate < lastCycle) ? lastCycle : estimate <= 0 ? 0 : (int)estimate;
        // The estimate is off by one where rounding puts it across a boundary: settle it on the boundaries themselves.
        if (k < lastCycle && start + CycleOffset(k + 1, cycle, mult) <= x) k++;
        else if (k > 0 && start + CycleOffset(k, cycle, mult) > x) k--;
        if ((k == lastCycle || start + CycleOffset(k + 1, cycle, mult) > x) && (k == 0 || start + CycleOffset(k, cycle, mult) <= x)) return k;
        // Far off (cycles so short or so many that the logarithm lost its digits): search the boundaries.
        int lo = 0, hi = lastCycle;
        while (lo < hi)
        {
            int mid = lo + ((hi - lo + 1) >> 1);
            if (start + CycleOffset(mid, cycle, mult) <= x) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    /// <summary>The last cycle, at most <paramref name="lastCycle"/>, whose start is strictly before <paramref name="x"/> (0 when none): the cycle a value from the left belongs to.</summary>
    public static int CycleBefore(double x, double start, double cycle, double mult, int lastCycle)
    {
        int k = CycleAt(x, start, cycle, mult, lastCycle);
        // Only a cycle starting exactly at x moves back; zero-length cycles do not exist (cycles are checked positive).
        if (k > 0 && start + CycleOffset(k, cycle, mult) >= x) k--;
        return k;
    }

    /// <summary>Scale of cycle <paramref name="k"/>: every length inside it is multiplied by <c>scale * mult^k</c>.</summary>
    public static double CycleScale(int k, double scale, double mult) => mult == 1 ? scale : scale * Math.Pow(mult, k);

    /// <summary><c>max(start, floor(x / block) * block)</c>: <c>A by epoch</c> and <c>A by N it</c>.</summary>
    public static double Quantize(double x, double block, double start)
    {
        double q = Math.Floor(x / block) * block;
        return q < start ? start : q;
    }

    /// <summary>
    /// The last part of a sequence placed at <paramref name="start"/> with <paramref name="scale"/> whose start
    /// <c>start + offsets[i] * scale</c> is at or before <paramref name="x"/>; 0 when none. Binary search.
    /// </summary>
    public static int PartAt(double[] offsets, double start, double scale, double x)
    {
        int lo = 0, hi = offsets.Length - 1;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) >> 1;
            if (start + offsets[mid] * scale <= x) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    /// <summary>The last part whose start is strictly before <paramref name="x"/> (0 when none): the part a value from the left belongs to.</summary>
    public static int PartBefore(double[] offsets, double start, double scale, double x)
    {
        int lo = 0, hi = offsets.Length - 1;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) >> 1;
            if (start + offsets[mid] * scale < x) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    /// <summary><c>bisect(items, x)</c>: how many items are at most <paramref name="x"/> (Python's <c>bisect_right</c> on the sorted list).</summary>
    public static double Bisect(double[] items, double x)
    {
        int count = 0;
        for (int i = 0; i < items.Length; i++)
        {
            if (items[i] <= x) count++;
        }
        return count;
    }
}
