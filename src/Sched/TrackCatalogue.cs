using System.Globalization;

namespace Sched;

/// <summary>
/// A track optimizers know (docs/language.md §3): its name and aliases, the range its values must stay in, and the
/// name of the method generated classes give it. Checks, the binder, generated code and the run-time range check all
/// read this one table.
/// </summary>
public sealed class TrackInfo
{
    internal TrackInfo(string name, string[] aliases, string method, double minimum, double maximum, bool maximumExcluded, bool zeroInsideWarns, string meaning)
    {
        Name = name;
        Aliases = aliases;
        Method = method;
        Minimum = minimum;
        Maximum = maximum;
        MaximumExcluded = maximumExcluded;
        ZeroInsideWarns = zeroInsideWarns;
        Meaning = meaning;
    }

    /// <summary>The canonical name (<c>momentum</c>, not <c>mom</c>).</summary>
    public string Name { get; }

    public IReadOnlyList<string> Aliases { get; }

    /// <summary>The method generated classes give the track (<c>LearningRate</c>).</summary>
    public string Method { get; }

    public double Minimum { get; }

    public double Maximum { get; }

    /// <summary>Whether <see cref="Maximum"/> itself is outside the range (<c>[0, 1)</c>).</summary>
    public bool MaximumExcluded { get; }

    /// <summary>Whether a zero value inside a segment deserves a warning (a learning rate of 0 trains nothing).</summary>
    public bool ZeroInsideWarns { get; }

    /// <summary>What the track sets, for messages and docs.</summary>
    public string Meaning { get; }

    /// <summary>Whether <paramref name="value"/> lies in the range; NaN never does.</summary>
    public bool Allows(double value) => value >= Minimum && (MaximumExcluded ? value < Maximum : value <= Maximum);

    /// <summary>The range as messages write it: <c>[0, 1)</c>, <c>[0, infinity)</c>.</summary>
    public string Range => $"[{Format(Minimum)}, {(double.IsPositiveInfinity(Maximum) ? "infinity" : Format(Maximum))}{(MaximumExcluded ? ")" : "]")}";

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public override string ToString() => Name;
}

/// <summary>The known tracks. Any other name is a custom track: it may hold any finite value.</summary>
public static class TrackCatalogue
{
    public static readonly TrackInfo LearningRate = new("lr", Array.Empty<string>(), "LearningRate", 0, double.PositiveInfinity, true, true, "the learning rate");

    public static readonly TrackInfo Momentum = new("momentum", new[] { "mom" }, "Momentum", 0, 1, true, false, "SGD momentum, Adam's beta1, RMSprop's momentum");

    public static readonly TrackInfo Beta2 = new("beta2", Array.Empty<string>(), "Beta2", 0, 1, true, false, "Adam's beta2");

    public static readonly TrackInfo WeightDecay = new("wd", Array.Empty<string>(), "WeightDecay", 0, double.PositiveInfinity, true, false, "weight decay");

    public static IReadOnlyList<TrackInfo> Known { get; } = new[] { LearningRate, Momentum, Beta2, WeightDecay };

    /// <summary>The known track of this name or alias, or null for a custom track.</summary>
    public static TrackInfo? Find(string name)
    {
        foreach (var track in Known)
        {
            if (track.Name == name || track.Aliases.Contains(name)) return track;
        }
        return null;
    }

    /// <summary>The canonical spelling: an alias becomes its track's name (<c>mom</c> is <c>momentum</c>); others are unchanged.</summary>
    public static string Canonical(string name) => Find(name)?.Name ?? name;
}
