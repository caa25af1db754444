using Spectre.Console;

namespace Sched.Samples.FashionMnist;

internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "compare") return RunCompare(args[1..]);
        TrainingOptions options;
        try
        {
            options = TrainingOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            Console.Error.WriteLine("run with --help for the options");
            return 2;
        }
        if (options.Help)
        {
            Console.WriteLine(TrainingOptions.Usage);
            return 0;
        }

        // Redirected output has no width; Spectre would wrap at 80 columns.
        if (Console.IsOutputRedirected) AnsiConsole.Console.Profile.Width = 160;

        using var cancel = CancelOnCtrlC();
        try
        {
            if (options.LearningRateFind)
            {
                RangeTest.Run(options, AnsiConsole.Console);
                return 0;
            }
            TrainingResult result = Trainer.Run(options, AnsiConsole.Console, cancel.Token);
            if (result.NonFiniteStep is { } step)
            {
                return Error(
                    $"the loss of step {step.Step:N0} (epoch {step.Step / result.StepsPerEpoch + 1}, lr {step.LearningRate:G4}) is {step.Loss}: training diverged, " +
                    "and the weights were not updated with it. Lower --lr-max (--lr-find suggests one)");
            }
            return result.Interrupted ? 130 : 0;
        }
        catch (TrainingException e)
        {
            return Error(e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Error(e.Message); // an output folder or file that cannot be written
        }
    }

    /// <summary>One line on standard error, unwrapped, and exit code 1.</summary>
    private static int Error(string message)
    {
        Console.Error.WriteLine($"error: {message}");
        return 1;
    }

    private static int RunCompare(string[] args)
    {
        CompareOptions options;
        try
        {
            options = CompareOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            Console.Error.WriteLine("run 'compare --help' for the options");
            return 2;
        }
        if (options.Training.Help)
        {
            Console.WriteLine(CompareOptions.Usage);
            return 0;
        }
        if (Console.IsOutputRedirected) AnsiConsole.Console.Profile.Width = 200;
        using var cancel = CancelOnCtrlC();
        try
        {
            Compare.Run(options, AnsiConsole.Console, cancel.Token);
            return 0;
        }
        catch (OperationCanceledException)
        {
            AnsiConsole.Console.MarkupLine("[yellow]interrupted[/]");
            return 130;
        }
        catch (TrainingException e)
        {
            return Error(e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Error(e.Message); // an output folder or file that cannot be written
        }
    }

    /// <summary>The first Ctrl+C stops after the current step (saving a checkpoint when --save is given); a second one kills.</summary>
    private static CancellationTokenSource CancelOnCtrlC()
    {
        var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            if (cancel.IsCancellationRequested) return;
            e.Cancel = true;
            cancel.Cancel();
        };
        return cancel;
    }
}
