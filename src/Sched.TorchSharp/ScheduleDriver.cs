using TorchSharp.Modules;
using Optimizer = TorchSharp.torch.optim.Optimizer;

namespace Sched.TorchSharp;

/// <summary>
/// Applies an <see cref="ISchedule"/> to a TorchSharp optimizer: before every optimizer step, every param group holds the
/// schedule's <c>lr</c> (times the group's multiplier), <c>momentum</c>, <c>beta2</c> and <c>wd</c> for that step. Tracks the
/// schedule lacks are left alone; custom tracks are the caller's to read.
/// </summary>
/// <remarks>
/// Its only state is <see cref="Position"/>, the number of optimizer steps taken, which is also the step whose values the groups
/// hold. Call <see cref="Step"/> after each <c>optimizer.step()</c>, as with PyTorch's schedulers. To resume, load the model and
/// optimizer state and set <see cref="Position"/> (or <see cref="ScheduleDriverOptions.StartPosition"/>) to the steps already taken.
/// Writes are managed field stores on the groups' options: no native calls, no allocation.
/// </remarks>
public sealed class ScheduleDriver
{
    private readonly IList<ParamGroup>? _liveGroups;
    private readonly ParamGroupWriter[] _groups;
    private readonly double[] _learningRateMultipliers;
    private readonly int _learningRate, _momentum, _beta2, _weightDecay;
    private readonly long _stepCount;
    private readonly PastEndBehavior _pastEnd;
    private readonly string _optimizerName;
    private long _position;

    /// <summary>Binds <paramref name="schedule"/> to every param group of <paramref name="optimizer"/> and applies the start position's values.</summary>
    /// <exception cref="ArgumentException">A track some group cannot take, or a multiplier count that does not match the groups.</exception>
    public ScheduleDriver(ISchedule schedule, Optimizer optimizer, ScheduleDriverOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(optimizer);
        options ??= new ScheduleDriverOptions();
        Schedule = schedule;
        _optimizerName = optimizer.GetType().Name;
        _pastEnd = options.PastEnd;
        _stepCount = schedule.StepCount();

        // Optimizer.ParamGroups returns its group list itself; keeping it lets each step check the groups are still these.
        _liveGroups = optimizer.ParamGroups as IList<ParamGroup>;
        IList<ParamGroup> groups = _liveGroups ?? optimizer.ParamGroups?.OfType<ParamGroup>().ToList() ?? [];
        if (groups.Count == 0)
            throw new ArgumentException($"{_optimizerName} has no param groups to drive", nameof(optimizer));
        _groups = groups.Select((g, i) => new ParamGroupWriter(g, i, _optimizerName)).ToArray();
        _learningRateMultipliers = options.LearningRateMultipliers?.For(_groups.Length, _optimizerName) ?? Enumerable.Repeat(1.0, _groups.Length).ToArray();

        _learningRate = Bind(OptimizerTrack.LearningRate);
        _momentum = Bind(OptimizerTrack.Momentum);
        _beta2 = Bind(OptimizerTrack.Beta2);
        _weightDecay = Bind(OptimizerTrack.WeightDecay);
        if (_learningRate < 0 && _momentum < 0 && _beta2 < 0 && _weightDecay < 0)
        {
            throw new ArgumentException(
                $"schedule '{schedule.Name}' has none of the tracks an optimizer takes (lr, momentum, beta2, wd); it has {string.Join(", ", schedule.TrackNames)}",
                nameof(schedule));
        }
        if (options.LearningRateMultipliers is not null && _learningRate < 0)
            throw new ArgumentException($"learning-rate multipliers given, but schedule '{schedule.Name}' has no lr track", nameof(options));

        Position = options.StartPosition;
    }

    /// <summary>The schedule being applied.</summary>
    public ISchedule Schedule { get; }

    /// <summary>The number of param groups driven.</summary>
    public int GroupCount => _groups.Length;

    /// <summary>The factor on the <c>lr</c> track for each param group, in group order.</summary>
    public IReadOnlyList<double> LearningRateMultipliers => _learningRateMultipliers;

    /// <summary>
    /// Optimizer steps taken so far, which is the step whose values the groups now hold (0 before the first step). Setting it
    /// applies that step's values at once: that is how a run resumes.
    /// </summary>
    public long Position
    {
        get => _position;
        set
        {
            if (value < 0) throw new ArgumentOutOfRangeException(nameof(value), value, "a position counts optimizer steps taken; it cannot be negative");
            _position = value;
            Apply();
        }
    }

    /// <summary>Records one optimizer step and applies the next step's values. Call it after each <c>optimizer.step()</c>.</summary>
    /// <exception cref="ScheduleOverrunException">With <see cref="PastEndBehavior.Throw"/>, when the optimizer has taken more steps than the schedule has.</exception>
    public void Step()
    {
        _position++;
        Apply();
    }

    /// <summary>Writes the values for <see cref="Position"/> into every param group.</summary>
    public void Apply()
    {
        if (_position > _stepCount && _pastEnd == PastEndBehavior.Throw) ThrowOverrun();
        CheckGroupsUnchanged();
        double step = _position;
        ISchedule schedule = Schedule;
        ParamGroupWriter[] groups = _groups;
        if (_learningRate >= 0)
        {
            double value = schedule.Evaluate(_learningRate, step);
            for (int i = 0; i < groups.Length; i++) groups[i].WriteLearningRate(value * _learningRateMultipliers[i]);
        }
        if (_momentum >= 0)
        {
            double value = schedule.Evaluate(_momentum, step);
            for (int i = 0; i < groups.Length; i++) groups[i].WriteMomentum(value);
        }
        if (_beta2 >= 0)
        {
            double value = schedule.Evaluate(_beta2, step);
            for (int i = 0; i < groups.Length; i++) groups[i].WriteBeta2(value);
        }
        if (_weightDecay >= 0)
        {
            double value = schedule.Evaluate(_weightDecay, step);
            for (int i = 0; i < groups.Length; i++) groups[i].WriteWeightDecay(value);
        }
    }

    private int Bind(OptimizerTrack track)
    {
        int index = Schedule.IndexOf(OptimizerTracks.Name(track));
        if (index < 0) return -1;
        foreach (ParamGroupWriter group in _groups)
        {
            if (!group.CanTake(track))
            {
                throw new ArgumentException(
                    $"schedule '{Schedule.Name}' drives '{OptimizerTracks.Name(track)}', which {group.Description} cannot take "
                    + $"(it takes {group.TakenTracks()}); {OptimizerTracks.Remedy(track)}");
            }
        }
        return index;
    }

    private void CheckGroupsUnchanged()
    {
        if (_liveGroups is null) return;
        if (_liveGroups.Count != _groups.Length)
        {
            throw new InvalidOperationException(
                $"{_optimizerName} now has {_liveGroups.Count} param groups; this driver was built for {_groups.Length}. Create the driver after the last add_param_group.");
        }
        for (int i = 0; i < _groups.Length; i++)
        {
            if (!ReferenceEquals(_liveGroups[i], _groups[i].Group))
                throw new InvalidOperationException($"{_groups[i].Description} was replaced after this driver was built; create a new driver.");
        }
    }

    private void ThrowOverrun() => throw new ScheduleOverrunException(
        $"schedule '{Schedule.Name}' has {_stepCount} steps, but the optimizer has taken {_position}; "
        + "make the training loop as long as the schedule, or use PastEndBehavior.Hold to keep its final values");
}
