using System.Globalization;
using Sched.TorchSharp;

namespace Sched.Samples.FashionMnist;

/// <summary>The command line of the Fashion-MNIST sample.</summary>
public sealed record TrainingOptions
{
    public const string DefaultSchedule = "FastaiOneCycle";
    public const double DefaultLearningRateMax = 0.1;
    public const int DefaultEpochs = 3;

    public string Schedule { get; init; } = DefaultSchedule;
    /// <summary>The schedule's peak: its <c>lr_max</c>, <c>peak</c>, <c>max_lr</c> or <c>lr</c> parameter (whichever it has).</summary>
    public double? LearningRateMax { get; init; }
    public int? Epochs { get; init; }
    public int BatchSize { get; init; } = 64;
    public int Seed { get; init; } = 42;
    /// <summary>A folder of IDX files (gzipped or not); null: the installed full dataset, else the embedded subset.</summary>
    public string? DataDirectory { get; init; }
    /// <summary>Use the embedded subset even where the full dataset is installed.</summary>
    public bool Embedded { get; init; }
    /// <summary>Use only the first N training / test images (0: all).</summary>
    public int TrainLimit { get; init; }
    public int TestLimit { get; init; }
    public string? OutputDirectory { get; init; }
    public string? SavePath { get; init; }
    /// <summary>Also save every N optimizer steps (0: only at epoch ends and on Ctrl+C).</summary>
    public int SaveEvery { get; init; }
    public string? ResumePath { get; init; }
    /// <summary>Stop after this many epochs of this run (the schedule is still laid out for all of them); 0: run to the end.</summary>
    public int StopAfterEpochs { get; init; }
    public bool Cpu { get; init; }
    public int Threads { get; init; }
    public bool Plain { get; init; }
    /// <summary>Run the learning-rate range test instead of training, and print its suggestions.</summary>
    public bool LearningRateFind { get; init; }
    /// <summary>Stochastic weight averaging on the schedule's <c>swa</c> track.</summary>
    public bool Swa { get; init; }
    /// <summary>An exponential moving average of the weights on the schedule's <c>ema</c> track.</summary>
    public bool Ema { get; init; }
    /// <summary>The averaging of a training run: --swa, --ema or neither (compare takes both, each for the schedules with its track).</summary>
    public AveragingRule? Averaging => Swa ? AveragingRule.Swa : Ema ? AveragingRule.Ema : null;
    public bool Help { get; init; }
    /// <summary>The options written on the command line, by name (so that --resume can tell a given --seed 42 from the default).</summary>
    public IReadOnlySet<string> Given { get; init; } = new HashSet<string>();

    public const string Usage = """
        dotnet run --project samples/FashionMnist -- [options]

        Trains a small CNN on Fashion-MNIST with SGD + momentum driven by a generated Sched schedule.
        'dotnet run --project samples/FashionMnist -- compare SCHEDULE... [options]' compares schedules over seeds (compare --help).

          --schedule NAME     a schedule class in Sched.Samples (default FastaiOneCycle); one with a plateau phase
                              (WarmupPlateau) is told the test loss as val_loss after each epoch
          --epochs N          epochs, for schedules with an 'epochs' duration (default 3)
          --lr-max X          the schedule's peak learning rate (lr_max/peak/max_lr/lr; default 0.1 for FastaiOneCycle)
          --batch-size N      default 64
          --seed N            default 42
          --data DIR          IDX files (train-images-idx3-ubyte[.gz] ...); default /usr/share/datasets/fashion-mnist
                              when present, else the embedded 10,000 + 2,000 image subset
          --embedded          use the embedded subset even when the full dataset is installed
          --train-limit N     use only the first N training images
          --test-limit N      use only the first N test images
          --out DIR           output folder for steps.csv and steps.png (default ./runs/<timestamp>)
          --save FILE         write a checkpoint (model, optimizer, schedule position, counters) after every epoch and on Ctrl+C
          --save-every N      with --save, also write it every N steps
          --resume FILE       continue the run stored in FILE with its settings (schedule, epochs, lr-max, batch size, seed,
                              data, limits); giving one of those with a different value is an error. --out, --save,
                              --save-every, --stop-after, --cpu, --threads and --plain apply to the resumed run
          --stop-after N      stop after N epochs of this run (for a later --resume)
          --cpu               do not use CUDA even when it is available
          --threads N         CPU threads for TorchSharp (default: TorchSharp's)
          --plain             no live progress display, plain lines
          --swa               stochastic weight averaging where the schedule's swa track says; without --schedule,
                              FastaiOneCycleSwa: 1cycle for --epochs, then lr 0.01 for 2 epochs, each of whose ends joins
                              the average. Prints when averaging starts and the averaged model's accuracy each epoch
          --ema               an exponential moving average of the weights, decayed as the schedule's ema track says;
                              without --schedule, FastaiOneCycleEma (1cycle, timm's EMA warm-up to 0.999)
          --lr-find           run the learning-rate range test (fastai's lr_find) instead of training: prints the
                              suggested --lr-max and writes lr-find.png to --out
        """;

    public static TrainingOptions Parse(IReadOnlyList<string> args) => Parse(args, compare: false);

    /// <param name="compare">For compare, which takes --swa and --ema together and chooses no schedule by them.</param>
    internal static TrainingOptions Parse(IReadOnlyList<string> args, bool compare)
    {
        var options = new TrainingOptions();
        var given = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            given.Add(arg == "-h" ? "--help" : arg);
            string Value()
            {
                if (i + 1 >= args.Count) throw new ArgumentException($"{arg} needs a value");
                return args[++i];
            }
            int Int(int min)
            {
                string text = Value();
                if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < min)
                    throw new ArgumentException($"{arg} needs an integer of at least {min}, not '{text}'");
                return value;
            }
            options = arg switch
            {
                "--schedule" => options with { Schedule = Value() },
                "--epochs" => options with { Epochs = Int(1) },
                "--lr-max" => options with { LearningRateMax = Double(arg, Value()) },
                "--batch-size" => options with { BatchSize = Int(1) },
                "--seed" => options with { Seed = Int(0) },
                "--data" => options with { DataDirectory = Value() },
                "--embedded" => options with { Embedded = true },
                "--train-limit" => options with { TrainLimit = Int(1) },
                "--test-limit" => options with { TestLimit = Int(1) },
                "--out" => options with { OutputDirectory = Value() },
                "--save" => options with { SavePath = Value() },
                "--save-every" => options with { SaveEvery = Int(1) },
                "--resume" => options with { ResumePath = Value() },
                "--stop-after" => options with { StopAfterEpochs = Int(1) },
                "--cpu" => options with { Cpu = true },
                "--threads" => options with { Threads = Int(1) },
                "--plain" => options with { Plain = true },
                "--lr-find" => options with { LearningRateFind = true },
                "--swa" => options with { Swa = true },
                "--ema" => options with { Ema = true },
                "-h" or "--help" => options with { Help = true },
                _ => throw new ArgumentException($"unknown option '{arg}'"),
            };
        }
        if (options.SaveEvery > 0 && options.SavePath is null) throw new ArgumentException("--save-every needs --save FILE");
        if (!compare && options.Swa && options.Ema) throw new ArgumentException("--swa and --ema: a run keeps one average; give one of them");
        if (!compare && options.Averaging is { } rule && !given.Contains("--schedule")) options = options with { Schedule = AveragingHook.DefaultSchedule(rule) };
        return options with { Given = given };
    }

    private static double Double(string option, string text)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !(value > 0) || double.IsInfinity(value))
            throw new ArgumentException($"{option} needs a positive number, not '{text}'");
        return value;
    }
}
