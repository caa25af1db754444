using System.Globalization;

namespace Sched.Language.Binding;

/// <summary>
/// Names the lengths and positions of compile-time messages for a schedule that counts in epochs, where
/// steps-per-epoch is only a stand-in. Each such number is affine in it (a steps + b epochs), so the same check
/// run at two stand-ins recovers a and b: messages say "6 steps" or "epoch 2 + 3 steps", not a fraction of a
/// made-up epoch.
/// </summary>
internal sealed class StandInNumbers
{
    private readonly int _stepsPerEpoch;
    private readonly List<double> _seen = new();
    private readonly StandInNumbers? _other;
    private readonly StandInNumbers? _same;

    /// <param name="other">The same check at another stand-in, in the same order; without it numbers are read in epochs.</param>
    /// <param name="same">The same check at this stand-in, run before, to pair numbers by their order.</param>
    public StandInNumbers(int stepsPerEpoch, StandInNumbers? other = null, StandInNumbers? same = null)
    {
        _stepsPerEpoch = stepsPerEpoch;
        _other = other;
        _same = same;
    }

    public int StepsPerEpoch => _stepsPerEpoch;

    /// <summary>Whether two runs named the same numbers in the same order, so one can be read against the other.</summary>
    public bool Pairs(StandInNumbers other) => _seen.Count == other._seen.Count;

    /// <summary>A length: "6 steps", "2 epochs", "2 epochs - 3 steps".</summary>
    public string Length(double steps)
    {
        var (epochs, extra) = Split(steps);
        if (extra == 0) return $"{Format(epochs)} epochs";
        if (epochs == 0) return $"{Format(extra)} steps";
        return $"{Format(epochs)} epochs {Signed(extra)} steps";
    }

    /// <summary>A position: "step 6", "epoch 2", "epoch 2 + 3 steps".</summary>
    public string Position(double x)
    {
        var (epochs, extra) = Split(x);
        if (extra == 0) return $"epoch {Format(epochs)}";
        if (epochs == 0) return $"step {Format(extra)}";
        return $"epoch {Format(epochs)} {Signed(extra)} steps";
    }

    private (double Epochs, double Steps) Split(double value)
    {
        int index = _seen.Count;
        _seen.Add(value);
        if (_other is null || _same is null || index >= _other._seen.Count || index >= _same._seen.Count || _same._seen[index] != value)
        {
            return (Math.Round(value / _stepsPerEpoch, 6), 0);
        }
        double epochs = (value - _other._seen[index]) / (_stepsPerEpoch - _other._stepsPerEpoch);
        double steps = value - epochs * _stepsPerEpoch;
        return (Math.Round(epochs, 6), Math.Round(steps, 6));
    }

    private static string Signed(double steps) => (steps < 0 ? "- " : "+ ") + Format(Math.Abs(steps));

    private static string Format(double value) => (value + 0.0).ToString("G10", CultureInfo.InvariantCulture);
}
