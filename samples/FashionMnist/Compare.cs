using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using Sched.TorchSharp;
using Spectre.Console;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sched.Samples.FashionMnist;

/// <summary>The command line of <c>compare</c>: schedules, seeds, the target accuracy, and the shared training options.</summary>
public sealed record CompareOptions
{
    public const int DefaultSeeds = 3;
    public const double DefaultTarget = 0.90;

    public IReadOnlyList<string> Schedules { get; init; } = [];
    public int Seeds { get; init; } = DefaultSeeds;
    public double Target { get; init; } = DefaultTarget;
    /// <summary>Epochs (budget), batch size, first seed, data, limits, device, threads, --out.</summary>
    public TrainingOptions Training { get; init; } = new();

    public const string Usage = """
        dotnet run --project samples/FashionMnist -- compare SCHEDULE... [options]

        Trains the same CNN once per schedule and seed: for each seed the initial weights and the order of the batches are
        the same for every schedule. Every run gets the same budget (--epochs); a schedule shorter than the budget holds
        its last values, a longer one is cut off.

          SCHEDULE            a schedule class in Sched.Samples (FastaiOneCycle, FlatCos, ...) or a path to a .sched file,
                              optionally followed by :name=value,name=value to set its parameters (a class's double
                              parameters; a file's parameters as text, e.g. lr=0.03 or epochs=4ep). A file's 'epochs'
                              duration parameter and a class's 'epochs' are set to the budget unless given.
          --seeds N           seeds per schedule: --seed, --seed+1, ... (default 3)
          --epochs N          the epoch budget of every run (default 3)
          --target X          the accuracy whose first epoch the report gives (default 0.90)
          --out DIR           report.md, runs.csv, accuracy.png, schedules.png (default ./runs/compare-<timestamp>)
          --seed, --batch-size, --data, --embedded, --train-limit, --test-limit, --cpu, --threads: as for training
        """;

    public static CompareOptions Parse(IReadOnlyList<string> args)
    {
        var schedules = new List<string>();
        var rest = new List<string>();
        int seeds = DefaultSeeds;
        double target = DefaultTarget;
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
                case "--schedule" or "--lr-max" or "--save" or "--resume" or "--stop-after" or "--lr-find":
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
        TrainingOptions training = TrainingOptions.Parse(rest);
        if (!training.Help && schedules.Count == 0) throw new ArgumentException("compare needs at least one schedule");
        return new CompareOptions { Schedules = schedules, Seeds = seeds, Target = target, Training = training };
    }
}

/// <summary>One training run of a comparison.</summary>
public sealed record CompareRun(string Schedule, int Seed, string InitialWeightsHash, IReadOnlyList<EpochRecord> Epochs, IReadOnlyList<StepRecord> Steps, double Seconds);

/// <summary>One schedule's row of the report.</summary>
public sealed record CompareSummary(
    string Schedule, string Description, double FinalMean, double FinalStd, double BestAccuracy, int? FirstEpochAtTarget,
    IReadOnlyList<int?> FirstEpochAtTargetPerSeed, double SecondsPerRun);

public sealed record CompareResult(
    string OutputDirectory, string ReportPath, string CsvPath, string AccuracyPlotPath, string SchedulesPlotPath,
    IReadOnlyList<CompareRun> Runs, IReadOnlyList<CompareSummary> Summaries, int StepsPerEpoch, int Epochs, double TotalSeconds, string Device, string DataSource);

/// <summary><c>compare</c>: every schedule on every seed, then a table, a CSV and two plots.</summary>
public static class Compare
{
    public const string CsvHeader = "schedule,seed,epoch,train_loss,test_loss,accuracy,seconds";
    public const string TableHeader = "| schedule | final accuracy (mean ± std) | best accuracy | first epoch ≥ target (mean curve; per seed) | seconds per run |";

    /// <summary>A schedule to compare: its label, and how to lay it out for a number of steps per epoch and epochs.</summary>
    public sealed record Entry(string Label, string Description, Func<int, int, ISchedule> Create);

