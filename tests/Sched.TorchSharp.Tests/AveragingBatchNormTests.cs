using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sched.TorchSharp.Tests;

/// <summary>
/// <see cref="BatchNormUpdate"/> against statistics computed by hand: with momentum null, a BatchNorm layer's running mean is the
/// plain mean of the batch means and its running variance the plain mean of the unbiased batch variances.
/// </summary>
public class AveragingBatchNormTests
{
    /// <summary>bn1 sees x, bn2 sees 2x; their outputs are summed.</summary>
    private sealed class TwoBatchNorms : nn.Module<Tensor, Tensor>
    {
        public TwoBatchNorms() : base(nameof(TwoBatchNorms))
        {
            Bn1 = nn.BatchNorm1d(2);
            Bn2 = nn.BatchNorm1d(2, momentum: 0.3);
            register_module("bn1", Bn1);
            register_module("bn2", Bn2);
        }

        public BatchNorm1d Bn1 { get; }
        public BatchNorm1d Bn2 { get; }

        public override Tensor forward(Tensor input)
        {
            using var doubled = input * 2;
            using var a = Bn1.forward(input);
            using var b = Bn2.forward(doubled);
            return a + b;
        }
    }

    // Three batches of two samples, two features.
    private static List<Tensor> Batches() =>
    [
        tensor(new float[] { 1, 10, 3, 14 }).reshape(2, 2),  // means [2, 12], unbiased variances [2, 8]
        tensor(new float[] { 5, 0, 9, 2 }).reshape(2, 2),    // means [7, 1], variances [8, 2]
        tensor(new float[] { 0, 6, 0, 6 }).reshape(2, 2),    // means [0, 6], variances [0, 0]
    ];

    [Fact]
    public void Statistics_are_the_plain_averages_over_the_pass()
    {
        using var model = new TwoBatchNorms();
        SetStatistics(model.Bn1, [50, 50], [9, 9]);   // stale statistics, to be replaced
        var batches = Batches();
        Assert.Equal(2, BatchNormUpdate.Run(model, batches));

        // bn1: mean ([2, 12] + [7, 1] + [0, 6]) / 3 = [3, 19/3], variance ([2, 8] + [8, 2] + [0, 0]) / 3 = [10/3, 10/3].
        AssertClose([3, 19.0 / 3], model.Bn1.running_mean!);
        AssertClose([10.0 / 3, 10.0 / 3], model.Bn1.running_var!);
        // bn2 sees 2x: means twice, variances four times.
        AssertClose([6, 38.0 / 3], model.Bn2.running_mean!);
        AssertClose([40.0 / 3, 40.0 / 3], model.Bn2.running_var!);
        Assert.Equal(3, model.Bn1.num_batches_tracked!.item<long>());
        foreach (var batch in batches) Assert.Equal(2, batch.shape[0]); // the caller's batches are left alive
    }

    [Fact]
    public void Momenta_training_flags_and_parameters_are_put_back()
    {
        using var model = new TwoBatchNorms();
        using (no_grad()) model.Bn1.weight.copy_(tensor(new float[] { 2, 3 }));
        model.train();
        model.Bn2.eval();   // a mix: the top in training mode, one layer in eval mode
        BatchNormUpdate.Run(model, Batches());
        Assert.Equal(0.1, model.Bn1.momentum);
        Assert.Equal(0.3, model.Bn2.momentum);
        Assert.True(model.training);
        Assert.True(model.Bn1.training);
        Assert.False(model.Bn2.training);
        Assert.Equal([2f, 3f], model.Bn1.weight.data<float>().ToArray());

        model.eval();
        BatchNormUpdate.Run(model, Batches());
        Assert.False(model.training);
        Assert.False(model.Bn1.training);
    }

    [Fact]
    public void The_generic_overload_runs_the_given_forward_on_each_batch()
    {
        using var model = new TwoBatchNorms();
        var batches = Batches().Select(x => (Input: x, Label: 0)).ToList();
        BatchNormUpdate.Run(model, batches, batch => model.forward(batch.Input));
        AssertClose([3, 19.0 / 3], model.Bn1.running_mean!);
    }

    [Fact]
    public void No_batches_is_refused_and_leaves_the_statistics_as_they_were()
    {
        using var model = new TwoBatchNorms();
        SetStatistics(model.Bn1, [50, 50], [9, 9]);
        var e = Assert.Throws<ArgumentException>(() => BatchNormUpdate.Run(model, new List<Tensor>()));
        Assert.Contains("no batches", e.Message);
        AssertClose([50, 50], model.Bn1.running_mean!);
        AssertClose([9, 9], model.Bn1.running_var!);
        Assert.Equal(0.1, model.Bn1.momentum);
    }

    [Fact]
    public void A_model_without_BatchNorm_needs_no_pass()
    {
        using var model = nn.Sequential(("fc", nn.Linear(2, 2)));
        Assert.Equal(0, BatchNormUpdate.Run(model, NeverEnumerated()));

        static IEnumerable<Tensor> NeverEnumerated()
        {
            throw new InvalidOperationException("a model without BatchNorm should not be run");
#pragma warning disable CS0162 // the yield makes this an iterator, which throws only when enumerated
            yield break;
#pragma warning restore CS0162
        }
    }

    private static void SetStatistics(BatchNorm layer, float[] mean, float[] variance)
    {
        using var noGrad = no_grad();
        layer.running_mean!.copy_(tensor(mean));
        layer.running_var!.copy_(tensor(variance));
    }

    private static void AssertClose(double[] expected, Tensor actual)
    {
        float[] values = actual.data<float>().ToArray();
        Assert.Equal(expected.Length, values.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], values[i], 5);
    }
}
