using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace Sched.Samples.FashionMnist;

/// <summary>
/// A live Spectre.Console progress display (epoch, step, lr, momentum, loss, ETA) where the console is interactive; plain lines a
/// few times per epoch where it is not (output redirected, --plain). A table row after every epoch either way, with the averaged
/// model's accuracy beside the model's when the run averages weights.
/// </summary>
internal sealed class ProgressReporter(
    IAnsiConsole console, bool plain, long totalSteps, long startStep, long stopStep, int stepsPerEpoch, int totalEpochs, AveragingHook? averaging = null)
{
    private readonly string[] Headers = averaging is null
        ? ["epoch", "train loss", "test loss", "accuracy", "time"]
        : ["epoch", "train loss", "test loss", "accuracy", $"{averaging.Name} accuracy", "time"];
    private const int ColumnWidth = 12;
    private readonly Stopwatch _clock = new();
    private bool _headerShown;

    public bool Live => !plain && console.Profile.Capabilities.Interactive && console.Profile.Capabilities.Ansi;

    public void Run(Action<Action<long, StepRecord>> train)
    {
        _clock.Start();
        if (!Live)
        {
            int every = Math.Max(1, stepsPerEpoch / 4);
            train((position, step) =>
            {
                if (position % every == 0 || position == stopStep)
                    console.WriteLine($"{Describe(position, step)}  eta {Format(Remaining(position))}");
            });
            return;
        }

        console.Progress()
            .AutoClear(true)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 20 }, new PercentageColumn(),
                new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask("starting", maxValue: stopStep - startStep);
                train((position, step) =>
                {
                    task.Value = position - startStep;
                    task.Description = Markup.Escape(Describe(position, step, compact: true));
                    context.Refresh();
                });
                task.StopTask();
            });
    }

    public void EpochDone(EpochRecord row)
    {
        var table = new Table().Border(TableBorder.None);
        if (_headerShown) table.HideHeaders();
        foreach (string header in Headers) table.AddColumn(new TableColumn(header).RightAligned().Width(ColumnWidth));
        table.AddRow(Cells(row));
        if (!_headerShown) table.ShowHeaders();
        _headerShown = true;
        // Written while the live display runs: Spectre draws it above the progress bar.
        console.Write(table);
    }

    public void Summary(IReadOnlyList<EpochRecord> rows)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("epochs");
        foreach (string header in Headers) table.AddColumn(new TableColumn(header).RightAligned());
        foreach (EpochRecord row in rows) table.AddRow(Cells(row));
        console.Write(table);
    }

    private string[] Cells(EpochRecord row)
    {
        var cells = new List<string>
        {
            $"{row.Epoch}/{totalEpochs}",
            row.TrainLoss.ToString("0.0000", CultureInfo.InvariantCulture),
            row.TestLoss.ToString("0.0000", CultureInfo.InvariantCulture),
            row.Accuracy.ToString("P2", CultureInfo.InvariantCulture),
        };
        if (averaging is not null) cells.Add(averaging.At(row.Epoch) is { } averaged ? averaged.Accuracy.ToString("P2", CultureInfo.InvariantCulture) : "—");
        cells.Add(row.Seconds.ToString("0.0", CultureInfo.InvariantCulture) + " s");
        return cells.ToArray();
    }

    private string Describe(long position, StepRecord step, bool compact = false)
    {
        long epoch = Math.Min((position - 1) / stepsPerEpoch + 1, totalEpochs);
        return compact
            ? string.Create(CultureInfo.InvariantCulture,
                $"ep {epoch}/{totalEpochs} {position}/{totalSteps} lr {step.LearningRate:0.00000} mom {step.Momentum:0.000} loss {step.Loss:0.000}")
            : string.Create(CultureInfo.InvariantCulture,
                $"epoch {epoch}/{totalEpochs}  step {position}/{totalSteps}  lr {step.LearningRate:0.#####}  mom {step.Momentum:0.###}  loss {step.Loss:0.0000}");
    }

    private TimeSpan Remaining(long position)
    {
        long done = position - startStep;
        return done <= 0 ? TimeSpan.Zero : _clock.Elapsed / done * (stopStep - position);
    }

    private static string Format(TimeSpan t) => t.TotalHours >= 1 ? t.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : t.ToString(@"m\:ss", CultureInfo.InvariantCulture);
}
