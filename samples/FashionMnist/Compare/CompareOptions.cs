using System.Globalization;

namespace Sched.Samples.FashionMnist;

/// <summary>The command line of <c>compare</c>: schedules, seeds, the target accuracy, and the shared training options.</summary>
public sealed record CompareOptions
{
    public const int DefaultSeeds = 3;
    public const double DefaultTarget = 0.90;

    public IReadOnlyList<string> Schedules { get; init; } = [];
    public int Seeds { get; init; } = DefaultSeeds;
    public double Target { get; init; } = DefaultTarget;
    /// <summary>Each run lasts as long as its schedule, instead of the --epochs budget.</summary>
    public bool OwnLength { get; init; }
    /// <summary>Epochs (budget), batch size, first seed, data, limits, device, threads, --out.</summary>
    public TrainingOptions Training { get; init; } = new();

    public const string Usage = """
        dotnet run --project samples/FashionMnist -- compare SCHEDULE... [options]

        Trains the same CNN once per schedule and seed: for each seed the initial weights and the order of the batches are
        the same for every schedule. Every run gets the same budget (--epochs); a schedule shorter than the budget holds
        its last values, a longer one is cut off (--own-length: each run lasts as long as its schedule). A schedule
        with a plateau phase is told the test loss as val_loss after each epoch.

          SCHEDULE            a schedule class in Sched.Samples (FastaiOneCycle, FlatCos, ...) or a path to a .sched file,
                              optionally followed by :name=value,name=value to set its parameters (a class's double
                              parameters; a file's parameters as text, e.g. lr=0.03 or epochs=4ep). A file's 'epochs'
                              duration parameter and a class's 'epochs' are set to the budget unless given; a class gets
                              the same defaults as in training (FastaiOneCycle: lr_max = 0.1).
          --seeds N           seeds per schedule: --seed, --seed+1, ... (default 3)
          --epochs N          the epoch budget of every run (default 3)
          --target X          the accuracy whose first epoch the report gives (default 0.90)
          --own-length        each run lasts as long as its schedule (whole epochs), not --epochs; --epochs still sets
                              the schedules' 'epochs' parameter: FastaiOneCycle:epochs=12ep against FastaiOneCycleSwa
          --swa               average the weights of every schedule with an swa track (FastaiOneCycleSwa) and report
                              the averaged model's accuracy beside the model's
          --ema               the same for every schedule with an ema track (FastaiOneCycleEma)
          --out DIR           report.md, runs.csv, accuracy.png, schedules.png (default ./runs/compare-<timestamp>)
          --seed, --batch-size, --data, --embedded, --train-limit, --test-limit, --cpu, --threads: as for training
        """;

    public static CompareOptions Parse(IReadOnlyList<string> args)
    {
        var schedules = new List<string>();
        var rest = new List<string>();
        int seeds = DefaultSeeds;
        double target = DefaultTarget;
        bool ownLength = false;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            string Value()
            {
                if (i + 1 >= args.Count) throw new ArgumentException($"{arg} needs a value");
                return args[++i];
            }
            switch (arg)
            {
                case "--seeds":
                    string s = Value();
                    if (!int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out seeds) || seeds < 1)
                        throw new ArgumentException($"--seeds needs an integer of at least 1, not '{s}'");
                    break;
                case "--target":
                    string t = Value();
                    if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out target) || !(target > 0 && target <= 1))
                        throw new ArgumentException($"--target needs an accuracy in (0, 1], not '{t}'");
                    break;
                case "--own-length":
                    ownLength = true;
                    break;
                case "--schedule" or "--lr-max" or "--save" or "--save-every" or "--resume" or "--stop-after" or "--lr-find":
                    throw new ArgumentException($"{arg} is not an option of compare");
                default:
                    if (!arg.StartsWith('-')) schedules.Add(arg);
                    else
                    {
                        rest.Add(arg);
                        // Options with a value: keep the value with them.
                        if (arg is "--epochs" or "--batch-size" or "--seed" or "--data" or "--train-limit" or "--test-limit" or "--out" or "--threads"
                            && i + 1 < args.Count) rest.Add(args[++i]);
                    }
                    break;
            }
        }
        TrainingOptions training = TrainingOptions.Parse(rest, compare: true);
        if (!training.Help && schedules.Count == 0) throw new ArgumentException("compare needs at least one schedule");
        return new CompareOptions { Schedules = schedules, Seeds = seeds, Target = target, OwnLength = ownLength, Training = training };
    }
}
