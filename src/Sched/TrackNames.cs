namespace Sched;

/// <summary>The names of the tracks optimizers know (docs/language.md §3); any other name is a custom track.</summary>
public static class TrackNames
{
    public const string LearningRate = "lr";
    public const string Momentum = "momentum";
    public const string Beta2 = "beta2";
    public const string WeightDecay = "wd";

    /// <summary>The canonical spelling of a track name: <c>mom</c> becomes <c>momentum</c>; others are unchanged.</summary>
    public static string Canonical(string name) => TrackCatalogue.Canonical(name);
}
