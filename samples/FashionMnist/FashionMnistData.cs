using System.Buffers.Binary;
using System.IO.Compression;

namespace Sched.Samples.FashionMnist;

/// <summary>Fashion-MNIST images (28x28 bytes) and labels read from IDX files, gzipped or not.</summary>
public sealed class FashionMnistData
{
    public const string InstalledDirectory = "/usr/share/datasets/fashion-mnist";
    public const int Side = 28;
    private const int ImagesMagic = 0x803, LabelsMagic = 0x801; // IDX: unsigned bytes, 3 and 1 dimensions

    public static readonly string[] FileNames = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"];

    public static readonly string[] ClassNames =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    private FashionMnistData(byte[] trainImages, byte[] trainLabels, byte[] testImages, byte[] testLabels, string source, string? directory)
    {
        TrainImages = trainImages;
        TrainLabels = trainLabels;
        TestImages = testImages;
        TestLabels = testLabels;
        Source = source;
        Directory = directory;
    }

    /// <summary>Row-major pixels, <see cref="Side"/>² per image.</summary>
    public byte[] TrainImages { get; }
    public byte[] TrainLabels { get; }
    public byte[] TestImages { get; }
    public byte[] TestLabels { get; }
    /// <summary>Where the data came from, in words.</summary>
    public string Source { get; }
    /// <summary>The folder the files were read from, in full; null for the embedded subset.</summary>
    public string? Directory { get; }
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
        (byte[], string) Read(string name)
        {
            using Stream stream = typeof(FashionMnistData).Assembly.GetManifestResourceStream("FashionMnist.Data." + name + ".gz")
                ?? throw new TrainingException($"the embedded data set lacks {name}.gz");
            return (Gunzip(stream, $"embedded {name}.gz"), $"embedded {name}.gz");
        }
        return Parse(Read, "embedded subset", directory: null);
    }

    public static FashionMnistData FromDirectory(string directory, string source)
    {
        if (File.Exists(directory))
        {
            throw new TrainingException(
                $"--data takes a folder holding {string.Join(", ", FileNames)} (each may end in .gz); '{directory}' is a file");
        }
        if (!System.IO.Directory.Exists(directory)) throw new TrainingException($"data folder '{directory}' does not exist");
        (byte[], string) Read(string name)
        {
            string plain = Path.Combine(directory, name), gz = plain + ".gz";
            try
            {
                if (File.Exists(plain)) return (File.ReadAllBytes(plain), plain);
                if (!File.Exists(gz)) throw new TrainingException($"data folder '{directory}' has neither {name} nor {name}.gz");
                using var file = File.OpenRead(gz);
                return (Gunzip(file, gz), gz);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new TrainingException($"'{(File.Exists(plain) ? plain : gz)}' cannot be read: {e.Message}");
            }
        }
        return Parse(Read, source, Path.GetFullPath(directory));
    }

    private static byte[] Gunzip(Stream compressed, string file)
    {
        try
        {
            using var gzip = new GZipStream(compressed, CompressionMode.Decompress);
            using var memory = new MemoryStream();
            gzip.CopyTo(memory);
            return memory.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new TrainingException($"'{file}' is not a valid gzip file ({e.Message.TrimEnd('.')}); expected a gzipped IDX file, as the official Fashion-MNIST downloads");
        }
    }

    private static FashionMnistData Parse(Func<string, (byte[] Bytes, string File)> read, string source, string? directory)
    {
        byte[] trainImages = Images(read(FileNames[0]));
        byte[] trainLabels = Labels(read(FileNames[1]));
        byte[] testImages = Images(read(FileNames[2]));
        byte[] testLabels = Labels(read(FileNames[3]));
        CheckCounts(trainImages, trainLabels, "train-images-idx3-ubyte", "train-labels-idx1-ubyte", source);
        CheckCounts(testImages, testLabels, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", source);
        return new FashionMnistData(trainImages, trainLabels, testImages, testLabels, source, directory);
    }

    private static void CheckCounts(byte[] images, byte[] labels, string imagesName, string labelsName, string source)
    {
        long imageCount = images.Length / (Side * Side);
        if (imageCount != labels.Length)
            throw new TrainingException($"{source}: {imagesName} has {imageCount:N0} images but {labelsName} has {labels.Length:N0} labels; expected one label per image");
        if (imageCount == 0) throw new TrainingException($"{source}: {imagesName} has no images");
    }

    private FashionMnistData Take(int trainLimit, int testLimit)
    {
        int train = trainLimit > 0 ? Math.Min(trainLimit, TrainCount) : TrainCount;
        int test = testLimit > 0 ? Math.Min(testLimit, TestCount) : TestCount;
        if (train == TrainCount && test == TestCount) return this;
        return new FashionMnistData(
            TrainImages[..(train * Side * Side)], TrainLabels[..train], TestImages[..(test * Side * Side)], TestLabels[..test],
            $"{Source}, limited by --train-limit/--test-limit", Directory);
    }

    private static byte[] Images((byte[] Bytes, string File) input)
    {
        var (file, name) = input;
        int count = Header(file, name, ImagesMagic, 16, "images");
        int rows = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(8)), cols = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(12));
        if (rows != Side || cols != Side) throw new TrainingException($"'{name}': expected {Side}x{Side} images, found {rows}x{cols}");
        CheckLength(file, name, 16 + (long)count * Side * Side, $"{count:N0} images of {Side}x{Side}");
        return file[16..];
    }

    private static byte[] Labels((byte[] Bytes, string File) input)
    {
        var (file, name) = input;
        int count = Header(file, name, LabelsMagic, 8, "labels");
        CheckLength(file, name, 8L + count, $"{count:N0} labels");
        byte[] labels = file[8..];
        int bad = Array.FindIndex(labels, l => l > 9);
        if (bad >= 0) throw new TrainingException($"'{name}': label {bad:N0} is {labels[bad]}; expected a class from 0 to 9");
        return labels;
    }

    private static int Header(byte[] file, string name, int magic, int headerLength, string what)
    {
        if (file.Length < 4) throw new TrainingException($"'{name}' has {file.Length} bytes; expected an IDX file of {what} (a {headerLength}-byte header first)");
        int found = BinaryPrimitives.ReadInt32BigEndian(file);
        if (found != magic)
        {
            string hint = file[0] == 0x1f && file[1] == 0x8b ? ": it is gzipped, so its name must end in .gz" : "";
            throw new TrainingException($"'{name}' is not an IDX file of {what}: expected magic number 0x{magic:x8}, found 0x{found:x8}{hint}");
        }
        if (file.Length < headerLength)
            throw new TrainingException($"'{name}' is truncated: expected a {headerLength}-byte header, found {file.Length} bytes");
        int count = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(4));
        if (count < 0) throw new TrainingException($"'{name}': its header gives {count} {what}; expected a count of 0 or more");
        return count;
    }

    private static void CheckLength(byte[] file, string name, long expected, string what)
    {
        if (file.Length < expected)
            throw new TrainingException($"'{name}' is truncated: its header promises {what} ({expected:N0} bytes), found {file.Length:N0} bytes");
        if (file.Length > expected)
            throw new TrainingException($"'{name}' has {file.Length - expected:N0} bytes after the {what} its header promises ({expected:N0} bytes); expected nothing after them");
    }
}
