using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Sched.Samples.FashionMnist;

/// <summary>
/// The checkpoint file format, which keeps named sections whole; what a section holds is its writer's business.
/// <code>
/// offset 0       12 bytes  signature 0x89 "SCHEDCKPT" "\r\n" (0x89 and CR LF catch 7-bit and newline-converting copies)
/// offset 12      int32     format version (<see cref="FormatVersion"/>)
/// offset 16      int64     payload length P
/// offset 24      P bytes   payload: sections, each a name (1-byte length, then ASCII [a-z0-9-]), an int64 length and that many bytes
/// offset 24 + P  32 bytes  SHA-256 of every byte before it
/// </code>
/// Integers are little-endian. SHA-256 rather than a CRC: the BCL has it (CRC-64 needs the System.IO.Hashing package), it hashes
/// faster than the disk writes, and no accidental damage goes unnoticed. Adding a section does not change the format version;
/// changing what a section holds does.
/// </summary>
internal static class CheckpointFile
{
    public const int FormatVersion = 2;
    private const int HeaderLength = 24, HashLength = 32, MaxNameLength = 64;
    private static readonly byte[] Signature = [0x89, (byte)'S', (byte)'C', (byte)'H', (byte)'E', (byte)'D', (byte)'C', (byte)'K', (byte)'P', (byte)'T', 0x0D, 0x0A];
    // Format 1 had no signature: it began with the .NET string "Sched.Samples.FashionMnist checkpoint" (a length byte, 37, then the text).
    private static readonly byte[] FormatOneStart = [37, .. "Sched.Samples.FashionMnist checkpoint"u8];

    /// <summary>Where a save writes before it renames into place; one left behind is a save cut short.</summary>
    public static string TemporaryPath(string path) => path + ".tmp";

    /// <summary>Deletes the temporary of a save that was cut short (the process killed mid-write); true when there was one.</summary>
    public static bool RemoveStaleTemporary(string path)
    {
        string temporary = TemporaryPath(path);
        if (!File.Exists(temporary)) return false;
        try
        {
            File.Delete(temporary);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException(path, CheckpointProblem.Unwritable, $"cannot remove '{temporary}', left by a checkpoint save that was cut short: {e.Message}");
        }
    }

    internal static bool IsValidName(string name) =>
        name.Length is > 0 and <= MaxNameLength && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');

