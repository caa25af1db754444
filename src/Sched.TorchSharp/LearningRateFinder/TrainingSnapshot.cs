using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sched.TorchSharp;

/// <summary>
/// A copy of everything a range test changes: the module's state dict (parameters and buffers), the parameters' gradients, the
/// optimizer's state (serialized with TorchSharp's own format: per-group options and per-parameter state such as momentum buffers),
/// every group's learning rate and the module's training flag. <see cref="Restore"/> writes it all back in place, so the parameter
/// objects the optimizer holds stay the same and come back bitwise.
/// </summary>
internal sealed class TrainingSnapshot : IDisposable
{
    private readonly nn.Module _module;
    private readonly OptimizerHelper _optimizer;
    private readonly List<(Tensor Live, Tensor Copy)> _state = [];
    private readonly List<(Parameter Parameter, Tensor? Grad)> _grads = [];
    private readonly byte[] _optimizerState;
    private readonly double[] _learningRates;
    private readonly bool _training;

    public TrainingSnapshot(nn.Module module, OptimizerHelper optimizer)
    {
        _module = module;
        _optimizer = optimizer;
        _training = module.training;
        foreach (var (_, live) in module.state_dict())
        {
            using var detached = live.detach();
            _state.Add((live, detached.clone()));
        }
        foreach (var parameter in module.parameters())
        {
            using var grad = parameter.grad;
            _grads.Add((parameter, grad is null ? null : grad.detach().clone()));
        }
        using (var stream = new MemoryStream())
        {
            using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) optimizer.save_state_dict(writer);
            _optimizerState = stream.ToArray();
        }
        _learningRates = optimizer.ParamGroups.Select(g => g.LearningRate).ToArray();
    }

    public void Restore()
    {
        using (no_grad())
        {
            foreach (var (live, copy) in _state) live.copy_(copy);
            foreach (var (parameter, grad) in _grads)
            {
                if (grad is null)
                {
                    parameter.grad = null;
                }
                else
                {
                    using var current = parameter.grad;
                    if (current is null) parameter.grad = grad.clone();
                    else current.copy_(grad);
                }
            }
        }
        using (var reader = new BinaryReader(new MemoryStream(_optimizerState))) _optimizer.load_state_dict(reader);
        int i = 0;
        foreach (var group in _optimizer.ParamGroups)
        {
            if (i < _learningRates.Length) group.LearningRate = _learningRates[i];
            i++;
        }
        _module.train(_training);
    }

    public void Dispose()
    {
        foreach (var (_, copy) in _state) copy.Dispose();
        foreach (var (_, grad) in _grads) grad?.Dispose();
    }
}
