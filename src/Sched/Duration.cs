using System.Globalization;
using Sched.Model;

namespace Sched;

/// <summary>A duration argument for a generated schedule's parameter: steps, epochs or a share of the total.</summary>
public readonly struct Duration : IEquatable<Duration>
{
    private Duration(double amount, DurationUnit unit)
    {
        Amount = amount;
        Unit = unit;
    }

    /// <summary><c>N it</c>: optimizer steps.</summary>
    public static Duration Steps(double steps) => new(steps, DurationUnit.Iteration);

    /// <summary><c>N ep</c>: epochs, turned into steps with the schedule's steps per epoch.</summary>
    public static Duration Epochs(double epochs) => new(epochs, DurationUnit.Epoch);

    /// <summary><c>N %</c>: a share of the schedule's total (of the cycle inside <c>every</c>).</summary>
    public static Duration Percent(double percent) => new(percent, DurationUnit.Percent);

    /// <summary>How many steps, epochs or percent.</summary>
    public double Amount { get; }

    /// <summary>The unit; a default <see cref="Duration"/> counts steps.</summary>
    public DurationUnit Unit { get; }

    /// <summary>The duration as the language writes it, e.g. <c>10ep</c>; numbers round-trip exactly.</summary>
    public override string ToString() => Amount.ToString("R", CultureInfo.InvariantCulture) + Unit switch
    {
        DurationUnit.Epoch => "ep",
        DurationUnit.Percent => "%",
        _ => "it",
    };

    public bool Equals(Duration other) => Amount.Equals(other.Amount) && Normal(Unit) == Normal(other.Unit);

    public override bool Equals(object? obj) => obj is Duration other && Equals(other);

    public override int GetHashCode() => Amount.GetHashCode() ^ Normal(Unit).GetHashCode();

    public static bool operator ==(Duration left, Duration right) => left.Equals(right);

    public static bool operator !=(Duration left, Duration right) => !left.Equals(right);

    private static DurationUnit Normal(DurationUnit unit) => unit == DurationUnit.None ? DurationUnit.Iteration : unit;
}
