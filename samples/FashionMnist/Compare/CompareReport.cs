using System.Globalization;
using System.Text;
using Sched.TorchSharp;

namespace Sched.Samples.FashionMnist;

/// <summary>One training run of a comparison.</summary>
/// <param name="DivergedAtStep">The step whose loss was NaN or infinite, which ended the run early; null when it ran its budget.</param>
/// <param name="Averaging">SWA or EMA for a schedule averaged with --swa or --ema; null otherwise.</param>
/// <param name="AveragedEpochs">The averaged model's evaluation at each epoch's end from its first update on.</param>
/// <param name="AveragingStartedAt">The position after the first update; -1 when averaging never started.</param>
public sealed record CompareRun(
    string Schedule, int Seed, string InitialWeightsHash, IReadOnlyList<EpochRecord> Epochs, IReadOnlyList<StepRecord> Steps, double Seconds,
    long? DivergedAtStep = null, AveragingRule? Averaging = null, IReadOnlyList<AveragedEpoch>? AveragedEpochs = null, long AveragingStartedAt = -1)
{
    /// <summary>The averaged model's evaluation after the run's last epoch; null when it had none then.</summary>
    public AveragedEpoch? FinalAveraged =>
        AveragedEpochs is { Count: > 0 } a && Epochs.Count > 0 && a[^1].Epoch == Epochs[^1].Epoch ? a[^1] : null;
}

/// <summary>One schedule's row of the report.</summary>
/// <param name="Diverged">How many of its runs diverged; their final accuracy is not averaged in, so the row shows no mean.</param>
/// <param name="Averaging">SWA or EMA when its runs averaged weights; null otherwise.</param>
/// <param name="AveragedMean">The averaged model's final test accuracy, mean over seeds; NaN when some run had no average at its end.</param>
/// <param name="RunEpochs">The epochs its runs last (with --own-length, its schedule's).</param>
public sealed record CompareSummary(
    string Schedule, string Description, double FinalMean, double FinalStd, double BestAccuracy, int? FirstEpochAtTarget,
    IReadOnlyList<int?> FirstEpochAtTargetPerSeed, double SecondsPerRun, int Diverged = 0,
    AveragingRule? Averaging = null, double AveragedMean = double.NaN, double AveragedStd = double.NaN, int RunEpochs = 0);

public sealed record CompareResult(
    string OutputDirectory, string ReportPath, string CsvPath, string AccuracyPlotPath, string SchedulesPlotPath,
    IReadOnlyList<CompareRun> Runs, IReadOnlyList<CompareSummary> Summaries, int StepsPerEpoch, int Epochs, double TotalSeconds, string Device, string DataSource)
{
    /// <summary>Whether each run lasted as long as its schedule rather than <see cref="Epochs"/>.</summary>
    public bool OwnLength { get; init; }
}

/// <summary>The numbers of a comparison: a row per schedule, runs.csv, the table and report.md.</summary>
public static class CompareReport
{
    /// <summary>averaged_test_loss and averaged_accuracy: the averaged model's (SWA, EMA) at the epoch's end; empty where there is none.</summary>
    public const string CsvHeader = "schedule,seed,epoch,train_loss,test_loss,accuracy,seconds,averaged_test_loss,averaged_accuracy";
    public const string TableHeader = "| schedule | final accuracy (mean ± std) | best accuracy | first epoch ≥ target (mean curve; per seed) | seconds per run |";

