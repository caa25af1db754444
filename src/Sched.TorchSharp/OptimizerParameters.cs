using TorchSharp.Modules;
using IBetas = TorchSharp.torch.optim.IBetas;
using IMomentum = TorchSharp.torch.optim.IMomentum;

namespace Sched.TorchSharp;

/// <summary>The schedule tracks an optimizer's param groups take.</summary>
public enum OptimizerTrack
{
    /// <summary><c>lr</c>: every optimizer.</summary>
    LearningRate,

    /// <summary><c>momentum</c> (alias <c>mom</c>): SGD's and RMSProp's momentum, the Adam family's beta1.</summary>
    Momentum,

    /// <summary><c>beta2</c>: the Adam family's second-moment decay.</summary>
    Beta2,

    /// <summary><c>wd</c>: the options' <c>weight_decay</c>.</summary>
    WeightDecay,
}

/// <summary>Writes one value into one param group: bound once, then a field store per step.</summary>
internal abstract class ParameterSetter
{
    public abstract void Write(double value);
}

/// <summary>
/// The optimizer parameters a schedule drives, one row each: the track it reads, which param groups take it (and how
/// to write it there), and what to do when a group cannot. <see cref="ScheduleDriver"/> loops over this table; a new
/// optimizer parameter is a new row (and its track a row of <see cref="TrackCatalogue"/>).
/// </summary>
internal sealed class OptimizerParameter
{
    private readonly Func<ParamGroup, ParameterSetter?> _bind;

    private OptimizerParameter(OptimizerTrack track, TrackInfo info, bool scaledPerGroup, string remedy, Func<ParamGroup, ParameterSetter?> bind)
    {
        Track = track;
        Info = info;
        ScaledPerGroup = scaledPerGroup;
        Remedy = remedy;
        _bind = bind;
    }

    public OptimizerTrack Track { get; }

    /// <summary>The track's name and the range its values must stay in.</summary>
    public TrackInfo Info { get; }

    /// <summary>Whether per-group multipliers apply (the learning rate's discriminative factors).</summary>
    public bool ScaledPerGroup { get; }

    /// <summary>What to do instead, for an optimizer that cannot take the track.</summary>
    public string Remedy { get; }

    /// <summary>The setter for this group, or null when the group has no such parameter.</summary>
    public ParameterSetter? Bind(ParamGroup group) => _bind(group);

    public static IReadOnlyList<OptimizerParameter> All { get; } = new[]
    {
        new OptimizerParameter(OptimizerTrack.LearningRate, TrackCatalogue.LearningRate, true, "remove the track",
            group => new LearningRateSetter(group)),
        new OptimizerParameter(OptimizerTrack.Momentum, TrackCatalogue.Momentum, false,
            "drive SGD, RMSProp or an Adam-family optimizer (momentum is their beta1), or remove the track",
            group => group is IMomentum momentum ? new MomentumSetter(momentum) : group is IBetas betas ? new BetaSetter(betas, first: true) : null),
        new OptimizerParameter(OptimizerTrack.Beta2, TrackCatalogue.Beta2, false,
            "drive an Adam-family optimizer (Adam, AdamW, NAdam, RAdam, Adamax), or remove the track",
            group => group is IBetas betas ? new BetaSetter(betas, first: false) : null),
        new OptimizerParameter(OptimizerTrack.WeightDecay, TrackCatalogue.WeightDecay, false, "remove the track",
            WeightDecaySetter.For),
    };

    public static OptimizerParameter Of(OptimizerTrack track) => All.First(p => p.Track == track);

    private sealed class LearningRateSetter(ParamGroup group) : ParameterSetter
    {
        public override void Write(double value) => group.LearningRate = value;
    }

    private sealed class MomentumSetter(IMomentum momentum) : ParameterSetter
    {
        public override void Write(double value) => momentum.Momentum = value;
    }

    private sealed class BetaSetter(IBetas betas, bool first) : ParameterSetter
    {
        public override void Write(double value)
        {
            var current = betas.Betas;
            betas.Betas = first ? (value, current.Item2) : (current.Item1, value);
        }
    }

    /// <summary>Options classes share no weight-decay member; each reads Options afresh so a replaced options object is still the one written.</summary>
    private sealed class WeightDecaySetter(ParamGroup group, Action<ParamGroup, double> write) : ParameterSetter
    {
        public override void Write(double value) => write(group, value);

        public static ParameterSetter? For(ParamGroup group) => group.Options switch
        {
            SGD.Options => new WeightDecaySetter(group, static (g, v) => ((SGD.Options)g.Options).weight_decay = v),
            Adam.Options => new WeightDecaySetter(group, static (g, v) => ((Adam.Options)g.Options).weight_decay = v),
            AdamW.Options => new WeightDecaySetter(group, static (g, v) => ((AdamW.Options)g.Options).weight_decay = v),
            RMSProp.Options => new WeightDecaySetter(group, static (g, v) => ((RMSProp.Options)g.Options).weight_decay = v),
            NAdam.Options => new WeightDecaySetter(group, static (g, v) => ((NAdam.Options)g.Options).weight_decay = v),
            RAdam.Options => new WeightDecaySetter(group, static (g, v) => ((RAdam.Options)g.Options).weight_decay = v),
            Adamax.Options => new WeightDecaySetter(group, static (g, v) => ((Adamax.Options)g.Options).weight_decay = v),
            Adagrad.Options => new WeightDecaySetter(group, static (g, v) => ((Adagrad.Options)g.Options).weight_decay = v),
            Adadelta.Options => new WeightDecaySetter(group, static (g, v) => ((Adadelta.Options)g.Options).weight_decay = v),
            ASGD.Options => new WeightDecaySetter(group, static (g, v) => ((ASGD.Options)g.Options).weight_decay = v),
            _ => null,
        };
    }
}
