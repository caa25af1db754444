namespace Sched;

/// <summary>
/// What reports to a schedule's plateau phases have decided (reductions, best value, bad reports, cooldown), as a value
/// to keep in a checkpoint: restoring it and the position gives the values of an uninterrupted run, bit for bit.
/// </summary>
public sealed class ScheduleState
{
    private const string Magic = "Sched.ScheduleState";

    internal ScheduleState(string schedule, string signature, byte[] payload)
    {
        Schedule = schedule;
        Signature = signature;
        Payload = payload;
    }

    /// <summary>The schedule that saved it.</summary>
    public string Schedule { get; }

    internal string Signature { get; }

    internal byte[] Payload { get; }

    public void WriteTo(BinaryWriter writer)
    {
        if (writer is null) throw new ArgumentNullException(nameof(writer));
        writer.Write(Magic);
        writer.Write(Schedule);
        writer.Write(Signature);
        writer.Write(Payload.Length);
        writer.Write(Payload);
    }

    /// <exception cref="InvalidDataException">What is read is not a schedule state.</exception>
    public static ScheduleState ReadFrom(BinaryReader reader)
    {
        if (reader is null) throw new ArgumentNullException(nameof(reader));
        try
        {
            if (reader.ReadString() != Magic) throw new InvalidDataException("this is not a saved schedule state");
            string schedule = reader.ReadString();
            string signature = reader.ReadString();
            int length = reader.ReadInt32();
            if (length < 0 || length > 64 << 20) throw new InvalidDataException($"a schedule state of {length} bytes");
            byte[] payload = reader.ReadBytes(length);
            if (payload.Length != length) throw new InvalidDataException("the schedule state is cut short");
            return new ScheduleState(schedule, signature, payload);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException("the schedule state is cut short");
        }
    }
}
