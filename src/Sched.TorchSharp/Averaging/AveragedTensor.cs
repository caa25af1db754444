using static TorchSharp.torch;

namespace Sched.TorchSharp;

/// <summary>
/// One parameter or buffer of the model and its counterpart in the averaged model, bound once: the tensors the modules hold (to
/// tell later whether a module replaced them) and detached views of them, which the updates write in place outside autograd.
/// </summary>
internal sealed class AveragedTensor(string name, string kind, Tensor source, Tensor target, Tensor? weight) : IDisposable
{
    /// <summary>The name in the modules' state dicts: <c>fc.weight</c>, <c>bn.running_mean</c>.</summary>
    public string Name { get; } = name;

    /// <summary>"parameter" or "buffer", for errors.</summary>
    public string Kind { get; } = kind;

    /// <summary>The model's own tensor.</summary>
    public Tensor Source { get; } = source;

    /// <summary>The averaged model's own tensor.</summary>
    public Tensor Target { get; } = target;

    /// <summary>The model's values, detached: read by every update.</summary>
    public Tensor SourceView { get; } = source.detach().DetachFromDisposeScope();

    /// <summary>The averaged model's values, detached: written by every update.</summary>
    public Tensor TargetView { get; } = target.detach().DetachFromDisposeScope();

    /// <summary>The 0-dim tensor on this tensor's device and dtype holding the model's weight in the next update; null where the update copies.</summary>
    public Tensor? Weight { get; } = weight;

    public void Dispose()
    {
        SourceView.Dispose();
        TargetView.Dispose();
    }
}
