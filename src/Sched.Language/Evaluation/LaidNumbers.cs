namespace Sched.Language.Evaluation;

/// <summary>
/// Every number of a laid-out schedule, in one fixed order. Generated classes take their fields from this
/// list at construction; the generator walks a layout of the same schedule in the same order to know which
/// number each field holds. The tree's shape does not depend on parameters or steps per epoch, only its numbers.
/// </summary>
public static class LaidNumbers
{
    /// <summary>Receives each number with the object it belongs to and its slot there.</summary>
    public delegate void Sink(object owner, int slot, double value);

    public static double[] Collect(LaidSchedule schedule)
    {
        var numbers = new List<double>();
        Visit(schedule, (_, _, value) => numbers.Add(value));
        return numbers.ToArray();
    }

    public static void Visit(LaidSchedule schedule, Sink sink)
    {
        sink(schedule, 0, schedule.Total);
        sink(schedule, 1, schedule.StepsPerEpoch);
        foreach (var track in schedule.Tracks)
        {
            sink(track, 0, track.Length);
            sink(track, 1, track.EndValue);
            Visit(track.Root, sink);
        }
    }

    private static void Visit(LaidNode node, Sink sink)
    {
        sink(node, 0, node.Length);
        switch (node)
        {
            case LaidSegment segment:
                Visit(segment.From, sink);
                if (segment.To is not null) Visit(segment.To, sink);
                if (segment.Power is not null) Visit(segment.Power, sink);
                break;
            case LaidConcat concat:
                for (int i = 0; i < concat.Starts.Length; i++) sink(concat, i + 1, concat.Starts[i]);
                foreach (var part in concat.Parts) Visit(part, sink);
                break;
            case LaidModulate modulate:
                Visit(modulate.Inner, sink);
                Visit(modulate.Multiplier, sink);
                break;
            case LaidRepeat repeat:
                sink(repeat, 1, repeat.CycleLength);
                sink(repeat, 2, repeat.Mult);
                sink(repeat, 3, repeat.LastCycle);
                Visit(repeat.Body, sink);
                break;
            case LaidQuantize quantize:
                sink(quantize, 1, quantize.Block);
                Visit(quantize.Inner, sink);
                break;
            case LaidSkip skip:
                sink(skip, 1, skip.Offset);
                Visit(skip.Inner, sink);
                break;
            case LaidConstant constant:
                Visit(constant.Value, sink);
                break;
        }
    }

    private static void Visit(ValueNode value, Sink sink)
    {
        if (value is ConstantValue constant)
        {
            sink(constant, 0, constant.Value);
            return;
        }
        foreach (var child in value.Children) Visit(child, sink);
    }
}
