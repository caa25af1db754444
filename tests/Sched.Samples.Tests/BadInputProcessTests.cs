using System.IO.Compression;
using Sched.Samples.FashionMnist;
using TorchSharp;
using static Sched.Samples.Tests.TestSupport;
using static TorchSharp.torch;

namespace Sched.Samples.Tests;

/// <summary>A good checkpoint (5 of 10 steps of the tiny run), saved once for the process tests to damage.</summary>
public sealed class SavedRun : IDisposable
{
    public SavedRun()
    {
        Trainer.Run(TrainingOptions.Parse([.. Tiny, "--epochs", "2", "--stop-after", "1", "--save", Checkpoint, "--out", Path.Combine(Folder, "first")]),
            Console(new StringWriter()));
    }

    public string Folder { get; } = Directory.CreateTempSubdirectory("sched-bad-input-").FullName;
    public string Checkpoint => Path.Combine(Folder, "run.ckpt");

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}

/// <summary>
/// The reproductions of the sample's crashes and silent failures, run as a process: each must end with exit code 1 and one error
/// line that names the file and what is wrong, never a stack trace.
/// </summary>
public sealed class BadInputProcessTests(SavedRun saved) : IClassFixture<SavedRun>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("sched-bad-input-case-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public void A_checkpoint_cut_in_half_is_truncated()
    {
        byte[] good = File.ReadAllBytes(saved.Checkpoint);
        File.WriteAllBytes(Path.Combine(_folder, "half.ckpt"), good[..(good.Length / 2)]);
        AssertCleanError(RunSample(_folder, ["--resume", "half.ckpt", .. Honoured]),
            "checkpoint 'half.ckpt' is truncated", $"it has {good.Length / 2:N0} bytes, its header says {good.Length:N0}");
    }

    [Fact]
    public void A_checkpoint_whose_tail_is_random_is_corrupt()
    {
        byte[] file = File.ReadAllBytes(saved.Checkpoint);
        new Random(15).NextBytes(file.AsSpan(file.Length / 2));
        File.WriteAllBytes(Path.Combine(_folder, "tail.ckpt"), file);
        AssertCleanError(RunSample(_folder, ["--resume", "tail.ckpt", .. Honoured]),
            "checkpoint 'tail.ckpt' is corrupt", "do not match their SHA-256 checksum");
    }

    [Fact]
    public void A_random_file_is_not_a_checkpoint()
    {
        var bytes = new byte[5000];
        new Random(16).NextBytes(bytes);
        File.WriteAllBytes(Path.Combine(_folder, "random.ckpt"), bytes);
        AssertCleanError(RunSample(_folder, ["--resume", "random.ckpt", .. Honoured]), "'random.ckpt' is not a checkpoint of this sample");
    }

    [Fact]
    public void A_checkpoint_with_a_nan_weight_is_refused()
    {
        // A checkpoint that is whole (its checksum matches) but holds a NaN: written with the format's own writer.
        CheckpointReader good = CheckpointReader.Open(saved.Checkpoint);
        byte[] run = good.Read(Checkpoint.RunSection, r => r.ReadBytes((int)r.BaseStream.Length));
        byte[] optimizerState = good.Read(Checkpoint.OptimizerSection, r => r.ReadBytes((int)r.BaseStream.Length));
        using var model = new Cnn();
        good.Read(Checkpoint.ModelSection, r => model.load(r));
        using (no_grad()) model.parameters().First().view(-1)[7] = tensor(float.NaN);
        string path = Path.Combine(_folder, "nan.ckpt");
        new CheckpointWriter()
            .Add(Checkpoint.RunSection, w => w.Write(run))
            .Add(Checkpoint.ModelSection, w => model.save(w))
            .Add(Checkpoint.OptimizerSection, w => w.Write(optimizerState))
            .Save(path);

        AssertCleanError(RunSample(_folder, ["--resume", "nan.ckpt", .. Honoured]),
            "checkpoint 'nan.ckpt' holds a weight 'conv1.weight' that is not finite", "the run it saved had diverged");
    }

    [Fact]
    public void Options_that_differ_from_the_checkpoint_are_named()
    {
        File.Copy(saved.Checkpoint, Path.Combine(_folder, "run.ckpt"));
        AssertCleanError(RunSample(_folder, ["--resume", "run.ckpt", "--schedule", "Nope", "--batch-size", "32", "--seed", "42", .. Honoured]),
            "--schedule Nope (the checkpoint's: FastaiOneCycle); --batch-size 32 (the checkpoint's: 64).");
    }

    [Fact]
    public void A_corrupt_gz_in_the_data_folder_is_named()
    {
        string data = DataFolder();
        File.WriteAllBytes(Path.Combine(data, "train-images-idx3-ubyte.gz"), [0x1f, 0x8b, 0x08, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        AssertCleanError(RunSample(_folder, ["--data", "data", .. Honoured]), $"'{Path.Combine("data", "train-images-idx3-ubyte.gz")}' is not a valid gzip file");
    }

    [Fact]
    public void A_file_given_as_the_data_folder_is_called_a_file()
    {
        File.WriteAllText(Path.Combine(_folder, "good.sched"), "schedule S over 1ep { lr = 0.1 }");
        AssertCleanError(RunSample(_folder, ["--data", "good.sched", .. Honoured]), "--data takes a folder holding", "'good.sched' is a file");
    }

    [Fact]
    public void A_wrong_idx_magic_number_reports_the_one_read()
    {
        string data = DataFolder();
        string labels = Path.Combine(data, "t10k-labels-idx1-ubyte.gz");
        byte[] content = Gunzip(labels);
        content[3] = 0x03; // 0x00000801 (labels) becomes 0x00000803 (images)
        File.Delete(labels);
        File.WriteAllBytes(Path.Combine(data, "t10k-labels-idx1-ubyte"), content);
        AssertCleanError(RunSample(_folder, ["--data", "data", .. Honoured]),
            "is not an IDX file of labels: expected magic number 0x00000801, found 0x00000803");
    }

    [Fact]
    public void A_diverging_run_stops_with_an_error_and_saves_no_nan()
    {
        var run = RunSample(_folder, [.. Tiny, "--lr-max", "1000", "--epochs", "2", "--save", "diverged.ckpt", "--out", "out"]);
        AssertCleanError(run, "training diverged", "Lower --lr-max");
        Assert.Contains("diverged at step", run.Output);
        Assert.False(File.Exists(Path.Combine(_folder, "diverged.ckpt"))); // it diverged in epoch 1, before any save
    }

    /// <summary>A copy of the embedded data's four .gz files in ./data.</summary>
    private string DataFolder()
    {
        string data = Path.Combine(_folder, "data");
        Directory.CreateDirectory(data);
        foreach (string file in Directory.GetFiles(Path.Combine(SampleFolder(), "Data"), "*.gz")) File.Copy(file, Path.Combine(data, Path.GetFileName(file)));
        return data;
    }

    private static byte[] Gunzip(string path)
    {
        using var gzip = new GZipStream(File.OpenRead(path), CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        return memory.ToArray();
    }
}
