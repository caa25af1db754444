using System.Globalization;
using CsCheck;

namespace Sched.Tests;

/// <summary>Random schedules against the closed forms of docs/language.md §5, computed here from the same random numbers.</summary>
public class PropertyTests
{
    private sealed record Segment(int Kind, double A, double B, int Length)
    {
        private static readonly string[] Names = ["lin", "cos", "exp", "const"];

        public string Text => Kind == 3
            ? $"const({Num(A)}, {Length}it)"
            : $"{Names[Kind]}({Num(A)} -> {Num(B)}, {Length}it)";

        public double At(double p) => Kind switch
        {
            0 => A + (B - A) * p,
            1 => B + (A - B) * (1 + Math.Cos(Math.PI * p)) / 2,
            2 => A * Math.Pow(B / A, p),
            _ => A,
        };
    }

    private static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static readonly Gen<Segment> SegmentGen =
        Gen.Select(Gen.Int[0, 3], Gen.Double[1e-6, 2.0], Gen.Double[1e-6, 2.0], Gen.Int[1, 120],
            (kind, a, b, length) => new Segment(kind, a, b, length));

    // Positions in [0, 1.2): scaled to the schedule total, so some land past the end.
    private static readonly Gen<(Segment[] Segments, double[] Positions, bool Over)> ScheduleGen =
        Gen.Select(SegmentGen.Array[1, 5], Gen.Double[0, 1.2].Array[1, 30], Gen.Bool);

    private static double Expected(Segment[] segments, double x)
    {
        double start = 0;
        foreach (var segment in segments)
        {
            if (x < start + segment.Length) return segment.At((x - start) / segment.Length);
            start += segment.Length;
        }
        return segments[^1].At(1); // held: limit from the left at the end
    }

    // A concat of 1–5 random lin/cos/exp/const segments equals the formulas at random positions (whole steps and fractional).
    [Fact]
    public void RandomConcat_MatchesClosedForm()
    {
        ScheduleGen.Sample(sample =>
        {
            var (segments, positions, over) = sample;
            int total = segments.Sum(s => s.Length);
            string body = string.Join(" + ", segments.Select(s => s.Text));
            string text = over ? $"schedule P over {total}it {{ lr = {body} }}" : $"schedule P {{ lr = {body} }}";
            var schedule = Build.Create(text);
            Assert.Equal(total, schedule.TotalSteps);
            foreach (double fraction in positions)
            {
                double x = fraction * total;
                long step = (long)Math.Floor(x);
                Expect.Close(Expected(segments, step), schedule.ValueAt("lr", step), $"{text} at step {step}");
                Expect.Close(Expected(segments, x), schedule.Evaluate(0, x), $"{text} at x = {Num(x)}");
            }
        }, iter: 1000);
    }

    // repeat(n, mult = m) of a cosine equals SGDR's formula for random n, m, cycle length and values.
    [Fact]
    public void RandomRepeat_MatchesSgdr()
    {
        var gen = Gen.Select(Gen.Int[1, 5], Gen.Int[1, 3], Gen.Int[1, 20], Gen.Double[0.01, 1], Gen.Double[0, 0.009]);
        gen.Sample((n, mult, length, etaMax, etaMin) =>
        {
            string text = $"schedule R {{ lr = repeat({n}, mult = {mult}) {{ cos({Num(etaMax)} -> {Num(etaMin)}, {length}it) }} }}";
            var schedule = Build.Create(text);
            double total = 0;
            for (int k = 0; k < n; k++) total += length * Math.Pow(mult, k);
            Assert.Equal(total, schedule.TotalSteps);
            for (long step = 0; step <= total + 3; step++)
            {
                double expected = etaMin;
                double start = 0;
                for (int k = 0; k < n; k++)
                {
                    double tI = length * Math.Pow(mult, k);
                    if (step < start + tI)
                    {
                        double p = (step - start) / tI; // p first, as docs/language.md defines it: 1 + cos(pi p) cancels near p = 1, so pi*u/L vs pi*(u/L) can differ by 1e-12
                        expected = etaMin + (etaMax - etaMin) * (1 + Math.Cos(Math.PI * p)) / 2;
                        break;
                    }
                    start += tI;
                }
                Expect.Close(expected, schedule.ValueAt("lr", step), $"{text} at step {step}");
            }
        }, iter: 300);
    }
}
