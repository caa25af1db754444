using TorchSharp.Modules;
using IBetas = TorchSharp.torch.optim.IBetas;
using IMomentum = TorchSharp.torch.optim.IMomentum;

namespace Sched.TorchSharp;

/// <summary>
/// Writes schedule values into one param group through TorchSharp's managed options: the learning rate through
/// <see cref="ParamGroup.LearningRate"/>, momentum through <see cref="IMomentum"/> or beta1 of <see cref="IBetas"/>, beta2 through
/// <see cref="IBetas"/>, weight decay through the options' <c>weight_decay</c>. Bound once; every write is a field store.
/// </summary>
internal sealed class ParamGroupWriter
{
    private readonly IMomentum? _momentum;
    private readonly IBetas? _betas;
    private readonly Action<ParamGroup, double>? _weightDecay;

    public ParamGroupWriter(ParamGroup group, int index, string optimizerName)
    {
        Group = group;
        Description = $"param group {index} of {optimizerName}";
        _momentum = group as IMomentum;
        _betas = group as IBetas;
        _weightDecay = WeightDecaySetter(group.Options);
    }

    public ParamGroup Group { get; }

    /// <summary>"param group 1 of AdamW", for errors.</summary>
    public string Description { get; }

    public bool CanTake(OptimizerTrack track) => track switch
    {
        OptimizerTrack.LearningRate => true,
        OptimizerTrack.Momentum => _momentum is not null || _betas is not null,
        OptimizerTrack.Beta2 => _betas is not null,
        OptimizerTrack.WeightDecay => _weightDecay is not null,
        _ => false,
    };

    /// <summary>The tracks this group takes, for errors: "lr, wd".</summary>
    public string TakenTracks() =>
        string.Join(", ", Enum.GetValues<OptimizerTrack>().Where(CanTake).Select(OptimizerTracks.Name));

    public void WriteLearningRate(double value) => Group.LearningRate = value;

    public void WriteMomentum(double value)
    {
        if (_momentum is not null)
        {
            _momentum.Momentum = value;
        }
        else
        {
            var betas = _betas!.Betas;
            _betas.Betas = (value, betas.Item2);
        }
    }

    public void WriteBeta2(double value)
    {
        var betas = _betas!.Betas;
        _betas.Betas = (betas.Item1, value);
    }

    public void WriteWeightDecay(double value) => _weightDecay!(Group, value);

    // Options classes share no weight-decay member; each setter reads Options afresh so a replaced options object is still the one written.
    private static Action<ParamGroup, double>? WeightDecaySetter(OptimizerOptions? options) => options switch
    {
        SGD.Options => static (g, v) => ((SGD.Options)g.Options).weight_decay = v,
        Adam.Options => static (g, v) => ((Adam.Options)g.Options).weight_decay = v,
        AdamW.Options => static (g, v) => ((AdamW.Options)g.Options).weight_decay = v,
        RMSProp.Options => static (g, v) => ((RMSProp.Options)g.Options).weight_decay = v,
        NAdam.Options => static (g, v) => ((NAdam.Options)g.Options).weight_decay = v,
        RAdam.Options => static (g, v) => ((RAdam.Options)g.Options).weight_decay = v,
        Adamax.Options => static (g, v) => ((Adamax.Options)g.Options).weight_decay = v,
        Adagrad.Options => static (g, v) => ((Adagrad.Options)g.Options).weight_decay = v,
        Adadelta.Options => static (g, v) => ((Adadelta.Options)g.Options).weight_decay = v,
        ASGD.Options => static (g, v) => ((ASGD.Options)g.Options).weight_decay = v,
        _ => null,
    };
}
