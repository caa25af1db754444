using BenchmarkDotNet.Attributes;
using Sched.Samples;
using Sched.TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sched.Benchmarks;

/// <summary>
/// One training step's schedule update on an SGD optimizer with 3 param groups (a tiny model, one linear layer per group):
/// our <see cref="ScheduleDriver"/> against TorchSharp's own <c>OneCycleLR.step()</c> and <c>StepLR.step()</c>. Only the
/// update is measured, never <c>optimizer.step()</c>.
/// </summary>
/// <remarks>
/// Every benchmark walks a run of <see cref="RunSteps"/> steps and wraps around to step 0 at its end, so none ever runs past
/// its length (OneCycleLR throws past total_steps; StepLR's lr would decay into denormals). Each wrap is one extra update
/// through the public API (the driver's <see cref="ScheduleDriver.Position"/> = 0; the schedulers' <c>step(0)</c>), once per
/// 1,000 steps for all of them alike.
/// </remarks>
[MemoryDiagnoser]
public class DriverBenchmarks
{
    private const int RunSteps = 1000;

    private const string Interpreted =
        "schedule S over 1000it {\n"
        + " lr = cos(0.004 -> 0.1, 25%) + cos(0.1 -> 4e-7, rest)\n"
        + " momentum = cos(0.95 -> 0.85, 25%) + cos(0.85 -> 0.95, rest)\n"
        + " wd = 1e-4\n"
        + "}";

    private readonly List<IDisposable> _disposables = [];
    private ScheduleDriver _driver = null!;
    private ScheduleDriver _generatedDriver = null!;
    private optim.lr_scheduler.LRScheduler _oneCycle = null!;
    private optim.lr_scheduler.LRScheduler _stepLR = null!;
    private int _oneCycleSteps;
    private int _stepLRSteps;
    private ParamGroup[] _floorGroups = null!;
    private optim.IMomentum[] _floorMomentum = null!;
    private int _floorStep;

    [GlobalSetup]
    public void Setup()
    {
        // Each contender drives an optimizer of its own over the same 3 groups, so none sees another's writes.
        _driver = new ScheduleDriver(Schedule.Parse(Interpreted).Create(), NewOptimizer());
        // FastaiOneCycle has no wd track: lr + momentum only. 200 steps an epoch over its 5 epochs: 1,000 steps.
        _generatedDriver = new ScheduleDriver(new FastaiOneCycle(stepsPerEpoch: 200, lr_max: 0.1), NewOptimizer());
        _oneCycle = optim.lr_scheduler.OneCycleLR(NewOptimizer(), max_lr: 0.1, total_steps: RunSteps);
        _stepLR = optim.lr_scheduler.StepLR(NewOptimizer(), step_size: 30, gamma: 0.1);
        _floorGroups = NewOptimizer().ParamGroups.OfType<ParamGroup>().ToArray();
        _floorMomentum = _floorGroups.Cast<optim.IMomentum>().ToArray();
        if (_driver.Schedule.StepCount() != RunSteps || _generatedDriver.Schedule.StepCount() != RunSteps)
            throw new InvalidOperationException($"the driven schedules must be {RunSteps} steps long");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var disposable in _disposables) disposable.Dispose();
        _disposables.Clear();
    }

    [Benchmark(Description = "ScheduleDriver.Step: lr + momentum + wd (interpreted)")]
    public void Driver() => StepAndWrap(_driver);

    [Benchmark(Description = "ScheduleDriver.Step: lr + momentum (generated FastaiOneCycle)")]
    public void GeneratedDriver() => StepAndWrap(_generatedDriver);

    /// <summary>What any driver of a 1cycle must do per step: one cosine per track, stored into each group. No schedule logic.</summary>
    [Benchmark(Description = "Floor: two cosines stored as lr and momentum of 3 groups")]
    public void Floor()
    {
        double p = _floorStep * (1.0 / RunSteps);
        double lr = 0.05 + 0.05 * Math.Cos(Math.PI * p);
        double momentum = 0.9 - 0.05 * Math.Cos(Math.PI * p);
        for (int g = 0; g < _floorGroups.Length; g++)
        {
            _floorGroups[g].LearningRate = lr;
            _floorMomentum[g].Momentum = momentum;
        }
        if (++_floorStep == RunSteps) _floorStep = 0;
    }

    [Benchmark(Baseline = true, Description = "TorchSharp OneCycleLR.step(): lr + momentum")]
    public void OneCycleLR() => StepAndWrap(_oneCycle, ref _oneCycleSteps);

    [Benchmark(Description = "TorchSharp StepLR.step(): lr")]
    public void StepLR() => StepAndWrap(_stepLR, ref _stepLRSteps);

    private static void StepAndWrap(ScheduleDriver driver)
    {
        driver.Step();
        if (driver.Position == RunSteps) driver.Position = 0;
    }

    private static void StepAndWrap(optim.lr_scheduler.LRScheduler scheduler, ref int steps)
    {
        scheduler.step();
        // step(epoch) sets the scheduler's counter: back to the first step (StepLR's closed form restores the base lrs too).
        if (++steps == RunSteps)
        {
            scheduler.step(0);
            steps = 0;
        }
    }

    /// <summary>SGD with momentum and weight decay over a tiny model split into 3 param groups, one per linear layer.</summary>
    private optim.Optimizer NewOptimizer()
    {
        var layers = new[] { nn.Linear(4, 8), nn.Linear(8, 8), nn.Linear(8, 1) };
        _disposables.AddRange(layers);
        var optimizer = optim.SGD(layers.Select(l => new SGD.ParamGroup(l.parameters())), 0.004, momentum: 0.9, weight_decay: 1e-4);
        _disposables.Add(optimizer);
        return optimizer;
    }
}