    /// <summary>The whole file for these sections, in memory.</summary>
    internal static byte[] Serialize(IReadOnlyList<(string Name, byte[] Content)> sections)
    {
        long payload = sections.Sum(s => 1L + s.Name.Length + 8 + s.Content.Length);
        var file = new byte[HeaderLength + payload + HashLength];
        Signature.CopyTo(file, 0);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(12), FormatVersion);
        BinaryPrimitives.WriteInt64LittleEndian(file.AsSpan(16), payload);
        int at = HeaderLength;
        foreach (var (name, content) in sections)
        {
            file[at++] = (byte)name.Length;
            at += Encoding.ASCII.GetBytes(name, file.AsSpan(at));
            BinaryPrimitives.WriteInt64LittleEndian(file.AsSpan(at), content.Length);
            at += 8;
            content.CopyTo(file, at);
            at += content.Length;
        }
        SHA256.HashData(file.AsSpan(0, at), file.AsSpan(at));
        return file;
    }

    /// <summary>Checks signature, version, length and checksum, and splits the payload into its sections.</summary>
    internal static IReadOnlyDictionary<string, ArraySegment<byte>> Parse(byte[] file, string path)
    {
        CheckpointException Problem(CheckpointProblem problem, string what) => new(path, problem, $"checkpoint '{path}' {what}");

        if (file.Length == 0) throw Problem(CheckpointProblem.Truncated, "is empty (0 bytes): it was cut short before anything was written");
        if (file.AsSpan().StartsWith(FormatOneStart))
        {
            throw Problem(CheckpointProblem.OtherVersion,
                $"was written by an earlier version of this sample (format 1, without a checksum), which this version cannot read (it reads format {FormatVersion}); start a new run");
        }
        int signature = Math.Min(file.Length, Signature.Length);
        if (!file.AsSpan(0, signature).SequenceEqual(Signature.AsSpan(0, signature)))
            throw new CheckpointException(path, CheckpointProblem.NotACheckpoint, $"'{path}' is not a checkpoint of this sample: it does not start with the checkpoint signature");
        if (file.Length < HeaderLength)
            throw Problem(CheckpointProblem.Truncated, $"is truncated: it has {file.Length} bytes, fewer than its {HeaderLength}-byte header");

        int version = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(12));
        if (version != FormatVersion)
        {
            throw Problem(CheckpointProblem.OtherVersion,
                $"was written by another version of this sample (format {version}; this version reads format {FormatVersion}), or its header is damaged");
        }
        long payload = BinaryPrimitives.ReadInt64LittleEndian(file.AsSpan(16));
        long expected = payload < 0 || payload > long.MaxValue - HeaderLength - HashLength ? -1 : HeaderLength + payload + HashLength;
        if (expected < 0) throw Problem(CheckpointProblem.Corrupt, $"is corrupt: its header gives a payload of {payload} bytes");
        if (file.Length < expected)
            throw Problem(CheckpointProblem.Truncated, $"is truncated: it has {file.Length:N0} bytes, its header says {expected:N0}");
        if (file.Length > expected)
            throw Problem(CheckpointProblem.Corrupt, $"is corrupt: it has {file.Length - expected:N0} bytes after its end ({file.Length:N0} bytes, its header says {expected:N0})");
        int hashed = (int)(HeaderLength + payload);
        if (!SHA256.HashData(file.AsSpan(0, hashed)).AsSpan().SequenceEqual(file.AsSpan(hashed, HashLength)))
            throw Problem(CheckpointProblem.Corrupt, "is corrupt: its contents do not match their SHA-256 checksum (the file was changed or damaged after it was written)");

        // The checksum matched, so what follows fails only on a file written by a faulty writer.
        var sections = new Dictionary<string, ArraySegment<byte>>(StringComparer.Ordinal);
        int at = HeaderLength;
        while (at < hashed)
        {
            int nameLength = file[at++];
            if (nameLength > hashed - at - 8) throw Problem(CheckpointProblem.Corrupt, $"is corrupt: its section table is malformed at byte {at - 1}");
            string name = Encoding.ASCII.GetString(file, at, nameLength);
            at += nameLength;
            long length = BinaryPrimitives.ReadInt64LittleEndian(file.AsSpan(at));
            at += 8;
            if (!IsValidName(name) || length < 0 || length > hashed - at)
                throw Problem(CheckpointProblem.Corrupt, $"is corrupt: its section table is malformed at byte {at - 9 - nameLength}");
            if (!sections.TryAdd(name, new ArraySegment<byte>(file, at, (int)length)))
                throw Problem(CheckpointProblem.Corrupt, $"is corrupt: it has two sections named '{name}'");
            at += (int)length;
        }
        return sections;
    }
}

/// <summary>Collects named sections and writes them as one checkpoint file, atomically.</summary>
internal sealed class CheckpointWriter
{
    /// <summary>Only the fault test sets this: a pause halfway through writing the temporary, so that its kills land inside saves.</summary>
    internal const string PauseVariable = "FASHIONMNIST_SAVE_PAUSE_MS";
    private static readonly int PauseMilliseconds = int.TryParse(Environment.GetEnvironmentVariable(PauseVariable), out int pause) ? pause : 0;

    private readonly List<(string Name, byte[] Content)> _sections = [];

    /// <summary>Adds a section whose content <paramref name="write"/> writes.</summary>
    /// <exception cref="ArgumentException">A name outside [a-z0-9-]{1,64}, or one already added.</exception>
    public CheckpointWriter Add(string name, Action<BinaryWriter> write)
    {
        if (!CheckpointFile.IsValidName(name)) throw new ArgumentException($"section name '{name}' is not 1 to 64 of a-z, 0-9 and '-'", nameof(name));
        if (_sections.Any(s => s.Name == name)) throw new ArgumentException($"section '{name}' is already added", nameof(name));
        using var content = new MemoryStream();
        using (var writer = new BinaryWriter(content, Encoding.UTF8, leaveOpen: true)) write(writer);
        _sections.Add((name, content.ToArray()));
        return this;
    }

    /// <summary>
    /// Writes the file next to <paramref name="path"/>, flushes it to disk, then renames it over <paramref name="path"/>: a crash at
    /// any moment leaves either the previous file or the new one, whole.
    /// </summary>
    public void Save(string path)
    {
        byte[] file = CheckpointFile.Serialize(_sections);
        string temporary = CheckpointFile.TemporaryPath(path);
        try
        {
            string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
            if (folder is not null) Directory.CreateDirectory(folder);
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                stream.Write(file.AsSpan(0, file.Length / 2));
                if (PauseMilliseconds > 0)
                {
                    stream.Flush();
                    Thread.Sleep(PauseMilliseconds);
                }
                stream.Write(file.AsSpan(file.Length / 2));
                stream.Flush(flushToDisk: true); // the rename must not reach the disk before the data does
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(temporary); }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException) { } // the error below is the one to report
            throw new CheckpointException(path, CheckpointProblem.Unwritable, $"cannot write checkpoint '{path}': {e.Message}; the previous checkpoint there, if any, is unchanged");
        }
    }
}

