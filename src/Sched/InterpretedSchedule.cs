using Sched.Language.Evaluation;

namespace Sched;

/// <summary>An <see cref="ISchedule"/> evaluated by walking the laid-out tree; no allocation per evaluation.</summary>
internal sealed class InterpretedSchedule : ISchedule
{
    private readonly LaidSchedule _laid;

    public InterpretedSchedule(LaidSchedule laid)
    {
        _laid = laid;
    }

    public string Name => _laid.Name;

    public double TotalSteps => _laid.Total;

    public int StepsPerEpoch => _laid.StepsPerEpoch;

    public IReadOnlyList<string> TrackNames => _laid.TrackNames;

    public int IndexOf(string track) => _laid.IndexOf(track);

    public double Evaluate(int track, double step) => _laid.Tracks[track].Evaluate(step);
}
