using Sched;
using Sched.TorchSharp;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sched.TorchSharp.Tests;

/// <summary>
/// The code on docs/averaging.md, run: every <c>csharp</c> block there is a region of this file (between <c>// docs: begin</c> and
/// <c>// docs: end</c>), or a list of using directives this file starts with.
/// </summary>
public class AveragingDocsTests
{
    /// <summary>The page's model: linear, BatchNorm, ReLU, linear.</summary>
    private sealed class Net : nn.Module<Tensor, Tensor>
    {
        private readonly Sequential _layers = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 3));

        public Net() : base(nameof(Net)) => RegisterComponents();

        public override Tensor forward(Tensor input) => _layers.forward(input);
    }

    private static List<(Tensor x, Tensor y)> Batches()
    {
        var generator = new Generator(7);
        return Enumerable.Range(0, 2)
            .Select(_ => (rand(new long[] { 8, 4 }, generator: generator), randint(3, new long[] { 8 }, generator: generator)))
            .ToList();
    }

    [Fact]
    public void The_swa_loop_runs()
    {
        var batches = Batches();
        // docs: begin
        ISchedule schedule = Schedule.Parse("""
            schedule SwaRecipe over 30ep {
                lr  = cos(0.1 -> 0.01, 20ep) + swalr(0.01, 0.05, 5ep)
                swa = swa_from(21ep)
            }
            """).Create(stepsPerEpoch: batches.Count);
        using var model = new Net();
        using var swaModel = new Net();                           // a second instance holds the average
        using var optimizer = optim.SGD(model.parameters(), 0.1, momentum: 0.9);
        var driver = new ScheduleDriver(schedule, optimizer);
        using var swa = new ModelAverager(model, swaModel, schedule, AveragingRule.Swa);
        for (long step = 0; step < schedule.StepCount(); step++)
        {
            var (x, y) = batches[(int)(step % batches.Count)];
            using (NewDisposeScope())
            {
                optimizer.zero_grad();
                nn.functional.cross_entropy(model.forward(x), y).backward();
                optimizer.step();
            }
            driver.Step();
            swa.Step();                                           // averages after the last step of epochs 21 to 29 (0-based)
        }
        BatchNormUpdate.Run(swaModel, batches.Select(b => b.x));  // statistics for the averaged weights
        swaModel.eval();                                          // evaluate, save or export swaModel
        // docs: end

        Assert.Equal(9, swa.UpdateCount);
        Assert.Equal(60, swa.Position);
        Assert.False(swaModel.training);
        var bn = swaModel.modules().OfType<BatchNorm1d>().Single();
        Assert.Equal(batches.Count, bn.num_batches_tracked!.item<long>()); // one pass over the batches, after the reset
    }

    [Fact]
    public void The_ema_variant_runs()
    {
        var batches = Batches();
        using var model = new Net();
        using var optimizer = optim.SGD(model.parameters(), 0.1, momentum: 0.9);
        // docs: begin
        ISchedule schedule = Schedule.Parse("""
            schedule EmaRecipe over 30ep {
                lr  = warmup_cos(0.1, 1ep)
                ema = timm_ema_warmup(0.999)
            }
            """).Create(stepsPerEpoch: batches.Count);
        using var emaModel = new Net();
        using var ema = new ModelAverager(model, emaModel, schedule, AveragingRule.Ema);  // buffers averaged too, as timm does
        // docs: end
        var driver = new ScheduleDriver(schedule, optimizer);
        for (long step = 0; step < schedule.StepCount(); step++)
        {
            var (x, y) = batches[(int)(step % batches.Count)];
            using (NewDisposeScope())
            {
                optimizer.zero_grad();
                nn.functional.cross_entropy(model.forward(x), y).backward();
                optimizer.step();
            }
            driver.Step();
            ema.Step();
        }
        Assert.True(ema.AverageBuffers);
        Assert.Equal(60, ema.UpdateCount);
    }

    [Fact]
    public void Every_code_block_on_the_page_is_tested_here()
    {
        string root = FindRoot();
        string source = File.ReadAllText(Path.Combine(root, "tests/Sched.TorchSharp.Tests/AveragingDocsTests.cs")).Replace("\r\n", "\n");
        string page = File.ReadAllText(Path.Combine(root, "docs/averaging.md")).Replace("\r\n", "\n");
        var regions = source.Split("// docs: begin\n").Skip(1).Select(part => Dedent(part[..part.IndexOf("        // docs: end", StringComparison.Ordinal)])).ToList();
        var blocks = page.Split("```csharp\n").Skip(1).Select(part => part[..part.IndexOf("```", StringComparison.Ordinal)]).ToList();
        Assert.True(blocks.Count >= 3, "the page shows the usings, the SWA loop and the EMA variant");
        foreach (string block in blocks)
        {
            var lines = block.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (lines.All(l => l.StartsWith("using ", StringComparison.Ordinal)))
                Assert.All(lines, l => Assert.Contains("\n" + l + "\n", "\n" + source));
            else
                Assert.Contains(block, regions);
        }
        Assert.Contains("(docs/averaging.md)", File.ReadAllText(Path.Combine(root, "README.md")));
    }

    private static string Dedent(string region)
    {
        var lines = region.Split('\n');
        int indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        return string.Join("\n", lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Dsl.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("run the tests inside the repository");
    }
}
