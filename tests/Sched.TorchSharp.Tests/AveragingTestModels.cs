using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sched.TorchSharp.Tests;

/// <summary>
/// One parameter <c>w</c> of two values, a floating-point buffer <c>stat</c> of two values and an integer buffer <c>count</c>: the
/// smallest model whose every kind of tensor an averager treats differently, with values a test sets and reads directly.
/// </summary>
internal sealed class ToyModel : nn.Module<Tensor, Tensor>
{
    public ToyModel(ScalarType dtype = ScalarType.Float32) : base(nameof(ToyModel))
    {
        W = nn.Parameter(zeros(2, dtype));
        Stat = zeros(2, dtype);
        Count = zeros(Array.Empty<long>(), ScalarType.Int64);
        register_parameter("w", W);
        register_buffer("stat", Stat);
        register_buffer("count", Count);
    }

    public Parameter W { get; }
    public Tensor Stat { get; }
    public Tensor Count { get; }

    public override Tensor forward(Tensor input) => input * W + Stat;

    /// <summary>Sets the parameter and the buffers, as an optimizer step and a forward pass would.</summary>
    public void Set(double[] w, double[]? stat = null, long count = 0)
    {
        using var noGrad = no_grad();
        using var wValues = tensor(w, W.dtype);
        W.copy_(wValues);
        using var statValues = tensor(stat ?? [0.0, 0.0], Stat.dtype);
        Stat.copy_(statValues);
        Count.fill_(count);
    }

    public double[] WValues() => Values(W);

    public double[] StatValues() => Values(Stat);

    public long CountValue() => Count.item<long>();

    private static double[] Values(Tensor t)
    {
        using var d = t.detach().to(ScalarType.Float64);
        return d.data<double>().ToArray();
    }
}

/// <summary>Linear 4→3, BatchNorm, ReLU, Linear 3→1, with seeded weights and fixed data: parameters and both kinds of BatchNorm buffer.</summary>
internal sealed class BatchNormModel : IDisposable
{
    public BatchNormModel(long seed)
    {
        Net = nn.Sequential(("fc1", nn.Linear(4, 3)), ("bn", nn.BatchNorm1d(3)), ("relu", nn.ReLU()), ("fc2", nn.Linear(3, 1)));
        var generator = new Generator((ulong)seed);
        using (no_grad())
        {
            foreach (var p in Net.parameters()) p.copy_(rand(p.shape, generator: generator) - 0.5);
        }
        var data = new Generator(4321);
        Inputs = rand(new long[] { 8, 4 }, generator: data);
        Targets = rand(new long[] { 8, 1 }, generator: data);
    }

    public Sequential Net { get; }
    public Tensor Inputs { get; }
    public Tensor Targets { get; }

    public void TrainStep(optim.Optimizer optimizer)
    {
        using var scope = NewDisposeScope();
        Net.train();
        optimizer.zero_grad();
        nn.functional.mse_loss(Net.forward(Inputs), Targets).backward();
        optimizer.step();
    }

    public void Dispose()
    {
        Net.Dispose();
        Inputs.Dispose();
        Targets.Dispose();
    }

    /// <summary>The bits of every parameter and buffer, by name: an exact fingerprint of a module's state.</summary>
    public static Dictionary<string, long[]> StateBits(nn.Module module) =>
        module.named_parameters().Select(p => (p.name, (Tensor)p.parameter)).Concat(module.named_buffers())
            .ToDictionary(e => e.Item1, e => Bits(e.Item2));

    private static long[] Bits(Tensor t)
    {
        using var d = t.detach().cpu();
        return d.dtype switch
        {
            ScalarType.Float32 => d.data<float>().ToArray().Select(v => (long)BitConverter.SingleToInt32Bits(v)).ToArray(),
            ScalarType.Int64 => d.data<long>().ToArray(),
            _ => throw new NotSupportedException(d.dtype.ToString()),
        };
    }
}
