using System.Runtime.CompilerServices;
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
    private readonly ParamGroup[] _groups;
    private readonly string[] _groupNames;
    private readonly double[] _learningRateMultipliers;
    private readonly Binding[] _bindings;
    private readonly double[] _values;
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
        _values = new double[schedule.TrackNames.Count];

        // Optimizer.ParamGroups returns its group list itself; keeping it lets each step check the groups are still these.
        _liveGroups = optimizer.ParamGroups as IList<ParamGroup>;
        IList<ParamGroup> groups = _liveGroups ?? optimizer.ParamGroups?.OfType<ParamGroup>().ToList() ?? [];
        if (groups.Count == 0)
            throw new ArgumentException($"{_optimizerName} has no param groups to drive", nameof(optimizer));
        _groups = groups.ToArray();
        _groupNames = _groups.Select((_, i) => $"param group {i} of {_optimizerName}").ToArray();
        _learningRateMultipliers = options.LearningRateMultipliers?.For(_groups.Length, _optimizerName) ?? Enumerable.Repeat(1.0, _groups.Length).ToArray();

        _bindings = OptimizerParameter.All.Select(Bind).OfType<Binding>().ToArray();
        if (_bindings.Length == 0)
        {
            throw new ArgumentException(
                $"schedule '{schedule.Name}' has none of the tracks an optimizer takes ({string.Join(", ", OptimizerParameter.All.Select(p => p.Info.Name))}); it has {string.Join(", ", schedule.TrackNames)}",
                nameof(schedule));
        }
        if (options.LearningRateMultipliers is not null && !_bindings.Any(b => b.Parameter.ScaledPerGroup))
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
    /// <exception cref="ScheduleValueException">A value is not finite or outside its track's range (lr &lt; 0, momentum outside [0, 1), …); nothing was written.</exception>
    public void Step()
    {
        _position++;
        Apply();
    }

    /// <summary>
    /// Reports a metric (a validation loss, say) at the current position to the schedule's plateau phases, then applies
    /// the position's values again, so a reduction decided now holds from the next optimizer step on.
    /// </summary>
    /// <exception cref="ArgumentException">The schedule watches no such metric.</exception>
    public void Report(string metric, double value)
    {
        Schedule.Report(metric, value, _position);
        Apply();
    }

    /// <summary>
    /// Writes the values for <see cref="Position"/> into every param group: each track it writes evaluated once, every value
    /// checked against its track's range before the first is written, so the optimizer never holds a NaN or a negative rate.
    /// </summary>
    /// <exception cref="ScheduleValueException">A value is not finite or outside its track's range; nothing was written.</exception>
    public void Apply()
    {
        if (_position > _stepCount && _pastEnd == PastEndBehavior.Throw) ThrowOverrun();
        CheckGroupsUnchanged();
        double step = _position;
        double[] values = _values;
        ISchedule schedule = Schedule;
        Binding[] bindings = _bindings;
        // One Evaluate per written track, not EvaluateAll: faster here (DriverBenchmarks), and other tracks cost nothing.
        for (int b = 0; b < bindings.Length; b++)
        {
            Binding binding = bindings[b];
            double value = values[binding.Track] = schedule.Evaluate(binding.Track, step);
            if (!binding.Range.Allows(value)) ThrowValue(binding, step, value);
        }
        for (int b = 0; b < bindings.Length; b++)
        {
            Binding binding = bindings[b];
            double value = values[binding.Track];
            ParameterSetter[] setters = binding.Setters;
            double[]? multipliers = binding.Multipliers;
            if (multipliers is not null)
            {
                for (int g = 0; g < setters.Length; g++) setters[g].Write(value * multipliers[g]);
            }
            else
            {
                for (int g = 0; g < setters.Length; g++) setters[g].Write(value);
            }
        }
    }

    /// <summary>The schedule's track for this parameter, bound to every group; null when the schedule lacks the track.</summary>
    private Binding? Bind(OptimizerParameter parameter)
    {
        int index = Schedule.IndexOf(parameter.Info.Name);
        if (index < 0) return null;
        var setters = new ParameterSetter[_groups.Length];
        for (int g = 0; g < _groups.Length; g++)
        {
            setters[g] = parameter.Bind(_groups[g]) ?? throw new ArgumentException(
                $"schedule '{Schedule.Name}' drives '{parameter.Info.Name}', which {_groupNames[g]} cannot take "
                + $"(it takes {TakenTracks(_groups[g])}); {parameter.Remedy}");
        }
        return new Binding(parameter, index, setters, parameter.ScaledPerGroup ? _learningRateMultipliers : null);
    }

    private static string TakenTracks(ParamGroup group) =>
        string.Join(", ", OptimizerParameter.All.Where(p => p.Bind(group) is not null).Select(p => p.Info.Name));

    private void CheckGroupsUnchanged()
    {
        IList<ParamGroup>? live = _liveGroups;
        if (live is null) return;
        ParamGroup[] groups = _groups;
        // TorchSharp's list: its Count and indexer without an interface call each.
        if (live is List<ParamGroup> list)
        {
            if (list.Count != groups.Length) ThrowGroupsChanged(live);
            for (int i = 0; i < groups.Length; i++)
            {
                if (!ReferenceEquals(list[i], groups[i])) ThrowGroupsChanged(live);
            }
            return;
        }
        if (live.Count != groups.Length) ThrowGroupsChanged(live);
        for (int i = 0; i < groups.Length; i++)
        {
            if (!ReferenceEquals(live[i], groups[i])) ThrowGroupsChanged(live);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowGroupsChanged(IList<ParamGroup> live)
    {
        if (live.Count != _groups.Length)
        {
            throw new InvalidOperationException(
                $"{_optimizerName} now has {live.Count} param groups; this driver was built for {_groups.Length}. Create the driver after the last add_param_group.");
        }
        int replaced = Enumerable.Range(0, _groups.Length).First(i => !ReferenceEquals(live[i], _groups[i]));
        throw new InvalidOperationException($"{_groupNames[replaced]} was replaced after this driver was built; create a new driver.");
    }

    // Out of Apply: with the throw inline, every step cost several nanoseconds more (DriverBenchmarks).
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowValue(Binding binding, double step, double value) =>
        throw new ScheduleValueException(Schedule.Name, binding.Parameter.Info.Name, step, value);

    private void ThrowOverrun() => throw new ScheduleOverrunException(
        $"schedule '{Schedule.Name}' has {_stepCount} steps, but the optimizer has taken {_position}; "
        + "make the training loop as long as the schedule, or use PastEndBehavior.Hold to keep its final values");

    /// <summary>A driven track: where its value is, the range it must stay in, the groups' setters and, for lr, their multipliers.</summary>
    private sealed class Binding(OptimizerParameter parameter, int track, ParameterSetter[] setters, double[]? multipliers)
    {
        public readonly OptimizerParameter Parameter = parameter;
        public readonly int Track = track;
        public readonly TrackInfo Range = parameter.Info;
        public readonly ParameterSetter[] Setters = setters;
        public readonly double[]? Multipliers = multipliers;
    }
}
