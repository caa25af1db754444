namespace Sched.TorchSharp.Tests;

/// <summary>Schedules whose every track moves, so a value from the wrong step or group cannot pass for the right one.</summary>
internal static class TestSchedules
{
    /// <summary>lr, momentum, beta2 and wd over 12 steps.</summary>
    public const string AllTracksText = """
        schedule AllTracks over 12it {
            lr       = lin(0.01 -> 0.1, 4it) + cos(0.1 -> 0.001, rest)
            momentum = lin(0.95 -> 0.85, 4it) + lin(0.85 -> 0.95, rest)
            beta2    = lin(0.99 -> 0.999, rest)
            wd       = exp(1e-2 -> 1e-4, rest)
        }
        """;

    /// <summary>lr, momentum and wd (no beta2) for optimizers without betas.</summary>
    public const string NoBeta2Text = """
        schedule NoBeta2 over 12it {
            lr       = lin(0.01 -> 0.1, 4it) + cos(0.1 -> 0.001, rest)
            momentum = lin(0.95 -> 0.85, 4it) + lin(0.85 -> 0.95, rest)
            wd       = exp(1e-2 -> 1e-4, rest)
        }
        """;

    public static ISchedule AllTracks() => Schedule.Parse(AllTracksText).Create();

    public static ISchedule NoBeta2() => Schedule.Parse(NoBeta2Text).Create();

    public static ISchedule Text(string text) => Schedule.Parse(text).Create();
}
