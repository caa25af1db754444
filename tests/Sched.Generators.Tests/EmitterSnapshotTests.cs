using Microsoft.CodeAnalysis.CSharp;
using Sched.Model;
using Sched.Text;

namespace Sched.Generators.Tests;

/// <summary>
/// The emitter on models built by hand, without the parser or the binder: the snapshot shows the class each model
/// becomes, and the compiled class gives the values the constructs' formulas give, worked out here.
/// </summary>
public class EmitterSnapshotTests
{
    /// <summary>The snapshots these tests own.</summary>
    public static readonly string[] Names = { "Hand_LinCos", "Hand_HeldCycles" };

    // One fake line of source: spans only locate diagnostics, and these models have none.
    private static readonly SourceText Source = SourceText.FromLineStarts("Hand.sched", 200, new[] { 0 });

    private static TextSpan At(int start) => new(start, 1);

    /// <summary><c>schedule LinCos over 100it { lr = lin(0 -> 1, 10it) + cos(1 -> 0, rest) }</c></summary>
    private static ScheduleModel LinCos() => new(Source, "LinCos", At(0), At(0), "Hand", "A warm-up, then a cosine.",
        Array.Empty<ParameterModel>(),
        new LiteralDuration(At(1), 100, DurationUnit.Iteration),
        new[]
        {
            new TrackModel("lr", At(2), At(3), new ConcatNode(At(3), new TrackNode[]
            {
                new SegmentNode(At(4), Shape.Lin, new ConstantValue(At(5), 0), new ConstantValue(At(6), 1), null, new LiteralDuration(At(7), 10, DurationUnit.Iteration)),
                new SegmentNode(At(8), Shape.Cos, new ConstantValue(At(9), 1), new ConstantValue(At(10), 0), null, new RestDuration(At(11))),
            })),
        },
        firstEpochUse: null, countsInEpochs: false);

    /// <summary>
    /// <c>schedule HeldCycles(peak = 0.5) over 40it { lr = repeat(every = 10it) { cos(peak -> 0, 8it) } * (1 - t / 2) }</c>:
    /// a body shorter than its cycle (held for its last 2 steps), a parameter, and a multiplier that reads t.
    /// </summary>
    private static ScheduleModel HeldCycles() => new(Source, "HeldCycles", At(0), At(0), "Hand", null,
        new[] { new ParameterModel("peak", At(20), new ConstantValue(At(21), 0.5), null, "0.5") },
        new LiteralDuration(At(22), 40, DurationUnit.Iteration),
        new[]
        {
            new TrackModel("lr", At(23), At(24), new ModulateNode(At(24),
                new RepeatNode(At(25), count: null, mult: null, every: new LiteralDuration(At(26), 10, DurationUnit.Iteration),
                    body: new SegmentNode(At(27), Shape.Cos, new ParameterValue(At(28), 0), new ConstantValue(At(29), 0), null, new LiteralDuration(At(30), 8, DurationUnit.Iteration))),
                new SumValue(At(31), new ValueNode[]
                {
                    new ConstantValue(At(32), 1),
                    new ProductValue(At(33), new ValueNode[] { new VariableValue(At(34), Variable.T), new ConstantValue(At(35), 2) }, new[] { false, true }),
                }, new[] { false, true }))),
        },
        firstEpochUse: null, countsInEpochs: false);

    [Fact]
    public void A_sequence_becomes_a_class_with_one_test_per_boundary()
    {
        string source = Emit(LinCos());
        Snapshot.Verify(Names[0], "cs", source);
        using var loaded = Compile(source);
        var schedule = (ISchedule)Activator.CreateInstance(loaded.Assembly.GetType("Hand.LinCos", throwOnError: true)!)!;
        int lr = schedule.IndexOf("lr");
        Assert.Equal(100, schedule.TotalSteps);
        Assert.Equal(0.25, schedule.Evaluate(lr, 2.5), 15);                                      // lin: 2.5 / 10
        Assert.Equal(1, schedule.Evaluate(lr, 10), 15);                                          // cos at p = 0
        Assert.Equal((1 + Math.Cos(Math.PI * 45 / 90)) / 2, schedule.Evaluate(lr, 55), 15);     // cos at p = 45 / 90
        Assert.Equal(0, schedule.Evaluate(lr, 100), 15);                                         // the end value
    }

    [Fact]
    public void A_held_cycle_under_a_multiplier_reads_the_parameter_and_t()
    {
        string source = Emit(HeldCycles());
        Snapshot.Verify(Names[1], "cs", source);
        using var loaded = Compile(source);
        var type = loaded.Assembly.GetType("Hand.HeldCycles", throwOnError: true)!;
        var schedule = (ISchedule)Activator.CreateInstance(type, 0.8)!;
        int lr = schedule.IndexOf("lr");
        double Expected(double x)
        {
            double inCycle = x % 10;
            double p = Math.Min(inCycle, 8) / 8;                          // held from the body's end (8) to the cycle's end (10)
            return 0.8 * (1 + Math.Cos(Math.PI * p)) / 2 * (1 - x / 40 / 2);
        }
        foreach (double x in new[] { 0, 3, 7.5, 8, 9, 10, 14, 29, 39.5 })
        {
            Assert.Equal(Expected(x), schedule.Evaluate(lr, x), 14);
        }
    }

    private static string Emit(ScheduleModel model) =>
        ScheduleEmitter.Emit(model, "Hand.sched", "Hand", nullable: true) ?? throw new InvalidOperationException($"{model.Name} did not lay out");

    private static LoadedAssembly Compile(string source) =>
        GeneratorHarness.Load(GeneratorHarness.NewCompilation("Hand", fast: true, CSharpSyntaxTree.ParseText(source, GeneratorHarness.FastParseOptions)));
}
