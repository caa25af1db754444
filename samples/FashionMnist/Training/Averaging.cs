using Sched.TorchSharp;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sched.Samples.FashionMnist;

/// <summary>The averaged model's evaluation at the end of an epoch.</summary>
/// <param name="Models">Updates made so far: for SWA, the number of models averaged.</param>
public readonly record struct AveragedEpoch(int Epoch, double TestLoss, double Accuracy, long Models);

/// <summary>
/// A second CNN that holds an average of the model's weights (SWA or EMA), updated by a <see cref="ModelAverager"/> after every step
/// as the schedule's <c>swa</c> or <c>ema</c> track says, and evaluated on the test images at every epoch's end once it holds a model.
/// </summary>
public sealed class AveragingHook : TrainingHooks, IDisposable
{
    private readonly List<AveragedEpoch> _epochs;

    /// <summary>Builds the averaged copy: call it once the model is on its device and its weights are loaded (the averager binds its tensors).</summary>
    /// <param name="startedAt">For a resumed run, the position after the first update; -1 when averaging has not started.</param>
    public AveragingHook(Cnn model, ISchedule schedule, AveragingRule rule, Device device, long startedAt = -1, IEnumerable<AveragedEpoch>? epochsSoFar = null)
    {
        CheckTrack(schedule, rule);
        Rule = rule;
        Averaged = new Cnn();
        Averaged.to(device);
        Averager = new ModelAverager(model, Averaged, schedule, rule);
        StartedAt = startedAt;
        _epochs = [.. epochsSoFar ?? []];
        BatchNormLayers = Averaged.modules().OfType<BatchNorm>().Count();
    }

    public AveragingRule Rule { get; }

    /// <summary>"SWA" or "EMA", for output.</summary>
    public string Name => NameOf(Rule);

    public Cnn Averaged { get; }

    public ModelAverager Averager { get; }

    /// <summary>The averaged model's BatchNorm layers, whose statistics are recomputed before each evaluation; the sample's CNN has none.</summary>
    public int BatchNormLayers { get; }

    /// <summary>The position (steps taken) after the first update; -1 before it.</summary>
    public long StartedAt { get; private set; }

    /// <summary>Every epoch's evaluation of the averaged model, including those before a resume; epochs before the first update have none.</summary>
    public IReadOnlyList<AveragedEpoch> Epochs => _epochs;

    /// <summary>Called once, after the update that starts the average, with the position after it.</summary>
    public Action<long>? Started { get; init; }

    public static string NameOf(AveragingRule rule) => rule == AveragingRule.Swa ? "SWA" : "EMA";

    /// <summary>The option that turns <paramref name="rule"/> on.</summary>
    public static string OptionOf(AveragingRule rule) => rule == AveragingRule.Swa ? "--swa" : "--ema";

    /// <summary>The catalogue schedule that <c>--swa</c> or <c>--ema</c> trains when no <c>--schedule</c> is given.</summary>
    public static string DefaultSchedule(AveragingRule rule) => rule == AveragingRule.Swa ? nameof(FastaiOneCycleSwa) : nameof(FastaiOneCycleEma);

    /// <summary>Whether <paramref name="schedule"/> has the track <paramref name="rule"/> reads.</summary>
    public static bool HasTrack(ISchedule schedule, AveragingRule rule) => schedule.IndexOf(AveragingTracks.For(rule)) >= 0;

    /// <summary>A schedule without the track is an error that says which catalogue schedule has one and how to add one.</summary>
    public static void CheckTrack(ISchedule schedule, AveragingRule rule)
    {
        if (HasTrack(schedule, rule)) return;
        string track = AveragingTracks.For(rule);
        string example = rule == AveragingRule.Swa ? "swa = swa_from(5ep)" : "ema = timm_ema_warmup(0.999)";
        throw new TrainingException(
            $"{OptionOf(rule)} averages the weights where the schedule's '{track}' track says, and schedule '{schedule.Name}' has no '{track}' track " +
            $"(it has {string.Join(", ", schedule.TrackNames)}): leave out --schedule to train {DefaultSchedule(rule)}, which has one, " +
            $"or add one to a schedule in samples/Schedules, e.g. '{example}' (docs/averaging.md)");
    }

    public override bool AfterStep(TrainingLoop loop, StepRecord step)
    {
        if (Averager.Step() && StartedAt < 0)
        {
            StartedAt = loop.Position;
            Started?.Invoke(StartedAt);
        }
        return true;
    }

    public override void BeforeEvaluation(TrainingLoop loop, int epoch)
    {
        // Before the first update the copy holds the weights it was built from, which are no average.
        if (Averager.UpdateCount == 0) return;
        BatchNormUpdate.Run(Averaged, loop.Data.TrainInputs(loop.BatchSize));
        var (loss, accuracy) = loop.Data.Evaluate(Averaged);
        _epochs.Add(new AveragedEpoch(epoch + 1, loss, accuracy, Averager.UpdateCount));
    }

    /// <summary>The averaged model's evaluation at the end of epoch <paramref name="epoch"/> (1-based), if it had one.</summary>
    public AveragedEpoch? At(int epoch)
    {
        for (int i = _epochs.Count - 1; i >= 0; i--)
            if (_epochs[i].Epoch == epoch) return _epochs[i];
        return null;
    }

    public void Dispose()
    {
        Averager.Dispose();
        Averaged.Dispose();
    }
}
