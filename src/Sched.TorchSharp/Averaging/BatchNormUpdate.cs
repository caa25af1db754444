using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sched.TorchSharp;

/// <summary>
/// Recomputes the running mean and variance of a model's BatchNorm layers with one pass over data, as PyTorch's
/// <c>torch.optim.swa_utils.update_bn</c> does: for an averaged model, whose weights no statistics were ever gathered for.
/// </summary>
/// <remarks>
/// Each BatchNorm layer that tracks running statistics is reset (mean 0, variance 1, batch count 0) and its momentum set to null,
/// which makes its statistics the plain average over the pass's batches (each batch weighs the same). The model runs forward in
/// training mode without gradients; afterwards every layer's momentum and every module's training flag are put back as they were,
/// also when the pass throws. Parameters are not touched; the random-number generators are (dropout draws from them, as in training).
/// </remarks>
public static class BatchNormUpdate
{
    /// <summary>Runs <paramref name="model"/> forward on every input and leaves its BatchNorm layers with the pass's statistics.</summary>
    /// <param name="model">The model whose BatchNorm statistics to recompute (for SWA, the averaged model).</param>
    /// <param name="inputs">
    /// Model inputs on the model's device, typically the training set in batches. Tensors the sequence creates while it is enumerated
    /// are disposed after their forward pass; tensors it created before (a list of batches) are left alone.
    /// </param>
    /// <returns>The number of BatchNorm layers updated; 0, without a pass over the data, when the model has none.</returns>
    /// <exception cref="ArgumentException">The model has BatchNorm layers but <paramref name="inputs"/> is empty (the statistics are left as they were).</exception>
    public static int Run(nn.Module<Tensor, Tensor> model, IEnumerable<Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Run(model, inputs, input => model.forward(input));
    }

    /// <summary>
    /// As <see cref="Run(nn.Module{Tensor, Tensor}, IEnumerable{Tensor})"/>, for any model and batch type: <paramref name="forward"/>
    /// runs the model on one batch (for a batch of inputs and labels, on the inputs).
    /// </summary>
    public static int Run<TBatch>(nn.Module model, IEnumerable<TBatch> batches, Action<TBatch> forward)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batches);
        ArgumentNullException.ThrowIfNull(forward);

        // named_modules() lists every module after its parent, so restoring flags in this order undoes train()'s recursion correctly.
        var modules = new List<nn.Module> { model };
        modules.AddRange(model.modules());
        var layers = modules.OfType<BatchNorm>().Where(layer => layer.track_running_stats).Distinct().ToList();
        if (layers.Count == 0) return 0;
        bool[] training = modules.Select(m => m.training).ToArray();
        double?[] momenta = layers.Select(layer => layer.momentum).ToArray();

        bool started = false;
        using IEnumerator<TBatch> batch = batches.GetEnumerator();
        try
        {
            using var noGrad = no_grad();
            while (true)
            {
                using var scope = NewDisposeScope();
                if (!batch.MoveNext()) break;
                if (!started)
                {
                    // Reset only once there is a batch: an empty sequence leaves the statistics as they were.
                    started = true;
                    foreach (BatchNorm layer in layers)
                    {
                        layer.reset_running_stats();
                        layer.momentum = null;
                    }
                    model.train();
                }
                forward(batch.Current);
            }
        }
        finally
        {
            if (started)
            {
                for (int i = 0; i < layers.Count; i++) layers[i].momentum = momenta[i];
                for (int i = 0; i < modules.Count; i++) modules[i].train(training[i]);
            }
        }
        if (!started)
            throw new ArgumentException("no batches to compute the BatchNorm statistics on; give at least one batch of inputs (the statistics were left as they were)", nameof(batches));
        return layers.Count;
    }
}