/// <summary>A checkpoint file read whole and checked (signature, version, length, checksum), and its sections.</summary>
internal sealed class CheckpointReader
{
    private readonly IReadOnlyDictionary<string, ArraySegment<byte>> _sections;

    private CheckpointReader(string path, IReadOnlyDictionary<string, ArraySegment<byte>> sections)
    {
        Path = path;
        _sections = sections;
    }

    /// <summary>The file, as the user named it.</summary>
    public string Path { get; }

    public IEnumerable<string> SectionNames => _sections.Keys;

    /// <exception cref="CheckpointException">The file is missing, unreadable, not a checkpoint, truncated, corrupt or of another format version.</exception>
    public static CheckpointReader Open(string path)
    {
        if (Directory.Exists(path)) throw new CheckpointException(path, CheckpointProblem.Missing, $"'{path}' is a folder; --resume takes a checkpoint file written by --save");
        if (!File.Exists(path)) throw new CheckpointException(path, CheckpointProblem.Missing, $"checkpoint '{path}' does not exist");
        byte[] file;
        try
        {
            file = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException(path, CheckpointProblem.Missing, $"checkpoint '{path}' cannot be read: {e.Message}");
        }
        return new CheckpointReader(path, CheckpointFile.Parse(file, path));
    }

    /// <summary>Every name in <paramref name="required"/> must be present, and no name outside it and <paramref name="optional"/>.</summary>
    public void Expect(IReadOnlyCollection<string> required, IReadOnlyCollection<string> optional)
    {
        string? unknown = _sections.Keys.FirstOrDefault(n => !required.Contains(n) && !optional.Contains(n));
        if (unknown is not null)
        {
            throw new CheckpointException(Path, CheckpointProblem.UnknownSection,
                $"checkpoint '{Path}' has a section '{unknown}' that this version of the sample does not know (a newer version wrote it?); it knows {string.Join(", ", required.Concat(optional))}");
        }
        string? missing = required.FirstOrDefault(n => !_sections.ContainsKey(n));
        if (missing is not null)
            throw new CheckpointException(Path, CheckpointProblem.MissingSection, $"checkpoint '{Path}' lacks its '{missing}' section");
    }

    public bool Has(string name) => _sections.ContainsKey(name);

    /// <summary>
    /// Reads section <paramref name="name"/> with <paramref name="read"/>, which must read all of it; any failure to read it is a
    /// <see cref="CheckpointException"/> that names the section.
    /// </summary>
    public T Read<T>(string name, Func<BinaryReader, T> read)
    {
        if (!_sections.TryGetValue(name, out ArraySegment<byte> content))
            throw new CheckpointException(Path, CheckpointProblem.MissingSection, $"checkpoint '{Path}' lacks its '{name}' section");
        using var stream = new MemoryStream(content.Array!, content.Offset, content.Count, writable: false);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        T value;
        try
        {
            value = read(reader);
        }
        catch (Exception e) when (e is not TrainingException)
        {
            // TorchSharp reports a state that does not fit the model with whatever exception its reader hits.
            throw new CheckpointException(Path, CheckpointProblem.Corrupt, $"checkpoint '{Path}': its '{name}' section does not fit this sample: {FirstLine(e.Message)}");
        }
        if (stream.Position != stream.Length)
        {
            throw new CheckpointException(Path, CheckpointProblem.Corrupt,
                $"checkpoint '{Path}': its '{name}' section has {stream.Length - stream.Position:N0} bytes more than this sample reads");
        }
        return value;
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}

/// <summary>What is wrong with a checkpoint, or with saving one.</summary>
public enum CheckpointProblem
{
    Missing,
    NotACheckpoint,
    Truncated,
    Corrupt,
    OtherVersion,
    UnknownSection,
    MissingSection,
    NotFinite,
    ConflictingOptions,
    Unwritable,
}

/// <summary>A checkpoint that cannot be read, resumed or written; the message names the file and says what is wrong.</summary>
public sealed class CheckpointException(string path, CheckpointProblem problem, string message) : TrainingException(message)
{
    public string Path { get; } = path;
    public CheckpointProblem Problem { get; } = problem;
}
