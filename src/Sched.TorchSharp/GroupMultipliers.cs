namespace Sched.TorchSharp;

/// <summary>
/// One factor per param group, in the optimizer's group order: discriminative learning rates. Either an explicit list or a
/// geometric spread from the first group to the last, as fastai's <c>slice(lo, hi)</c> spreads rates over layer groups.
/// </summary>
public sealed class GroupMultipliers
{
    private readonly double[]? _explicit;
    private readonly double _first, _last;

    private GroupMultipliers(double[]? values, double first, double last)
    {
        _explicit = values;
        _first = first;
        _last = last;
    }

    /// <summary>Exactly these factors, one per param group; their count must match the optimizer's groups.</summary>
    public static GroupMultipliers Of(params double[] factors)
    {
        ArgumentNullException.ThrowIfNull(factors);
        if (factors.Length == 0) throw new ArgumentException("give at least one multiplier, one per param group", nameof(factors));
        foreach (double f in factors) RequireFinite(f, nameof(factors));
        return new GroupMultipliers((double[])factors.Clone(), 0, 0);
    }

    /// <summary>
    /// Factors spread geometrically from <paramref name="first"/> (group 0) to <paramref name="last"/> (the last group), for any number
    /// of groups; a single group gets <paramref name="last"/>, as fastai's <c>even_mults</c> does.
    /// </summary>
    public static GroupMultipliers Geometric(double first, double last)
    {
        RequireFinite(first, nameof(first));
        RequireFinite(last, nameof(last));
        if (first <= 0 || last <= 0) throw new ArgumentOutOfRangeException(first <= 0 ? nameof(first) : nameof(last), "a geometric spread needs positive ends");
        return new GroupMultipliers(null, first, last);
    }

    /// <summary>The factors for <paramref name="groupCount"/> groups; <paramref name="optimizerName"/> names the optimizer in the error.</summary>
    public double[] For(int groupCount, string optimizerName)
    {
        if (_explicit is not null)
        {
            if (_explicit.Length != groupCount)
            {
                throw new ArgumentException(
                    $"{_explicit.Length} learning-rate multipliers given for the {groupCount} param group{(groupCount == 1 ? "" : "s")} of {optimizerName}; give one per group, in group order");
            }
            return (double[])_explicit.Clone();
        }
        var factors = new double[groupCount];
        if (groupCount == 1) { factors[0] = _last; return factors; }
        double ratio = Math.Pow(_last / _first, 1.0 / (groupCount - 1));
        for (int i = 0; i < groupCount; i++) factors[i] = _first * Math.Pow(ratio, i);
        factors[groupCount - 1] = _last;
        return factors;
    }

    public override string ToString() =>
        _explicit is not null ? $"[{string.Join(", ", _explicit.Select(f => f.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}]"
                              : FormattableString.Invariant($"geometric {_first:R} -> {_last:R}");

    private static void RequireFinite(double value, string name)
    {
        if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(name, value, "a multiplier must be a finite number");
    }
}
