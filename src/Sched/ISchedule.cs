namespace Sched;

/// <summary>
/// A schedule laid out for one run: the value of each track at any training position, in closed form.
/// Generated classes and interpreted schedules both implement it; evaluation never allocates.
/// </summary>
public interface ISchedule
{
    /// <summary>The schedule's name as written after <c>schedule</c>.</summary>
    string Name { get; }

    /// <summary>Length of the schedule in optimizer steps; may be fractional (<c>30%</c> of 95 steps is 28.5).</summary>
    double TotalSteps { get; }

    /// <summary>Steps per epoch this instance was laid out with; 0 when the schedule does not use epochs.</summary>
    int StepsPerEpoch { get; }

    /// <summary>Track names in declaration order, canonical (<c>mom</c> is listed as <c>momentum</c>).</summary>
    IReadOnlyList<string> TrackNames { get; }

    /// <summary>Index of a track by name or alias, or -1 when the schedule has no such track.</summary>
    int IndexOf(string track);

    /// <summary>
    /// Value of track <paramref name="track"/> at position <paramref name="step"/> (0-based: the optimizer step
    /// about to be taken). At and after the track's end it holds its final value; negative positions read as 0.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="track"/> is not an index of <see cref="TrackNames"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="step"/> is NaN.</exception>
    double Evaluate(int track, double step);

    /// <summary>Every track's value at <paramref name="step"/>, in <see cref="TrackNames"/> order, into <paramref name="values"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="values"/> is shorter than the number of tracks, or <paramref name="step"/> is NaN.</exception>
    void EvaluateAll(double step, Span<double> values);

    /// <summary>The metrics its plateau phases watch (docs/language.md §6); empty for a schedule that is a function of the step alone.</summary>
    IReadOnlyList<string> Metrics { get; }

    /// <summary>
    /// A value of <paramref name="metric"/> (a validation loss, say) at <paramref name="position"/>, the optimizer steps
    /// taken: each plateau phase watching it decides whether to reduce from there on. Report in the order of training.
    /// </summary>
    /// <exception cref="ArgumentException">The schedule watches no such metric, or the report comes before an earlier one.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="position"/> is negative, infinite or NaN.</exception>
    void Report(string metric, double value, double position);

    /// <summary>What reports have decided so far, to keep in a checkpoint with the position.</summary>
    ScheduleState SaveState();

    /// <summary>Restores a state <see cref="SaveState"/> gave, for this schedule only.</summary>
    /// <exception cref="ArgumentException">The state belongs to another schedule, or is damaged.</exception>
    void RestoreState(ScheduleState state);
}