    public static CompareResult Run(CompareOptions options, IAnsiConsole console, CancellationToken cancel = default)
    {
        var clock = Stopwatch.StartNew();
        TrainingOptions training = options.Training;
        if (training.Threads > 0) torch.set_num_threads(training.Threads);
        Device device = Trainer.ChooseDevice(training);
        string deviceText = device.type == DeviceType.CUDA ? "CUDA" : $"CPU ({torch.get_num_threads()} threads)";
        int epochs = training.Epochs ?? TrainingOptions.DefaultEpochs;
        IReadOnlyList<Entry> entries = options.Schedules.Select(Resolve).ToArray();
        if (entries.Select(e => e.Label).Distinct().Count() != entries.Count)
            throw new TrainingException("two schedules have the same label; give them different parameters");

        FashionMnistData data = FashionMnistData.Load(training.DataDirectory, training.Embedded, training.TrainLimit, training.TestLimit);
        int stepsPerEpoch = (data.TrainCount + training.BatchSize - 1) / training.BatchSize;
        long totalSteps = (long)epochs * stepsPerEpoch;
        var schedules = entries.Select(e =>
        {
            try { return e.Create(stepsPerEpoch, epochs); }
            catch (ScheduleException ex) { throw new TrainingException($"schedule '{e.Label}': {ex.Message}"); }
        }).ToArray();

        string outputDirectory = training.OutputDirectory ?? Path.Combine("runs", "compare-" + DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(outputDirectory);
        int[] seeds = Enumerable.Range(training.Seed, options.Seeds).ToArray();
        int totalRuns = seeds.Length * entries.Count;

        console.MarkupLineInterpolated($"[bold]compare[/] · data: {data.Source} ({data.TrainCount:N0} train, {data.TestCount:N0} test images) · device: {deviceText}");
        console.MarkupLineInterpolated($"{entries.Count} schedules × {seeds.Length} seeds ({string.Join(", ", seeds)}) = {totalRuns} runs of {epochs} epochs × {stepsPerEpoch} steps (batch {training.BatchSize})");
        for (int i = 0; i < entries.Count; i++)
        {
            string length = Math.Abs(schedules[i].TotalSteps - totalSteps) < 1e-9 ? "" : $" [yellow](laid out for {schedules[i].TotalSteps / stepsPerEpoch:0.##} epochs; the budget is {epochs})[/]";
            console.MarkupLine($"  {Markup.Escape(entries[i].Label)}: {Markup.Escape(entries[i].Description)}{length}");
        }

        using Tensor trainX = Trainer.Images(data.TrainImages, data.TrainCount, device);
        using Tensor trainY = Trainer.Labels(data.TrainLabels, device);
        using Tensor testX = Trainer.Images(data.TestImages, data.TestCount, device);
        using Tensor testY = Trainer.Labels(data.TestLabels, device);

        var runs = new List<CompareRun>();
        long epochsDone = 0, totalEpochs = (long)totalRuns * epochs;
        foreach (int seed in seeds)
        {
            // The seed's initial weights, made once and copied into every schedule's model.
            torch.random.manual_seed(seed);
            using var initial = new Cnn();
            Tensor[] initialState = initial.parameters().Select(p => p.detach().clone()).ToArray();
            try
            {
                for (int i = 0; i < entries.Count; i++)
                {
                    cancel.ThrowIfCancellationRequested();
                    var runClock = Stopwatch.StartNew();
                    using var model = new Cnn();
                    using (no_grad())
                        foreach (var (p, source) in model.parameters().Zip(initialState)) p.copy_(source);
                    model.to(device);
                    string hash = Hash(model);
                    using SGD optimizer = optim.SGD(model.parameters(), 0.01, momentum: 0.9);
                    var driver = new ScheduleDriver(schedules[i], optimizer);
                    var group = optimizer.ParamGroups.First();
                    var steps = new List<StepRecord>();
                    var records = new List<EpochRecord>();
                    for (int epoch = 0; epoch < epochs; epoch++)
                    {
                        var epochClock = Stopwatch.StartNew();
                        long[] order = Trainer.Permutation(data.TrainCount, seed, epoch);
                        double lossSum = 0;
                        for (int batch = 0; batch < stepsPerEpoch; batch++)
                        {
                            int from = batch * training.BatchSize, count = Math.Min(training.BatchSize, data.TrainCount - from);
                            double lr = group.LearningRate;
                            double momentum = group is optim.IMomentum m ? m.Momentum : double.NaN;
                            double loss;
                            using (var scope = NewDisposeScope())
                            {
                                Tensor index = tensor(order.AsSpan(from, count).ToArray(), device: device);
                                Tensor x = trainX.index_select(0, index), y = trainY.index_select(0, index);
                                optimizer.zero_grad();
                                Tensor batchLoss = nn.functional.cross_entropy(model.forward(x), y);
                                batchLoss.backward();
                                optimizer.step();
                                loss = batchLoss.item<float>();
                            }
                            driver.Step();
                            steps.Add(new StepRecord((long)epoch * stepsPerEpoch + batch, lr, momentum, loss));
                            lossSum += loss;
                        }
                        var (testLoss, accuracy) = Trainer.Evaluate(model, testX, testY);
                        var row = new EpochRecord(epoch + 1, lossSum / stepsPerEpoch, testLoss, accuracy, epochClock.Elapsed.TotalSeconds);
                        records.Add(row);
                        epochsDone++;
                        double eta = clock.Elapsed.TotalSeconds / epochsDone * (totalEpochs - epochsDone);
                        console.MarkupLineInterpolated(
                            $"[[run {runs.Count + 1}/{totalRuns}]] {entries[i].Label} seed {seed} · epoch {epoch + 1}/{epochs} · train loss {row.TrainLoss:0.0000} · test loss {row.TestLoss:0.0000} · accuracy {row.Accuracy:P2} · {row.Seconds:0.0} s · ETA {TimeSpan.FromSeconds(eta):hh\\:mm\\:ss}");
                    }
                    runs.Add(new CompareRun(entries[i].Label, seed, hash, records, steps, runClock.Elapsed.TotalSeconds));
                }
            }
            finally
            {
                foreach (Tensor t in initialState) t.Dispose();
            }
        }

        var summaries = entries.Select(e => Summarize(e, runs.Where(r => r.Schedule == e.Label).ToArray(), options.Target)).ToArray();
        string report = Path.Combine(outputDirectory, "report.md"), csv = Path.Combine(outputDirectory, "runs.csv");
        string accuracyPng = Path.Combine(outputDirectory, "accuracy.png"), schedulesPng = Path.Combine(outputDirectory, "schedules.png");
        var result = new CompareResult(outputDirectory, report, csv, accuracyPng, schedulesPng, runs, summaries, stepsPerEpoch, epochs, clock.Elapsed.TotalSeconds, deviceText, data.Source);
        File.WriteAllText(csv, Csv(runs));
        File.WriteAllText(report, Report(result, options));
        ComparePlots.WriteAccuracy(accuracyPng, entries.Select(e => e.Label).ToArray(), runs, options.Target, epochs);
        ComparePlots.WriteSchedules(schedulesPng, entries.Select(e => e.Label).ToArray(), runs.GroupBy(r => r.Schedule).Select(g => g.First()).ToArray(), stepsPerEpoch);
        console.WriteLine();
        console.WriteLine(Table(summaries, options.Target));
        console.MarkupLineInterpolated($"[green]done[/]: {totalRuns} runs in {clock.Elapsed.TotalSeconds:0.0} s; wrote {report}, {csv}, {accuracyPng}, {schedulesPng}");
        return result;
    }

    /// <summary>NAME or PATH.sched, optionally followed by <c>:name=value,...</c>.</summary>
    public static Entry Resolve(string spec)
    {
        string target = spec;
        var set = new Dictionary<string, string>(StringComparer.Ordinal);
        int colon = spec.LastIndexOf(':');
        if (colon > 0 && spec[(colon + 1)..].Contains('='))
        {
            target = spec[..colon];
            foreach (string pair in spec[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                int eq = pair.IndexOf('=');
                if (eq <= 0) throw new TrainingException($"'{pair}' in '{spec}' is not name=value");
                set[pair[..eq].Trim()] = pair[(eq + 1)..].Trim();
            }
        }
        string setText = set.Count == 0 ? "" : $"({string.Join(", ", set.Select(kv => $"{kv.Key}={kv.Value}"))})";

        if (target.EndsWith(".sched", StringComparison.OrdinalIgnoreCase) || File.Exists(target))
        {
            if (!File.Exists(target)) throw new TrainingException($"schedule file '{target}' does not exist");
            ScheduleDefinition definition;
            try { definition = Schedule.Parse(File.ReadAllText(target), target); }
            catch (ScheduleException e) { throw new TrainingException($"schedule file '{target}': {e.Message}"); }
            foreach (string name in set.Keys)
                if (definition.Parameters.All(p => p.Name != name))
                    throw new TrainingException($"schedule '{definition.Name}' has no parameter '{name}'; it has {string.Join(", ", definition.Parameters.Select(p => p.Name))}");
            bool hasEpochs = definition.Parameters.Any(p => p.Name == "epochs" && p.IsDuration);
            string description = $"{target}: {string.Join(", ", definition.Parameters.Select(p => $"{p.Name} = {(set.TryGetValue(p.Name, out string? v) ? v : p.Name == "epochs" && p.IsDuration ? "(budget)" : p.DefaultText)}"))}";
            return new Entry(definition.Name + setText, description, (stepsPerEpoch, epochs) =>
            {
                var values = new Dictionary<string, string>(set);
                if (hasEpochs && !values.ContainsKey("epochs")) values["epochs"] = $"{epochs}ep";
                return definition.Create(stepsPerEpoch, values);
            });
        }

        Type type = ScheduleCatalog.Find(target);
        ConstructorInfo constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        ParameterInfo[] parameters = constructor.GetParameters();
        foreach (string name in set.Keys)
            if (!parameters.Any(p => p.Name == name && (p.ParameterType == typeof(double) || p.ParameterType == typeof(Duration))))
                throw new TrainingException($"schedule '{type.Name}' has no parameter '{name}' that compare can set");
        string classDescription = $"class {type.Name}: " + string.Join(", ", parameters.Where(p => p.Name != "stepsPerEpoch").Select(p =>
            $"{p.Name} = {(set.TryGetValue(p.Name!, out string? v) ? v : p.Name == "epochs" ? "(budget)" : Convert.ToString(p.DefaultValue, CultureInfo.InvariantCulture))}"));
        return new Entry(type.Name + setText, classDescription, (stepsPerEpoch, epochs) =>
        {
            var arguments = new object?[parameters.Length];
            for (int i = 0; i < parameters.Length; i++)
            {
                ParameterInfo p = parameters[i];
                if (p.Name == "stepsPerEpoch" && p.ParameterType == typeof(int)) arguments[i] = stepsPerEpoch;
                else if (set.TryGetValue(p.Name!, out string? text))
                    arguments[i] = p.ParameterType == typeof(double) ? ParseDouble(text, spec) : ParseEpochs(text, spec);
                else if (p.Name == "epochs" && (p.ParameterType == typeof(Duration) || p.ParameterType == typeof(Duration?))) arguments[i] = Duration.Epochs(epochs);
                else if (p.HasDefaultValue) arguments[i] = p.DefaultValue;
                else throw new TrainingException($"schedule '{type.Name}' needs a value for '{p.Name}'");
            }
            try { return (ISchedule)constructor.Invoke(arguments); }
            catch (TargetInvocationException e) when (e.InnerException is not null) { throw new TrainingException($"schedule '{type.Name}': {e.InnerException.Message}"); }
        });
    }

    private static double ParseDouble(string text, string spec) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : throw new TrainingException($"'{text}' in '{spec}' is not a number");

    private static Duration ParseEpochs(string text, string spec) =>
        text.EndsWith("ep", StringComparison.Ordinal) && int.TryParse(text[..^2], NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) && n > 0
            ? Duration.Epochs(n) : throw new TrainingException($"'{text}' in '{spec}' is not a number of epochs such as 5ep");

    /// <summary>SHA-256 of the model's parameters (their float bytes, in order), before training.</summary>
    public static string Hash(Cnn model)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (Parameter p in model.parameters())
        {
            using Tensor cpu = p.detach().cpu().contiguous();
            float[] values = cpu.data<float>().ToArray();
            sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
        }
        return Convert.ToHexString(sha.GetHashAndReset());
    }

    internal static CompareSummary Summarize(Entry entry, IReadOnlyList<CompareRun> runs, double target)
    {
        double[] finals = runs.Select(r => r.Epochs[^1].Accuracy).ToArray();
        double mean = finals.Average();
        double std = finals.Length > 1 ? Math.Sqrt(finals.Sum(a => (a - mean) * (a - mean)) / (finals.Length - 1)) : 0;
        int epochs = runs.Min(r => r.Epochs.Count);
        int? meanFirst = null;
        for (int e = 0; e < epochs && meanFirst is null; e++)
            if (runs.Average(r => r.Epochs[e].Accuracy) >= target) meanFirst = e + 1;
        int?[] perSeed = runs.Select(r => r.Epochs.FirstOrDefault(e => e.Accuracy >= target) is { Epoch: > 0 } hit ? hit.Epoch : (int?)null).ToArray();
        return new CompareSummary(entry.Label, entry.Description, mean, std, runs.Max(r => r.Epochs.Max(e => e.Accuracy)), meanFirst, perSeed, runs.Average(r => r.Seconds));
    }

    internal static string Csv(IEnumerable<CompareRun> runs)
    {
        var text = new System.Text.StringBuilder(CsvHeader).Append('\n');
        foreach (CompareRun run in runs)
            foreach (EpochRecord e in run.Epochs)
                text.Append(CultureInfo.InvariantCulture, $"{Quote(run.Schedule)},{run.Seed},{e.Epoch},{e.TrainLoss:R},{e.TestLoss:R},{e.Accuracy:R},{e.Seconds:0.###}\n");
        return text.ToString();
    }

    private static string Quote(string s) => s.Contains(',') || s.Contains('"') ? $"\"{s.Replace("\"", "\"\"")}\"" : s;

    public static string Table(IEnumerable<CompareSummary> summaries, double target)
    {
        var text = new System.Text.StringBuilder(TableHeader.Replace("target", target.ToString("P0", CultureInfo.InvariantCulture))).Append('\n');
        text.Append("|---|---|---|---|---|\n");
        foreach (CompareSummary s in summaries)
        {
            string first = (s.FirstEpochAtTarget?.ToString(CultureInfo.InvariantCulture) ?? "—") + " (" + string.Join(", ", s.FirstEpochAtTargetPerSeed.Select(e => e?.ToString(CultureInfo.InvariantCulture) ?? "—")) + ")";
            text.Append(CultureInfo.InvariantCulture, $"| {s.Schedule} | {s.FinalMean:P2} ± {s.FinalStd * 100:0.00} | {s.BestAccuracy:P2} | {first} | {s.SecondsPerRun:0.0} |\n");
        }
        return text.ToString();
    }

    private static string Report(CompareResult result, CompareOptions options)
    {
        var text = new System.Text.StringBuilder();
        text.Append("# Schedule comparison on Fashion-MNIST\n\n");
        text.Append(CultureInfo.InvariantCulture, $"- data: {result.DataSource}\n- device: {result.Device}\n");
        text.Append(CultureInfo.InvariantCulture, $"- budget: {result.Epochs} epochs × {result.StepsPerEpoch} steps (batch {options.Training.BatchSize}), SGD + momentum\n");
        text.Append(CultureInfo.InvariantCulture, $"- seeds: {string.Join(", ", result.Runs.Select(r => r.Seed).Distinct())} (per seed: the same initial weights and batch order for every schedule)\n");
        text.Append(CultureInfo.InvariantCulture, $"- total time: {result.TotalSeconds:0} s\n\n");
        text.Append("## Schedules\n\n");
        foreach (CompareSummary s in result.Summaries) text.Append(CultureInfo.InvariantCulture, $"- **{s.Schedule}**: {s.Description}\n");
        text.Append("\n## Results\n\n");
        text.Append("Final accuracy: test accuracy after the last epoch, mean ± sample standard deviation (percentage points) over the seeds. ");
        text.Append("Best accuracy: the highest test accuracy of any epoch of any seed. ");
        text.Append("First epoch: the first epoch at which the mean over seeds reaches the target, then each seed's (— never).\n\n");
        text.Append(Table(result.Summaries, options.Target));
        text.Append("\n![test accuracy per epoch](accuracy.png)\n\n![schedules](schedules.png)\n");
        return text.ToString();
    }
}
