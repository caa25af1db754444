using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sched.TorchSharp.Tests;

/// <summary>Two linear layers (two param groups) with seeded weights and fixed random data: the same on every run on CPU.</summary>
internal sealed class TinyModel : IDisposable
{
    public TinyModel(long seed)
    {
        // A generator of its own: tests run in parallel, and the global one (manual_seed) is shared by all of them.
        var generator = new Generator((ulong)seed);
        First = nn.Linear(4, 3);
        Second = nn.Linear(3, 1);
        using (no_grad())
        {
            foreach (var p in Parameters) p.copy_(rand(p.shape, generator: generator) - 0.5);
        }
        var data = new Generator(1234); // the same data for every model
        Inputs = rand(new long[] { 8, 4 }, generator: data);
        Targets = rand(new long[] { 8, 1 }, generator: data);
    }

    public Linear First { get; }
    public Linear Second { get; }
    public Tensor Inputs { get; }
    public Tensor Targets { get; }

    public IEnumerable<Parameter> FirstParameters => First.parameters();
    public IEnumerable<Parameter> SecondParameters => Second.parameters();
    public IEnumerable<Parameter> Parameters => First.parameters().Concat(Second.parameters());

    /// <summary>One training step: forward, backward, <c>optimizer.step()</c>.</summary>
    public void TrainStep(optim.Optimizer optimizer)
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        var loss = nn.functional.mse_loss(Second.forward(nn.functional.relu(First.forward(Inputs))), Targets);
        loss.backward();
        optimizer.step();
    }

    public void Save(BinaryWriter writer)
    {
        First.save(writer);
        Second.save(writer);
    }

    public void Load(BinaryReader reader)
    {
        First.load(reader);
        Second.load(reader);
    }

    /// <summary>Every parameter's bits, in order.</summary>
    public int[] ParameterBits() =>
        Parameters.SelectMany(p => p.detach().cpu().data<float>().ToArray()).Select(BitConverter.SingleToInt32Bits).ToArray();

    public void Dispose()
    {
        First.Dispose();
        Second.Dispose();
        Inputs.Dispose();
        Targets.Dispose();
    }
}
