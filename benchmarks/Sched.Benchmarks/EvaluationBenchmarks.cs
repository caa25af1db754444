using BenchmarkDotNet.Attributes;
using Sched.Samples;

namespace Sched.Benchmarks;

/// <summary>
/// One evaluation of fastai's 1cycle (lr + momentum) at a step: generated class, interpreted text, and a
/// floor of one bare Math.Cos per track over the same argument range ([0, pi] across the run, as a cosine
/// segment sees). Steps walk the whole schedule so every phase is measured.
/// </summary>
[MemoryDiagnoser]
public class EvaluationBenchmarks
{
    private const int StepsPerEpoch = 100;
    private FastaiOneCycle _generated = null!;
    private ISchedule _generatedInterface = null!;
    private ISchedule _interpreted = null!;
    private int _lr;
    private int _momentum;
    private double _step;
    private double _total;
    private double _piPerStep;
    private readonly double[] _values = new double[2];

    [GlobalSetup]
    public void Setup()
    {
        _generated = new FastaiOneCycle(StepsPerEpoch);
        _generatedInterface = _generated;
        string text = File.ReadAllText(Path.Combine(RepositoryRoot.Find(), "samples/Schedules/FastaiOneCycle.sched"));
        _interpreted = Schedule.Parse(text).Create(StepsPerEpoch);
        _lr = _interpreted.IndexOf("lr");
        _momentum = _interpreted.IndexOf("momentum");
        _total = _interpreted.TotalSteps;
        _piPerStep = Math.PI / _total;
    }

    private double NextStep()
    {
        double step = _step;
        _step = step + 1 < _total ? step + 1 : 0;
        return step;
    }

    [Benchmark(Baseline = true, Description = "floor: Math.Cos per track")]
    public double Floor()
    {
        double step = NextStep();
        return Math.Cos(step * _piPerStep) + Math.Cos(Math.PI - step * _piPerStep);
    }

    [Benchmark(Description = "generated")]
    public double Generated()
    {
        double step = NextStep();
        return _generated.LearningRate(step) + _generated.Momentum(step);
    }

    [Benchmark(Description = "generated via ISchedule")]
    public double GeneratedInterface()
    {
        double step = NextStep();
        return _generatedInterface.Evaluate(0, step) + _generatedInterface.Evaluate(1, step);
    }

    [Benchmark(Description = "generated EvaluateAll via ISchedule")]
    public double GeneratedAll()
    {
        _generatedInterface.EvaluateAll(NextStep(), _values);
        return _values[0] + _values[1];
    }

    [Benchmark(Description = "interpreted")]
    public double Interpreted()
    {
        double step = NextStep();
        return _interpreted.Evaluate(_lr, step) + _interpreted.Evaluate(_momentum, step);
    }
}
