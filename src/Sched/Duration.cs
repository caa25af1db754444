using System.Globalization;

namespace Sched;

/// <summary>A duration argument for a generated schedule's parameter: steps, epochs or a share of the total.</summary>
public readonly struct Duration : IEquatable<Duration>
{
    private readonly double _amount;
    private readonly string _unit;

    private Duration(double amount, string unit)
    {
        _amount = amount;
        _unit = unit;
    }

    /// <summary><c>N it</c>: optimizer steps.</summary>
    public static Duration Steps(double steps) => new(steps, "it");

    /// <summary><c>N ep</c>: epochs, turned into steps with the schedule's steps per epoch.</summary>
    public static Duration Epochs(double epochs) => new(epochs, "ep");

    /// <summary><c>N %</c>: a share of the schedule's total (of the cycle inside <c>every</c>).</summary>
    public static Duration Percent(double percent) => new(percent, "%");

    /// <summary>The duration as the language writes it, e.g. <c>10ep</c>; numbers round-trip exactly.</summary>
    public override string ToString() => _amount.ToString("R", CultureInfo.InvariantCulture) + (_unit ?? "it");

    public bool Equals(Duration other) => _amount.Equals(other._amount) && _unit == other._unit;

    public override bool Equals(object? obj) => obj is Duration other && Equals(other);

    public override int GetHashCode() => _amount.GetHashCode() ^ (_unit?.GetHashCode() ?? 0);
}
