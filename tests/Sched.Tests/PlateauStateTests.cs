using System.Text;

namespace Sched.Tests;

/// <summary>
/// Plateau phases across a checkpoint (SaveState, RestoreState, ScheduleState.WriteTo/ReadFrom) and on bad input: each bad
/// input is a clear exception or a documented behaviour (docs/language.md §6), never a silent change.
/// </summary>
public class PlateauStateTests
{
    private const int StepsPerEpoch = 3;

    private static readonly double[] Losses =
        [1.00, 0.91, 0.93, 0.85, double.NaN, 0.87, 0.84, 0.84, 0.85, 0.83, 0.835, 0.84, 0.80, 0.81, 0.80, double.PositiveInfinity, 0.81, 0.79, 0.795, 0.79, 0.80, 0.80, 0.78, 0.785];

    private static ISchedule Create(string call, int epochs = 25, string name = "S") =>
        Build.Create($"schedule {name} over {epochs}ep {{ lr = {call} }}", StepsPerEpoch);

    /// <summary>Every track at every step from 0 past the end, bit for bit.</summary>
    private static void Same(ISchedule expected, ISchedule actual, string when)
    {
        int last = (int)Math.Ceiling(expected.TotalSteps) + 3;
        for (int step = 0; step <= last; step++)
        {
            for (int track = 0; track < expected.TrackNames.Count; track++)
            {
                double want = expected.Evaluate(track, step), got = actual.Evaluate(track, step);
                Assert.True(BitConverter.DoubleToInt64Bits(want) == BitConverter.DoubleToInt64Bits(got),
                    $"{when}: {expected.TrackNames[track]} at step {step}: uninterrupted {want:R}, resumed {got:R}");
            }
        }
    }

