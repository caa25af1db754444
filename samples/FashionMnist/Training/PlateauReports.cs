using Sched.TorchSharp;

namespace Sched.Samples.FashionMnist;

/// <summary>A reduction of the learning rate that a report decided: from <paramref name="Position"/> (steps taken) on.</summary>
public readonly record struct LearningRateReduction(int Epoch, long Position, double TestLoss, double Before, double After);

/// <summary>
/// Reports the test loss after every epoch's evaluation as <c>val_loss</c> to a schedule whose plateau phases watch it (reduce on
/// plateau), through <see cref="ScheduleDriver.Report"/>; the sample has no validation split, so the test images serve as one.
/// </summary>
public sealed class PlateauReports : TrainingHooks
{
    /// <summary>The one metric the sample reports.</summary>
    public const string Metric = "val_loss";

    private readonly List<LearningRateReduction> _reductions = [];

    /// <summary>Called after each report that lowered the learning rate.</summary>
    public Action<LearningRateReduction>? Reduced { get; init; }

    /// <summary>The reductions this run's reports decided (not those before a resume).</summary>
    public IReadOnlyList<LearningRateReduction> Reductions => _reductions;

    /// <summary>Whether <paramref name="schedule"/> watches a metric, so that the loop must report it.</summary>
    public static bool Needed(ISchedule schedule) => schedule.Metrics.Count > 0;

    /// <summary>A schedule watching any metric but <see cref="Metric"/> is an error that names what the sample reports.</summary>
    public static void Check(ISchedule schedule)
    {
        string? other = schedule.Metrics.FirstOrDefault(m => m != Metric);
        if (other is null) return;
        throw new TrainingException(
            $"schedule '{schedule.Name}' reduces on a plateau of '{other}', which this sample does not report: it reports one metric, " +
            $"'{Metric}' (the test loss after each epoch); write 'on = {Metric}' in its plateau phase");
    }

    public override void ReportMetrics(TrainingLoop loop, EpochRecord epoch)
    {
        ISchedule schedule = loop.Driver.Schedule;
        int lr = schedule.IndexOf("lr");
        long position = loop.Position;
        double before = lr >= 0 ? schedule.Evaluate(lr, position) : double.NaN;
        loop.Driver.Report(Metric, epoch.TestLoss);
        double after = lr >= 0 ? schedule.Evaluate(lr, position) : double.NaN;
        if (after < before)
        {
            var reduction = new LearningRateReduction(epoch.Epoch, position, epoch.TestLoss, before, after);
            _reductions.Add(reduction);
            Reduced?.Invoke(reduction);
        }
    }
}
