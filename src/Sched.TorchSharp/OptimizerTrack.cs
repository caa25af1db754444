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

internal static class OptimizerTracks
{
    public static readonly OptimizerTrack[] All = Enum.GetValues<OptimizerTrack>();

    public static string Name(OptimizerTrack track) => track switch
    {
        OptimizerTrack.LearningRate => TrackNames.LearningRate,
        OptimizerTrack.Momentum => TrackNames.Momentum,
        OptimizerTrack.Beta2 => TrackNames.Beta2,
        OptimizerTrack.WeightDecay => TrackNames.WeightDecay,
        _ => throw new ArgumentOutOfRangeException(nameof(track)),
    };

    /// <summary>What to do instead, for an optimizer that cannot take <paramref name="track"/>.</summary>
    public static string Remedy(OptimizerTrack track) => track switch
    {
        OptimizerTrack.Momentum => "drive SGD, RMSProp or an Adam-family optimizer (momentum is their beta1), or remove the track",
        OptimizerTrack.Beta2 => "drive an Adam-family optimizer (Adam, AdamW, NAdam, RAdam, Adamax), or remove the track",
        _ => "remove the track",
    };
}