    /// <param name="runEpochs">The epochs each run was to last (0: the longest run's).</param>
    public static CompareSummary Summarize(string label, string description, IReadOnlyList<CompareRun> runs, double target, int runEpochs = 0)
    {
        int diverged = runs.Count(r => r.DivergedAtStep is not null);
        double[] finals = runs.Select(r => r.Epochs.Count > 0 ? r.Epochs[^1].Accuracy : double.NaN).ToArray();
        double mean = diverged > 0 ? double.NaN : finals.Average();
        double std = diverged > 0 ? double.NaN : finals.Length > 1 ? Math.Sqrt(finals.Sum(a => (a - mean) * (a - mean)) / (finals.Length - 1)) : 0;
        int epochs = runs.Min(r => r.Epochs.Count);
        int? meanFirst = null;
        for (int e = 0; e < epochs && meanFirst is null; e++)
            if (runs.Average(r => r.Epochs[e].Accuracy) >= target) meanFirst = e + 1;
        int?[] perSeed = runs.Select(r => r.Epochs.FirstOrDefault(e => e.Accuracy >= target) is { Epoch: > 0 } hit ? hit.Epoch : (int?)null).ToArray();
        double best = runs.SelectMany(r => r.Epochs).Select(e => e.Accuracy).DefaultIfEmpty(double.NaN).Max();
        AveragingRule? averaging = runs.Select(r => r.Averaging).FirstOrDefault(a => a is not null);
        double[] averaged = runs.Select(r => r.FinalAveraged?.Accuracy ?? double.NaN).ToArray();
        var (averagedMean, averagedStd) = averaging is null || diverged > 0 ? (double.NaN, double.NaN) : MeanStd(averaged);
        return new CompareSummary(label, description, mean, std, best, meanFirst, perSeed, runs.Average(r => r.Seconds), diverged,
            averaging, averagedMean, averagedStd, runEpochs > 0 ? runEpochs : runs.Max(r => r.Epochs.Count));
    }

    /// <summary>Mean and sample standard deviation (0 for one value); NaN for both when a value is NaN.</summary>
    private static (double Mean, double Std) MeanStd(double[] values)
    {
        double mean = values.Average();
        double std = values.Length > 1 ? Math.Sqrt(values.Sum(a => (a - mean) * (a - mean)) / (values.Length - 1)) : 0;
        return (mean, double.IsNaN(mean) ? double.NaN : std);
    }

