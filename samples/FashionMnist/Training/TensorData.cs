using TorchSharp;
using static TorchSharp.torch;

namespace Sched.Samples.FashionMnist;

/// <summary>The images and labels as tensors on the training device, the batches of each epoch, and evaluation on the test images.</summary>
public sealed class TensorData : IDisposable
{
    private const double Mean = 0.2860, Std = 0.3530; // Fashion-MNIST training pixels, scaled to [0, 1]
    private const int EvaluationBatch = 1000;

    private readonly Tensor _trainX, _trainY, _testX, _testY;

    public TensorData(FashionMnistData data, Device device)
    {
        _trainX = Images(data.TrainImages, data.TrainCount, device);
        _trainY = Labels(data.TrainLabels, device);
        _testX = Images(data.TestImages, data.TestCount, device);
        _testY = Labels(data.TestLabels, device);
        Device = device;
        TrainCount = data.TrainCount;
    }

    public Device Device { get; }
    public int TrainCount { get; }

    /// <summary>Batches of <paramref name="batchSize"/> per epoch, the last one smaller when the images do not divide evenly.</summary>
    public int StepsPerEpoch(int batchSize) => (TrainCount + batchSize - 1) / batchSize;

    /// <summary>The images and labels of batch <paramref name="batch"/> of <paramref name="order"/>; they belong to the caller's dispose scope.</summary>
    public (Tensor Input, Tensor Target) Batch(long[] order, int batch, int batchSize)
    {
        int from = batch * batchSize, count = Math.Min(batchSize, TrainCount - from);
        Tensor index = tensor(order.AsSpan(from, count).ToArray(), device: Device);
        return (_trainX.index_select(0, index), _trainY.index_select(0, index));
    }

    /// <summary>The training images in batches, in their stored order: the inputs of a BatchNorm statistics pass.</summary>
    public IEnumerable<Tensor> TrainInputs(int batchSize)
    {
        for (long from = 0; from < TrainCount; from += batchSize) yield return _trainX.narrow(0, from, Math.Min(batchSize, TrainCount - from));
    }

    /// <summary>The epoch's order of training images: a function of seed and epoch only, so a resumed run sees the same batches.</summary>
    public long[] Permutation(int seed, int epoch)
    {
        var order = new long[TrainCount];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        new Random(unchecked(seed * 1_000_003 + epoch)).Shuffle(order); // not HashCode: it differs between processes
        return order;
    }

    /// <summary>Mean cross-entropy and accuracy of <paramref name="model"/> on the test images, in eval mode; the model is left in train mode.</summary>
    public (double Loss, double Accuracy) Evaluate(nn.Module<Tensor, Tensor> model)
    {
        model.eval();
        using var _ = no_grad();
        long n = _testX.shape[0];
        double lossSum = 0;
        long correct = 0;
        for (long from = 0; from < n; from += EvaluationBatch)
        {
            using var scope = NewDisposeScope();
            long count = Math.Min(EvaluationBatch, n - from);
            Tensor xb = _testX.narrow(0, from, count), yb = _testY.narrow(0, from, count);
            Tensor output = model.forward(xb);
            lossSum += nn.functional.cross_entropy(output, yb, reduction: nn.Reduction.Sum).item<float>();
            correct += output.argmax(1).eq(yb).sum().item<long>();
        }
        model.train();
        return (lossSum / n, correct / (double)n);
    }

    public void Dispose()
    {
        _trainX.Dispose();
        _trainY.Dispose();
        _testX.Dispose();
        _testY.Dispose();
    }

    private static Tensor Labels(byte[] labels, Device device) => tensor(labels.Select(b => (long)b).ToArray(), device: device);

    private static Tensor Images(byte[] pixels, int count, Device device)
    {
        using var bytes = tensor(pixels, new long[] { count, 1, FashionMnistData.Side, FashionMnistData.Side });
        using var scaled = bytes.to_type(ScalarType.Float32).div_(255.0).sub_(Mean).div_(Std);
        return scaled.to(device);
    }
}
