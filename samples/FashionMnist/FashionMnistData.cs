using System.Buffers.Binary;
using System.IO.Compression;

namespace Sched.Samples.FashionMnist;

/// <summary>Fashion-MNIST images (28x28 bytes) and labels read from IDX files, gzipped or not.</summary>
public sealed class FashionMnistData
{
    public const string InstalledDirectory = "/usr/share/datasets/fashion-mnist";
    public const int Side = 28;

    public static readonly string[] ClassNames =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    private FashionMnistData(byte[] trainImages, byte[] trainLabels, byte[] testImages, byte[] testLabels, string source)
    {
        TrainImages = trainImages;
        TrainLabels = trainLabels;
        TestImages = testImages;
        TestLabels = testLabels;
        Source = source;
    }

    /// <summary>Row-major pixels, <see cref="Side"/>² per image.</summary>
    public byte[] TrainImages { get; }
    public byte[] TrainLabels { get; }
    public byte[] TestImages { get; }
    public byte[] TestLabels { get; }
    /// <summary>Where the data came from, in words.</summary>
    public string Source { get; }
    public int TrainCount => TrainLabels.Length;
    public int TestCount => TestLabels.Length;

    /// <summary><paramref name="directory"/> if given, else the installed full dataset when present, else the embedded subset.</summary>
    public static FashionMnistData Load(string? directory, bool embedded, int trainLimit, int testLimit)
    {
        FashionMnistData data;
        if (directory is not null) data = FromDirectory(directory, $"{directory}");
        else if (!embedded && File.Exists(Path.Combine(InstalledDirectory, "train-images-idx3-ubyte.gz"))) data = FromDirectory(InstalledDirectory, $"full dataset at {InstalledDirectory}");
        else data = FromEmbedded();
        return data.Take(trainLimit, testLimit);
    }

    public static FashionMnistData FromEmbedded()
    {
        byte[] Read(string name)
        {
            using Stream stream = typeof(FashionMnistData).Assembly.GetManifestResourceStream("FashionMnist.Data." + name + ".gz")
                ?? throw new TrainingException($"the embedded data set lacks {name}.gz");
            using var gzip = new GZipStream(stream, CompressionMode.Decompress);
            using var memory = new MemoryStream();
            gzip.CopyTo(memory);
            return memory.ToArray();
        }
        return Parse(Read, "embedded subset");
    }

    public static FashionMnistData FromDirectory(string directory, string source)
    {
        if (!Directory.Exists(directory)) throw new TrainingException($"data folder '{directory}' does not exist");
        byte[] Read(string name)
        {
            string plain = Path.Combine(directory, name), gz = plain + ".gz";
            if (File.Exists(plain)) return File.ReadAllBytes(plain);
            if (!File.Exists(gz)) throw new TrainingException($"'{directory}' has neither {name} nor {name}.gz");
            using var gzip = new GZipStream(File.OpenRead(gz), CompressionMode.Decompress);
            using var memory = new MemoryStream();
            gzip.CopyTo(memory);
            return memory.ToArray();
        }
        return Parse(Read, source);
    }

    private static FashionMnistData Parse(Func<string, byte[]> read, string source)
    {
        byte[] trainImages = Images(read("train-images-idx3-ubyte"), "train-images-idx3-ubyte");
        byte[] trainLabels = Labels(read("train-labels-idx1-ubyte"), "train-labels-idx1-ubyte");
        byte[] testImages = Images(read("t10k-images-idx3-ubyte"), "t10k-images-idx3-ubyte");
        byte[] testLabels = Labels(read("t10k-labels-idx1-ubyte"), "t10k-labels-idx1-ubyte");
        if (trainImages.Length != trainLabels.Length * Side * Side || testImages.Length != testLabels.Length * Side * Side)
            throw new TrainingException($"{source}: image and label counts differ");
        return new FashionMnistData(trainImages, trainLabels, testImages, testLabels, source);
    }

    private FashionMnistData Take(int trainLimit, int testLimit)
    {
        int train = trainLimit > 0 ? Math.Min(trainLimit, TrainCount) : TrainCount;
        int test = testLimit > 0 ? Math.Min(testLimit, TestCount) : TestCount;
        if (train == TrainCount && test == TestCount) return this;
        return new FashionMnistData(
            TrainImages[..(train * Side * Side)], TrainLabels[..train], TestImages[..(test * Side * Side)], TestLabels[..test],
            $"{Source}, limited by --train-limit/--test-limit");
    }

    private static byte[] Images(byte[] file, string name)
    {
        int count = Header(file, name, 0x803, 16);
        int rows = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(8)), cols = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(12));
        if (rows != Side || cols != Side) throw new TrainingException($"{name}: images are {rows}x{cols}, not {Side}x{Side}");
        if (file.Length < 16 + (long)count * Side * Side) throw new TrainingException($"{name}: truncated");
        return file[16..(16 + count * Side * Side)];
    }

    private static byte[] Labels(byte[] file, string name)
    {
        int count = Header(file, name, 0x801, 8);
        if (file.Length < 8 + count) throw new TrainingException($"{name}: truncated");
        byte[] labels = file[8..(8 + count)];
        if (labels.Any(l => l > 9)) throw new TrainingException($"{name}: a label outside 0-9");
        return labels;
    }

    private static int Header(byte[] file, string name, int magic, int headerLength)
    {
        if (file.Length < headerLength || BinaryPrimitives.ReadInt32BigEndian(file) != magic)
            throw new TrainingException($"{name}: not an IDX file of the expected kind (magic 0x{magic:x})");
        return BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(4));
    }
}

/// <summary>A failure to report in one line, without a stack trace.</summary>
public sealed class TrainingException(string message) : Exception(message);