    private static ScheduleState ThroughBytes(ScheduleState state)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true)) state.WriteTo(writer);
        stream.Position = 0;
        using var reader = new BinaryReader(stream);
        return ScheduleState.ReadFrom(reader);
    }

    [Theory]
    [InlineData("torch_plateau(0.1, val_loss, factor = 0.5, patience = 1, cooldown = 2, min_lr = 0.01)", "val_loss")]
    [InlineData("keras_plateau(0.1, val_loss, factor = 0.5, patience = 2, cooldown = 2, min_lr = 0.005)", "val_loss")]
    [InlineData("fastai_plateau(0.1, patience = 2, factor = 3, min_delta = 0.01)", "valid_loss")]
    [InlineData("timm_plateau(0.1, val_loss, warmup_t = 3ep, warmup_lr_init = 0.01, mode = min, patience_t = 1, cooldown_t = 1)", "val_loss")]
    public void A_restored_state_continues_bit_for_bit_like_the_uninterrupted_run(string call, string metric)
    {
        for (int saveAfter = 0; saveAfter <= Losses.Length; saveAfter++)
        {
            var uninterrupted = Create(call);
            var first = Create(call);
            for (int e = 0; e < saveAfter; e++)
            {
                uninterrupted.Report(metric, Losses[e], (e + 1) * StepsPerEpoch);
                first.Report(metric, Losses[e], (e + 1) * StepsPerEpoch);
            }
            var state = first.SaveState();
            var resumed = Create(call);
            resumed.RestoreState(state);
            var fromBytes = Create(call);
            fromBytes.RestoreState(ThroughBytes(state));
            // A schedule that has seen other reports takes the state whole: its own reports are gone.
            var used = Create(call);
            for (int e = 0; e < 20; e++) used.Report(metric, 5.0, (e + 1) * StepsPerEpoch + 1);
            used.RestoreState(state);
            Same(uninterrupted, resumed, $"restored after {saveAfter} reports");
            Same(uninterrupted, fromBytes, $"read back after {saveAfter} reports");
            Same(uninterrupted, used, $"restored over other reports after {saveAfter} reports");
            for (int e = saveAfter; e < Losses.Length; e++)
            {
                foreach (var s in new[] { uninterrupted, resumed, fromBytes, used }) s.Report(metric, Losses[e], (e + 1) * StepsPerEpoch);
                Same(uninterrupted, resumed, $"report {e} after a restore at {saveAfter}");
                Same(uninterrupted, fromBytes, $"report {e} after reading back at {saveAfter}");
                Same(uninterrupted, used, $"report {e} after a restore over other reports at {saveAfter}");
            }
        }
    }

    [Fact]
    public void The_runs_compared_have_reductions_before_and_after_the_save()
    {
        // The resume test above is only meaningful if reductions happen on both sides of its save points.
        var s = Create("torch_plateau(0.1, val_loss, factor = 0.5, patience = 1, cooldown = 2, min_lr = 0.01)");
        var values = new List<double>();
        for (int e = 0; e < Losses.Length; e++)
        {
            s.Report("val_loss", Losses[e], (e + 1) * StepsPerEpoch);
            values.Add(s.ValueAt("lr", (e + 1) * StepsPerEpoch));
        }
        Assert.True(values[10] < 0.1 && values[^1] < values[11], string.Join(", ", values));
    }

    [Fact]
    public void A_state_restores_into_the_other_form_of_the_same_schedule_with_two_phases()
    {
        // Two tracks, two phases on two metrics: the state holds both; reports of one metric leave the other's phase alone.
        const string text = """
            schedule Two over 12ep {
                lr = lin(0.01 -> 0.1, 2ep) + torch_plateau(0.1, val_loss, patience = 0, factor = 0.5)
                wd = keras_plateau(1e-4, accuracy, mode = max, patience = 1)
            }
            """;
        var a = Build.Create(text, StepsPerEpoch);
        for (int e = 0; e < 6; e++)
        {
            a.Report("val_loss", 1.0 + e % 2, (e + 1) * StepsPerEpoch);
            a.Report("accuracy", 0.5, (e + 1) * StepsPerEpoch);
        }
        var b = Build.Create(text, StepsPerEpoch);
        b.RestoreState(ThroughBytes(a.SaveState()));
        Same(a, b, "restored");
        Assert.True(a.ValueAt("lr", 30) < 0.1 && a.ValueAt("wd", 30) < 1e-4);
    }

    // ---- bad input ----

    [Fact]
    public void A_metric_the_schedule_does_not_watch_is_refused_by_name()
    {
        var s = Create("torch_plateau(0.1, val_loss)");
        var e = Assert.Throws<ArgumentException>(() => s.Report("val_acc", 0.5, 3));
        Assert.Equal("metric", e.ParamName);
        Assert.StartsWith("schedule 'S' watches no metric 'val_acc'; it watches 'val_loss'", e.Message);
        var plain = Build.Create("schedule P over 10it { lr = cos(0.1 -> 0) }");
        var none = Assert.Throws<ArgumentException>(() => plain.Report("val_loss", 0.5, 3));
        Assert.StartsWith("schedule 'P' watches no metric 'val_loss'; it has no plateau phase", none.Message);
        Assert.Throws<ArgumentNullException>(() => s.Report(null!, 0.5, 3));
        // Metric names are compared as written: 'Val_Loss' is another metric.
        Assert.Throws<ArgumentException>(() => s.Report("Val_Loss", 0.5, 3));
    }

    [Fact]
    public void A_report_before_an_earlier_one_is_refused_and_changes_nothing()
    {
        var s = Create("torch_plateau(0.1, val_loss, patience = 0)");
        s.Report("val_loss", 1.0, 6);
        var before = s.SaveState();
        var e = Assert.Throws<ArgumentException>(() => s.Report("val_loss", 2.0, 3));
        Assert.Equal("position", e.ParamName);
        Assert.StartsWith("a report at step 3 comes after one at step 6; report in the order of training (to go back, restore a saved state)", e.Message);
        Assert.Equal(0.1, s.ValueAt("lr", 10));
        // Two reports at one position (two metrics, or one metric twice) are in order.
        s.Report("val_loss", 2.0, 6);
        Assert.Equal(0.1 * 0.1, s.ValueAt("lr", 6));
        // A restored state brings its last report's position: a report before it is refused there too.
        var restored = Create("torch_plateau(0.1, val_loss, patience = 0)");
        restored.RestoreState(before);
        Assert.Throws<ArgumentException>(() => restored.Report("val_loss", 2.0, 5));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-1.0)]
    [InlineData(double.NegativeInfinity)]
    [InlineData(double.PositiveInfinity)]
    public void A_report_position_that_is_not_a_finite_count_of_steps_is_refused(double position)
    {
        var s = Create("torch_plateau(0.1, val_loss, patience = 0)");
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => s.Report("val_loss", 1.0, position));
        Assert.Equal("position", e.ParamName);
        Assert.StartsWith("a report's position counts optimizer steps taken: a finite number, 0 or more", e.Message);
        // Refused, it leaves no trace: later reports are in order.
        s.Report("val_loss", 1.0, 3);
        s.Report("val_loss", 2.0, 6);
        Assert.Equal(0.1 * 0.1, s.ValueAt("lr", 6));
    }

    [Fact]
    public void A_NaN_metric_is_a_report_without_improvement()
    {
        // docs/language.md §6: NaN is never better, as PyTorch's comparison with NaN is false: patience 0 reduces on it.
        var s = Create("torch_plateau(0.1, val_loss, patience = 0)");
        s.Report("val_loss", 1.0, 3);
        s.Report("val_loss", double.NaN, 6);
        Assert.Equal(0.1, s.ValueAt("lr", 5));
        Assert.Equal(0.1 * 0.1, s.ValueAt("lr", 6));
        // And it never becomes the best: the next finite report is compared with 1.0, not with NaN.
        s.Report("val_loss", 0.5, 9);
        Assert.Equal(0.1 * 0.1, s.ValueAt("lr", 9));
    }

    [Fact]
    public void A_report_outside_every_phase_changes_nothing()
    {
        // The warm-up holds no plateau phase, and a report from the schedule's end on has no phase to go to.
        var s = Build.Create("schedule S over 4ep { lr = lin(0.01 -> 0.1, 1ep) + torch_plateau(0.1, val_loss, patience = 0) }", StepsPerEpoch);
        var fresh = s.SaveState();
        s.Report("val_loss", 1.0, 2);
        s.Report("val_loss", 2.0, 12);
        s.Report("val_loss", 3.0, 100);
        for (int step = 0; step < 20; step++) Assert.Equal(step < 3 ? 0.01 + (0.1 - 0.01) * step / 3.0 : 0.1, s.ValueAt("lr", step), 15);
        var other = Build.Create("schedule S over 4ep { lr = lin(0.01 -> 0.1, 1ep) + torch_plateau(0.1, val_loss, patience = 0) }", StepsPerEpoch);
        other.RestoreState(fresh);
        Same(other, s, "after reports outside every phase");
    }

    [Fact]
    public void A_state_of_another_schedule_is_refused()
    {
        var s = Create("torch_plateau(0.1, val_loss)");
        var other = Create("torch_plateau(0.1, val_loss)", name: "Other");
        var e = Assert.Throws<ArgumentException>(() => s.RestoreState(other.SaveState()));
        Assert.Equal("state", e.ParamName);
        Assert.StartsWith("this state was saved by schedule 'Other'; it cannot be restored into schedule 'S'", e.Message);
        // The same name with other plateau phases: another patience, another metric, another start, none at all.
        foreach (var call in new[] { "torch_plateau(0.1, val_loss, patience = 3)", "torch_plateau(0.1, loss)", "torch_plateau(0.2, val_loss)", "cos(0.1 -> 0)" })
        {
            var same = Create(call);
            var f = Assert.Throws<ArgumentException>(() => s.RestoreState(same.SaveState()));
            Assert.StartsWith("this state was saved by schedule 'S' with other plateau phases; it cannot be restored into schedule 'S'", f.Message);
        }
        Assert.Throws<ArgumentNullException>(() => s.RestoreState(null!));
    }

    [Fact]
    public void A_state_restores_into_a_longer_run_of_the_same_schedule()
    {
        // A state matches the schedule's name and its phases' arguments, not its length: a run extended on resume keeps its reductions.
        var short_ = Create("torch_plateau(0.1, val_loss, patience = 0)", epochs: 10);
        short_.Report("val_loss", 1.0, 3);
        short_.Report("val_loss", 2.0, 6);
        var longer = Create("torch_plateau(0.1, val_loss, patience = 0)", epochs: 20);
        longer.RestoreState(short_.SaveState());
        Assert.Equal(0.1, longer.ValueAt("lr", 5));
        Assert.Equal(0.1 * 0.1, longer.ValueAt("lr", 6));
        longer.Report("val_loss", 3.0, 45);
        Expect.At(longer, "lr", 59, 0.1 * 0.1 * 0.1);
    }

    /// <summary>The state's bytes, with <paramref name="damage"/> applied to its payload (which starts with "Sched schedule state").</summary>
    private static ScheduleState Damaged(ScheduleState state, Action<byte[], int> damage)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true)) state.WriteTo(writer);
        byte[] bytes = stream.ToArray();
        byte[] format = Encoding.UTF8.GetBytes("Sched schedule state");
        int at = bytes.AsSpan().IndexOf(format) - 1; // the length byte BinaryWriter writes before a string
        damage(bytes, at);
        using var reader = new BinaryReader(new MemoryStream(bytes));
        return ScheduleState.ReadFrom(reader);
    }

    // The payload: format string (21 bytes), version (4), last report (8), phases (4); per phase: reductions (4), then
    // (position, value) pairs of doubles, best (8), bad reports (4), cooldown (4).
    private const int FirstPhase = 21 + 4 + 8 + 4;

    [Fact]
    public void A_damaged_state_is_refused_and_leaves_the_schedule_as_it_was()
    {
        var s = Create("torch_plateau(0.1, val_loss, patience = 0)");
        s.Report("val_loss", 1.0, 3);
        s.Report("val_loss", 2.0, 6);
        var good = s.SaveState();
        var cases = new (Action<byte[], int> Damage, string Message)[]
        {
            ((b, at) => b[at + 1] = (byte)'X', "the state of schedule 'S' is damaged: not a schedule state of this version"),
            ((b, at) => BitConverter.GetBytes(double.NaN).CopyTo(b, at + FirstPhase + 4), "the state of schedule 'S' is damaged: a plateau state whose reductions are not finite and in order"),
            ((b, at) => BitConverter.GetBytes(-1).CopyTo(b, at + FirstPhase + 4 + 16 + 8), "the state of schedule 'S' is damaged: a plateau state with negative counters"),
            ((b, at) => BitConverter.GetBytes(int.MaxValue).CopyTo(b, at + FirstPhase), "the state of schedule 'S' is damaged: a plateau state with 2147483647 reductions"),
        };
        foreach (var (damage, message) in cases)
        {
            var target = Create("torch_plateau(0.1, val_loss, patience = 0)");
            target.Report("val_loss", 5.0, 30);
            var untouched = Create("torch_plateau(0.1, val_loss, patience = 0)");
            untouched.Report("val_loss", 5.0, 30);
            var e = Assert.Throws<ArgumentException>(() => target.RestoreState(Damaged(good, damage)));
            Assert.StartsWith(message, e.Message);
            Same(untouched, target, message);
            target.Report("val_loss", 6.0, 33); // its last report is still at 30
        }
    }

    [Fact]
    public void A_damaged_state_of_two_phases_restores_neither()
    {
        // The second phase's data is damaged: the first phase must not keep what was read of it.
        const string text = """
            schedule D over 10ep {
                lr = torch_plateau(0.1, val_loss, patience = 0)
                wd = torch_plateau(1e-4, val_loss, patience = 0)
            }
            """;
        var saved = Build.Create(text, StepsPerEpoch);
        saved.Report("val_loss", 1.0, 3);
        saved.Report("val_loss", 2.0, 6);
        var state = Damaged(saved.SaveState(), (b, at) => BitConverter.GetBytes(-1).CopyTo(b, at + FirstPhase + (4 + 16 + 8 + 4 + 4) + 4 + 16 + 8));
        var target = Build.Create(text, StepsPerEpoch);
        var untouched = Build.Create(text, StepsPerEpoch);
        Assert.Throws<ArgumentException>(() => target.RestoreState(state));
        Same(untouched, target, "after a failed restore");
    }

    [Fact]
    public void Bytes_that_are_not_a_state_are_refused_by_ReadFrom()
    {
        var state = Create("torch_plateau(0.1, val_loss)").SaveState();
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true)) state.WriteTo(writer);
        byte[] bytes = stream.ToArray();
        var cut = Assert.Throws<InvalidDataException>(() => ScheduleState.ReadFrom(new BinaryReader(new MemoryStream(bytes[..^3]))));
        Assert.Equal("the schedule state is cut short", cut.Message);
        var other = Assert.Throws<InvalidDataException>(() => ScheduleState.ReadFrom(new BinaryReader(new MemoryStream(Encoding.UTF8.GetBytes("\u0005hello world")))));
        Assert.Equal("this is not a saved schedule state", other.Message);
        Assert.Throws<InvalidDataException>(() => ScheduleState.ReadFrom(new BinaryReader(new MemoryStream([]))));
    }

    [Fact]
    public void Evaluating_a_plateau_schedule_at_a_NaN_step_is_refused()
    {
        var s = Create("torch_plateau(0.1, val_loss)");
        var e = Assert.Throws<ArgumentException>(() => s.Evaluate(0, double.NaN));
        Assert.Equal("step", e.ParamName);
    }
}