    public static string Csv(IEnumerable<CompareRun> runs)
    {
        var text = new StringBuilder(CsvHeader).Append('\n');
        foreach (CompareRun run in runs)
        {
            foreach (EpochRecord e in run.Epochs)
            {
                AveragedEpoch? a = run.AveragedEpochs?.Cast<AveragedEpoch?>().FirstOrDefault(x => x!.Value.Epoch == e.Epoch);
                string averaged = a is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v.TestLoss:R},{v.Accuracy:R}") : ",";
                text.Append(CultureInfo.InvariantCulture, $"{Quote(run.Schedule)},{run.Seed},{e.Epoch},{e.TrainLoss:R},{e.TestLoss:R},{e.Accuracy:R},{e.Seconds:0.###},{averaged}\n");
            }
        }
        return text.ToString();
    }

    /// <summary>
    /// The table of <see cref="TableHeader"/>'s five columns, with two more when they say something: "epochs" when the runs' lengths
    /// differ (--own-length), and the averaged model's final accuracy when some runs averaged weights.
    /// </summary>
    public static string Table(IEnumerable<CompareSummary> all, double target)
    {
        CompareSummary[] summaries = all.ToArray();
        bool lengths = summaries.Select(s => s.RunEpochs).Distinct().Count() > 1, averaged = summaries.Any(s => s.Averaging is not null);
        string header = TableHeader.Replace("target", target.ToString("P0", CultureInfo.InvariantCulture));
        if (lengths) header = header.Replace("| schedule |", "| schedule | epochs |");
        if (averaged) header = header.Replace(" | best accuracy |", " | averaged model: final accuracy (mean ± std) | best accuracy |");
        var text = new StringBuilder(header).Append('\n');
        text.Append(string.Concat(Enumerable.Repeat("|---", 5 + (lengths ? 1 : 0) + (averaged ? 1 : 0)))).Append("|\n");
        foreach (CompareSummary s in summaries)
        {
            string first = (s.FirstEpochAtTarget?.ToString(CultureInfo.InvariantCulture) ?? "—") + " (" + string.Join(", ", s.FirstEpochAtTargetPerSeed.Select(e => e?.ToString(CultureInfo.InvariantCulture) ?? "—")) + ")";
            string final = s.Diverged > 0
                ? $"diverged ({s.Diverged} of {s.FirstEpochAtTargetPerSeed.Count} seeds)"
                : string.Create(CultureInfo.InvariantCulture, $"{s.FinalMean:P2} ± {s.FinalStd * 100:0.00}");
            string best = double.IsNaN(s.BestAccuracy) ? "—" : s.BestAccuracy.ToString("P2", CultureInfo.InvariantCulture);
            string epochs = lengths ? $" {s.RunEpochs} |" : "";
            string average = !averaged ? ""
                : s.Averaging is not { } rule ? " — |"
                : double.IsNaN(s.AveragedMean) ? $" {AveragingHook.NameOf(rule)}: — |"
                : string.Create(CultureInfo.InvariantCulture, $" {AveragingHook.NameOf(rule)}: {s.AveragedMean:P2} ± {s.AveragedStd * 100:0.00} |");
            text.Append(CultureInfo.InvariantCulture, $"| {s.Schedule} |{epochs} {final} |{average} {best} | {first} | {s.SecondsPerRun:0.0} |\n");
        }
        return text.ToString();
    }

    public static string Report(CompareResult result, CompareOptions options)
    {
        var text = new StringBuilder();
        text.Append("# Schedule comparison on Fashion-MNIST\n\n");
        text.Append(CultureInfo.InvariantCulture, $"- data: {result.DataSource}\n- device: {result.Device}\n");
        string length = result.OwnLength ? "each run as long as its schedule (the table's epochs)" : $"{result.Epochs} epochs";
        text.Append(CultureInfo.InvariantCulture, $"- budget: {length} × {result.StepsPerEpoch} steps (batch {options.Training.BatchSize}), SGD + momentum\n");
        text.Append(CultureInfo.InvariantCulture, $"- seeds: {string.Join(", ", result.Runs.Select(r => r.Seed).Distinct())} (per seed: the same initial weights and batch order for every schedule)\n");
        text.Append(CultureInfo.InvariantCulture, $"- total time: {result.TotalSeconds:0} s\n\n");
        text.Append("## Schedules\n\n");
        foreach (CompareSummary s in result.Summaries)
        {
            text.Append(CultureInfo.InvariantCulture, $"- **{s.Schedule}**: {s.Description}");
            CompareRun first = result.Runs.First(r => r.Schedule == s.Schedule);
            if (s.Averaging is { } rule)
            {
                text.Append(CultureInfo.InvariantCulture, $"; {AveragingHook.NameOf(rule)} on its '{AveragingTracks.For(rule)}' track");
                if (first.AveragingStartedAt > 0)
                {
                    long start = first.AveragingStartedAt;
                    text.Append(CultureInfo.InvariantCulture, $", first update after step {start:N0} (epoch {(start - 1) / result.StepsPerEpoch + 1})");
                }
            }
            text.Append('\n');
        }
        text.Append("\n## Results\n\n");
        text.Append("Final accuracy: test accuracy after the last epoch, mean ± sample standard deviation (percentage points) over the seeds. ");
        text.Append("Best accuracy: the highest test accuracy of any epoch of any seed. ");
        text.Append("First epoch: the first epoch at which the mean over seeds reaches the target, then each seed's (— never).");
        if (result.Summaries.Any(s => s.Averaging is not null))
        {
            text.Append(" Averaged model: the test accuracy of the SWA or EMA average of the weights after the last epoch, mean ± std over the seeds ");
            text.Append("(the sample's CNN has no BatchNorm layers, so there are no statistics to recompute before evaluating it).");
        }
        text.Append("\n\n");
        text.Append(Table(result.Summaries, options.Target));
        foreach (CompareRun run in result.Runs.Where(r => r.DivergedAtStep is not null))
        {
            text.Append(CultureInfo.InvariantCulture,
                $"\n{run.Schedule}, seed {run.Seed}: the loss of step {run.DivergedAtStep:N0} was not finite; the run stopped there after {run.Epochs.Count} of {result.Epochs} epochs.\n");
        }
        text.Append("\n![test accuracy per epoch](accuracy.png)\n\n![schedules](schedules.png)\n");
        return text.ToString();
    }

    private static string Quote(string s) => s.Contains(',') || s.Contains('"') ? $"\"{s.Replace("\"", "\"\"")}\"" : s;
}
