using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sched.Samples.FashionMnist;

/// <summary>conv 1→16 3x3, relu, maxpool 2, conv 16→32 3x3, relu, maxpool 2, fully connected 32·7·7 → 10.</summary>
public sealed class Cnn : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1 = nn.Conv2d(1, 16, 3, padding: 1);
    private readonly Conv2d conv2 = nn.Conv2d(16, 32, 3, padding: 1);
    private readonly Linear fc = nn.Linear(32 * 7 * 7, 10);

    public Cnn() : base(nameof(Cnn)) => RegisterComponents();

    public override Tensor forward(Tensor input)
    {
        using var x1 = conv1.forward(input);
        using var r1 = nn.functional.relu(x1);
        using var p1 = nn.functional.max_pool2d(r1, 2);
        using var x2 = conv2.forward(p1);
        using var r2 = nn.functional.relu(x2);
        using var p2 = nn.functional.max_pool2d(r2, 2);
        using var flat = p2.flatten(1);
        return fc.forward(flat);
    }
}
