using System.Globalization;
using System.Text;

namespace Sched.Samples.FashionMnist;

/// <summary>One training run of a comparison.</summary>
/// <param name="DivergedAtStep">The step whose loss was NaN or infinite, which ended the run early; null when it ran its budget.</param>
public sealed record CompareRun(
    string Schedule, int Seed, string InitialWeightsHash, IReadOnlyList<EpochRecord> Epochs, IReadOnlyList<StepRecord> Steps, double Seconds,
    long? DivergedAtStep = null);

/// <summary>One schedule's row of the report.</summary>
/// <param name="Diverged">How many of its runs diverged; their final accuracy is not averaged in, so the row shows no mean.</param>
public sealed record CompareSummary(
    string Schedule, string Description, double FinalMean, double FinalStd, double BestAccuracy, int? FirstEpochAtTarget,
    IReadOnlyList<int?> FirstEpochAtTargetPerSeed, double SecondsPerRun, int Diverged = 0);

public sealed record CompareResult(
    string OutputDirectory, string ReportPath, string CsvPath, string AccuracyPlotPath, string SchedulesPlotPath,
    IReadOnlyList<CompareRun> Runs, IReadOnlyList<CompareSummary> Summaries, int StepsPerEpoch, int Epochs, double TotalSeconds, string Device, string DataSource);

/// <summary>The numbers of a comparison: a row per schedule, runs.csv, the table and report.md.</summary>
public static class CompareReport
{
    public const string CsvHeader = "schedule,seed,epoch,train_loss,test_loss,accuracy,seconds";
    public const string TableHeader = "| schedule | final accuracy (mean ± std) | best accuracy | first epoch ≥ target (mean curve; per seed) | seconds per run |";

    public static CompareSummary Summarize(string label, string description, IReadOnlyList<CompareRun> runs, double target)
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
        return new CompareSummary(label, description, mean, std, best, meanFirst, perSeed, runs.Average(r => r.Seconds), diverged);
    }

    public static string Csv(IEnumerable<CompareRun> runs)
    {
        var text = new StringBuilder(CsvHeader).Append('\n');
        foreach (CompareRun run in runs)
            foreach (EpochRecord e in run.Epochs)
                text.Append(CultureInfo.InvariantCulture, $"{Quote(run.Schedule)},{run.Seed},{e.Epoch},{e.TrainLoss:R},{e.TestLoss:R},{e.Accuracy:R},{e.Seconds:0.###}\n");
        return text.ToString();
    }

    public static string Table(IEnumerable<CompareSummary> summaries, double target)
    {
        var text = new StringBuilder(TableHeader.Replace("target", target.ToString("P0", CultureInfo.InvariantCulture))).Append('\n');
        text.Append("|---|---|---|---|---|\n");
        foreach (CompareSummary s in summaries)
        {
            string first = (s.FirstEpochAtTarget?.ToString(CultureInfo.InvariantCulture) ?? "—") + " (" + string.Join(", ", s.FirstEpochAtTargetPerSeed.Select(e => e?.ToString(CultureInfo.InvariantCulture) ?? "—")) + ")";
            string final = s.Diverged > 0
                ? $"diverged ({s.Diverged} of {s.FirstEpochAtTargetPerSeed.Count} seeds)"
                : string.Create(CultureInfo.InvariantCulture, $"{s.FinalMean:P2} ± {s.FinalStd * 100:0.00}");
            string best = double.IsNaN(s.BestAccuracy) ? "—" : s.BestAccuracy.ToString("P2", CultureInfo.InvariantCulture);
            text.Append(CultureInfo.InvariantCulture, $"| {s.Schedule} | {final} | {best} | {first} | {s.SecondsPerRun:0.0} |\n");
        }
        return text.ToString();
    }

    public static string Report(CompareResult result, CompareOptions options)
    {
        var text = new StringBuilder();
        text.Append("# Schedule comparison on Fashion-MNIST\n\n");
        text.Append(CultureInfo.InvariantCulture, $"- data: {result.DataSource}\n- device: {result.Device}\n");
        text.Append(CultureInfo.InvariantCulture, $"- budget: {result.Epochs} epochs × {result.StepsPerEpoch} steps (batch {options.Training.BatchSize}), SGD + momentum\n");
        text.Append(CultureInfo.InvariantCulture, $"- seeds: {string.Join(", ", result.Runs.Select(r => r.Seed).Distinct())} (per seed: the same initial weights and batch order for every schedule)\n");
        text.Append(CultureInfo.InvariantCulture, $"- total time: {result.TotalSeconds:0} s\n\n");
        text.Append("## Schedules\n\n");
        foreach (CompareSummary s in result.Summaries) text.Append(CultureInfo.InvariantCulture, $"- **{s.Schedule}**: {s.Description}\n");
        text.Append("\n## Results\n\n");
        text.Append("Final accuracy: test accuracy after the last epoch, mean ± sample standard deviation (percentage points) over the seeds. ");
        text.Append("Best accuracy: the highest test accuracy of any epoch of any seed. ");
        text.Append("First epoch: the first epoch at which the mean over seeds reaches the target, then each seed's (— never).\n\n");
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
