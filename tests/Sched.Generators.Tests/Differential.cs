namespace Sched.Generators.Tests;

/// <summary>Compares two schedules bit for bit at the positions a training loop and a resumed run can ask for.</summary>
internal static class Differential
{
    /// <summary>Every quarter step from -2 to ceil(total) + 3, the floats around the end, and far past it.</summary>
    public static IEnumerable<double> Positions(double total)
    {
        double last = Math.Ceiling(total) + 3;
        for (double x = -2; x <= last; x += 0.25) yield return x;
        // Boundaries fall on fractional steps; the float on each side of the end catches an off-by-one-ulp hold.
        foreach (double x in new[]
                 {
                     Math.BitDecrement(total), total, Math.BitIncrement(total), total + 1e-9, total * 2 + 0.5, total * 1e6 + 1,
                     1e15, 1e300, double.MaxValue, double.PositiveInfinity,
                     -1e-300, -0.0, -1e9, double.MinValue, double.NegativeInfinity,
                 })
        {
            yield return x;
        }
    }

    /// <summary>Returns the first difference as text (null when none): metadata, then every track at every position.</summary>
    public static string? FirstDifference(ISchedule expected, ISchedule actual)
    {
        if (!expected.TotalSteps.Equals(actual.TotalSteps)) return $"TotalSteps: interpreter {R(expected.TotalSteps)}, generated {R(actual.TotalSteps)}";
        if (expected.StepsPerEpoch != actual.StepsPerEpoch) return $"StepsPerEpoch: interpreter {expected.StepsPerEpoch}, generated {actual.StepsPerEpoch}";
        if (expected.Name != actual.Name) return $"Name: interpreter {expected.Name}, generated {actual.Name}";
        if (!expected.TrackNames.SequenceEqual(actual.TrackNames))
        {
            return $"TrackNames: interpreter [{string.Join(", ", expected.TrackNames)}], generated [{string.Join(", ", actual.TrackNames)}]";
        }
        foreach (string name in expected.TrackNames.Append("mom").Append("nope"))
        {
            if (expected.IndexOf(name) != actual.IndexOf(name)) return $"IndexOf(\"{name}\"): interpreter {expected.IndexOf(name)}, generated {actual.IndexOf(name)}";
        }
        int count = expected.TrackNames.Count;
        Span<double> wantAll = stackalloc double[count], gotAll = stackalloc double[count];
        for (int track = 0; track < count; track++)
        {
            // A NaN position is refused by both, in the same words.
            string? refusedWant = Refusal(() => expected.Evaluate(track, double.NaN)), refusedGot = Refusal(() => actual.Evaluate(track, double.NaN));
            if (refusedWant is null || refusedWant != refusedGot) return $"track {expected.TrackNames[track]} at NaN: interpreter '{refusedWant}', generated '{refusedGot}'";
            foreach (double x in Positions(expected.TotalSteps))
            {
                double want = expected.Evaluate(track, x);
                double got = actual.Evaluate(track, x);
                // Bits, not ==: NaN must match NaN and -0 must match -0.
                if (BitConverter.DoubleToInt64Bits(want) != BitConverter.DoubleToInt64Bits(got))
                {
                    return $"track {expected.TrackNames[track]} at step {R(x)}: interpreter {R(want)}, generated {R(got)}";
                }
            }
        }
        foreach (double x in Positions(expected.TotalSteps))
        {
            expected.EvaluateAll(x, wantAll);
            actual.EvaluateAll(x, gotAll);
            for (int track = 0; track < count; track++)
            {
                if (BitConverter.DoubleToInt64Bits(wantAll[track]) != BitConverter.DoubleToInt64Bits(gotAll[track])
                    || BitConverter.DoubleToInt64Bits(wantAll[track]) != BitConverter.DoubleToInt64Bits(expected.Evaluate(track, x)))
                {
                    return $"EvaluateAll, track {expected.TrackNames[track]} at step {R(x)}: interpreter {R(wantAll[track])}, generated {R(gotAll[track])}";
                }
            }
        }
        return null;
    }

    private static string? Refusal(Action evaluate)
    {
        try
        {
            evaluate();
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }

    public static string R(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
