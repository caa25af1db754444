namespace Sched.Language.Evaluation;

/// <summary>
/// What values may read while a track is evaluated: the global position and the variables of DSL.md §5–6.
/// A struct passed by reference, so evaluation allocates nothing.
/// </summary>
public struct EvalContext
{
    /// <summary>Global training position in steps (quantized inside <c>by</c>).</summary>
    public double X;

    /// <summary>The schedule's total in steps, for <c>t = x / total</c>.</summary>
    public double Total;

    /// <summary>Steps per epoch, for <c>epoch = x / stepsPerEpoch</c>.</summary>
    public double StepsPerEpoch;

    /// <summary>Progress of the innermost <c>fn</c> segment or modulated track.</summary>
    public double P;

    /// <summary>Index of the innermost repeat's cycle.</summary>
    public int Cycle;

    /// <summary>Factor on every length inside the current cycle: the product of <c>mult^k</c> of the enclosing repeats.</summary>
    public double Scale;
}

/// <summary>The variables values may read (DSL.md §5–6).</summary>
public enum Variable
{
    P,
    T,
    Step,
    Epoch,
    Cycle,
}
