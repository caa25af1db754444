using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Sched.Samples.FashionMnist;
using TorchSharp;
using static TorchSharp.torch;

namespace Sched.Samples.Tests;

/// <summary>The checkpoint file format on its own: its bytes, and every way a damaged file is told apart.</summary>
public sealed class CheckpointFileTests : IDisposable
{
    private static readonly string[] Required = ["run", "model", "optimizer"];
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "sched-checkpoint-" + Guid.NewGuid().ToString("N"));

    public CheckpointFileTests() => Directory.CreateDirectory(_folder);

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void The_file_is_signature_version_length_sections_and_a_sha256_of_all_before_it()
    {
        string path = Save(("run", [1, 2, 3]), ("model", [4]));
        byte[] file = File.ReadAllBytes(path);

        byte[] expectedPayload =
        [
            3, (byte)'r', (byte)'u', (byte)'n', 3, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3,
            5, (byte)'m', (byte)'o', (byte)'d', (byte)'e', (byte)'l', 1, 0, 0, 0, 0, 0, 0, 0, 4,
        ];
        Assert.Equal(24 + expectedPayload.Length + 32, file.Length);
        Assert.Equal(new byte[] { 0x89, 0x53, 0x43, 0x48, 0x45, 0x44, 0x43, 0x4B, 0x50, 0x54, 0x0D, 0x0A }, file[..12]);
        Assert.Equal(2, BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(12)));
        Assert.Equal(expectedPayload.Length, BinaryPrimitives.ReadInt64LittleEndian(file.AsSpan(16)));
        Assert.Equal(expectedPayload, file[24..^32]);
        Assert.Equal(SHA256.HashData(file[..^32]), file[^32..]);

        CheckpointReader reader = CheckpointReader.Open(path);
        Assert.Equal(["run", "model"], reader.SectionNames);
        Assert.Equal(new byte[] { 1, 2, 3 }, reader.Read("run", r => r.ReadBytes(3)));
        Assert.Equal(new byte[] { 4 }, reader.Read("model", r => r.ReadBytes(1)));
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void Every_truncation_is_reported_as_truncated()
    {
        byte[] file = File.ReadAllBytes(Save(("run", Enumerable.Range(0, 40).Select(i => (byte)i).ToArray()), ("model", [9, 9])));
        string cut = Path.Combine(_folder, "cut.ckpt");
        for (int length = 0; length < file.Length; length++)
        {
            File.WriteAllBytes(cut, file[..length]);
            var e = Assert.Throws<CheckpointException>(() => CheckpointReader.Open(cut));
            Assert.True(e.Problem == CheckpointProblem.Truncated, $"cut to {length} bytes: {e.Problem}: {e.Message}");
            Assert.Contains($"'{cut}'", e.Message);
        }
    }

    [Fact]
    public void Every_changed_byte_is_caught()
    {
        byte[] file = File.ReadAllBytes(Save(("run", [1, 2, 3, 4, 5, 6, 7, 8]), ("model", [10, 20, 30])));
        string damaged = Path.Combine(_folder, "damaged.ckpt");
        var problems = new HashSet<CheckpointProblem>();
        for (int at = 0; at < file.Length; at++)
        {
            byte[] copy = (byte[])file.Clone();
            copy[at] ^= 0x40;
            File.WriteAllBytes(damaged, copy);
            var e = Assert.Throws<CheckpointException>(() => CheckpointReader.Open(damaged));
            problems.Add(e.Problem);
            if (at >= 24) Assert.True(e.Problem == CheckpointProblem.Corrupt, $"byte {at} changed: {e.Problem}: {e.Message}");
        }
        // The signature's bytes: not a checkpoint; the version's: another version; the length's: truncated or trailing bytes.
        Assert.Equal([CheckpointProblem.NotACheckpoint, CheckpointProblem.Truncated, CheckpointProblem.Corrupt, CheckpointProblem.OtherVersion], problems.Order());
    }

    [Fact]
    public void Other_files_are_named_for_what_they_are()
    {
        string random = Path.Combine(_folder, "random.bin");
        File.WriteAllBytes(random, Enumerable.Range(0, 5000).Select(i => (byte)(i * 7919 % 251)).ToArray());
        Assert.Equal(CheckpointProblem.NotACheckpoint, Assert.Throws<CheckpointException>(() => CheckpointReader.Open(random)).Problem);

        // What version 1 of the sample wrote: a .NET string header and no checksum.
        string old = Path.Combine(_folder, "old.ckpt");
        using (var writer = new BinaryWriter(File.Create(old)))
        {
            writer.Write("Sched.Samples.FashionMnist checkpoint");
            writer.Write(1);
        }
        var e = Assert.Throws<CheckpointException>(() => CheckpointReader.Open(old));
        Assert.Equal(CheckpointProblem.OtherVersion, e.Problem);
        Assert.Contains("format 1", e.Message);

        string empty = Path.Combine(_folder, "empty.ckpt");
        File.WriteAllBytes(empty, []);
        Assert.Equal(CheckpointProblem.Truncated, Assert.Throws<CheckpointException>(() => CheckpointReader.Open(empty)).Problem);
        Assert.Equal(CheckpointProblem.Missing, Assert.Throws<CheckpointException>(() => CheckpointReader.Open(Path.Combine(_folder, "none.ckpt"))).Problem);
        Assert.Equal(CheckpointProblem.Missing, Assert.Throws<CheckpointException>(() => CheckpointReader.Open(_folder)).Problem);
    }

    [Fact]
    public void Unknown_and_missing_sections_are_named()
    {
        CheckpointReader extra = CheckpointReader.Open(Save(("run", [1]), ("model", [2]), ("optimizer", [3]), ("averaged-model", [4])));
        var unknown = Assert.Throws<CheckpointException>(() => extra.Expect(Required, []));
        Assert.Equal(CheckpointProblem.UnknownSection, unknown.Problem);
        Assert.Contains("'averaged-model'", unknown.Message);
        extra.Expect(Required, ["averaged-model"]); // known as optional: fine

        CheckpointReader lacking = CheckpointReader.Open(Save(("run", [1]), ("model", [2])));
        var missing = Assert.Throws<CheckpointException>(() => lacking.Expect(Required, []));
        Assert.Equal(CheckpointProblem.MissingSection, missing.Problem);
        Assert.Contains("'optimizer'", missing.Message);
    }

    [Fact]
    public void A_section_must_be_read_whole_and_a_reader_failure_names_it()
    {
        CheckpointReader reader = CheckpointReader.Open(Save(("run", [1, 2, 3, 4])));
        var partly = Assert.Throws<CheckpointException>(() => reader.Read("run", r => r.ReadByte()));
        Assert.Contains("'run' section has 3 bytes more", partly.Message);
        var past = Assert.Throws<CheckpointException>(() => reader.Read("run", r => r.ReadInt64()));
        Assert.Equal(CheckpointProblem.Corrupt, past.Problem);
        Assert.Contains("'run' section does not fit", past.Message);
    }

    [Fact]
    public void Section_names_are_checked_when_added()
    {
        var writer = new CheckpointWriter().Add("run", _ => { });
        Assert.Throws<ArgumentException>(() => writer.Add("run", _ => { }));
        Assert.Throws<ArgumentException>(() => writer.Add("Model", _ => { }));
        Assert.Throws<ArgumentException>(() => writer.Add("", _ => { }));
    }

    [Fact]
    public void A_stale_temporary_is_removed_and_a_save_replaces_the_file_whole()
    {
        string path = Save(("run", [1]));
        File.WriteAllBytes(path + ".tmp", [0x89, 0x53]); // a save cut short
        Assert.True(CheckpointFile.RemoveStaleTemporary(path));
        Assert.False(File.Exists(path + ".tmp"));
        Assert.False(CheckpointFile.RemoveStaleTemporary(path));

        new CheckpointWriter().Add("run", w => w.Write((byte)2)).Save(path);
        Assert.Equal(new byte[] { 2 }, CheckpointReader.Open(path).Read("run", r => r.ReadBytes(1)));
    }

    [Fact]
    public void Weights_or_momentum_that_are_not_finite_are_not_saved()
    {
        string path = Save(("run", [7])); // what was there before must stay
        byte[] before = File.ReadAllBytes(path);
        torch.random.manual_seed(1);
        using var model = new Cnn();
        using var optimizer = optim.SGD(model.parameters(), 0.01, momentum: 0.9);
        Assert.Null(Checkpoint.FirstNonFinite(model, optimizer));

        using (no_grad()) model.parameters().Last()[3] = tensor(float.PositiveInfinity);
        var e = Assert.Throws<CheckpointException>(() => Checkpoint.Save(path, Run(), model, optimizer));
        Assert.Equal(CheckpointProblem.NotFinite, e.Problem);
        Assert.Contains("weight 'fc.bias'", e.Message);
        Assert.Equal(before, File.ReadAllBytes(path));

        // Finite weights, a NaN in SGD's momentum buffer.
        using (no_grad()) model.parameters().Last()[3] = tensor(0f);
        using (var input = zeros(2, 1, 28, 28))
        using (var output = model.forward(input))
        using (var loss = output.sum())
            loss.backward();
        optimizer.step();
        Assert.Null(Checkpoint.FirstNonFinite(model, optimizer));
        var buffer = optimizer.state_dict().State.OfType<global::TorchSharp.Modules.SGD.State>().First().momentum_buffer;
        using (no_grad()) buffer.view(-1)[0] = tensor(float.NaN);
        Assert.Equal("optimizer state 'momentum_buffer' of parameter 0", Checkpoint.FirstNonFinite(model, optimizer));
    }

    private static Checkpoint Run() => new()
    {
        Schedule = "FastaiOneCycle", BatchSize = 64, Seed = 1, TrainLimit = 0, TestLimit = 0, StepsPerEpoch = 5, Position = 0, Epoch = 0,
        Steps = [], EpochHistory = [],
    };

    private string Save(params (string Name, byte[] Content)[] sections)
    {
        string path = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".ckpt");
        var writer = new CheckpointWriter();
        foreach (var (name, content) in sections) writer.Add(name, w => w.Write(content));
        writer.Save(path);
        return path;
    }
}
