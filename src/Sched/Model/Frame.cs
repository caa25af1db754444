using System.ComponentModel;

namespace Sched.Model;

/// <summary>
/// What values may read while a track is evaluated (docs/language.md §5–7). A struct passed by reference, so
/// evaluation allocates nothing.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public struct Frame
{
    /// <summary>The position <c>step</c>, <c>t</c> and <c>epoch</c> read (quantized inside <c>by</c>).</summary>
    public double X;

    /// <summary>The schedule's total in steps, for <c>t = x / total</c>.</summary>
    public double Total;

    /// <summary>Steps per epoch, for <c>epoch = x / stepsPerEpoch</c>.</summary>
    public double StepsPerEpoch;

    /// <summary>Progress of the innermost segment or modulated part.</summary>
    public double P;

    /// <summary>Index of the innermost repeat's cycle.</summary>
    public int Cycle;
}

/// <summary>The variables values may read.</summary>
public enum Variable
{
    P,
    T,
    Step,
    Epoch,
    Cycle,
}
