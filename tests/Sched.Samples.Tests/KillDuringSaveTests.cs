using System.Diagnostics;
using System.Text.RegularExpressions;
using Sched.Samples.FashionMnist;
using Sched.TorchSharp;
using TorchSharp;
using Xunit.Abstractions;
using static Sched.Samples.Tests.TestSupport;

namespace Sched.Samples.Tests;

/// <summary>
/// The fault test: the sample trains with an EMA of its weights (--ema: every checkpoint also holds the averaged model), saves after
/// every step and is killed with SIGKILL at random moments (seeded), 20 times; after each kill the checkpoint on disk loads whole (model,
/// optimizer and averaged model too), holds at least the step the previous one did, and the next run resumes from it, removing the
/// temporary a kill inside a save left behind.
/// </summary>
public sealed partial class KillDuringSaveTests(ITestOutputHelper output) : IDisposable
{
    private const int Kills = 20, StepsPerEpoch = 5;
    // Each save pauses 100 ms halfway through writing its temporary: most of a run's time is then spent inside saves.
    private static readonly Dictionary<string, string> SlowSaves = new() { [CheckpointWriter.PauseVariable] = "100" };
    private readonly string _folder = Directory.CreateTempSubdirectory("sched-kill-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task Killed_while_saving_the_previous_checkpoint_always_loads()
    {
        var random = new Random(20240615);
        string checkpoint = Path.Combine(_folder, "run.ckpt");
        long saved = -1;
        int staleTemporaries = 0;
        for (int kill = 0; kill < Kills; kill++)
        {
            // 200 epochs of 5 steps: far more than the kills leave time for, so no run ends by itself. A resumed run repeats the
            // checkpoint's settings, which it accepts because they are equal.
            string[] args = [.. Tiny, "--test-limit", "20", "--ema", "--epochs", "200", "--save", "run.ckpt", "--save-every", "1", "--out", "out"];
            if (saved >= 0) args = [.. args, "--resume", "run.ckpt"];
            bool stale = File.Exists(checkpoint + ".tmp");
            using Process process = StartSample(_folder, SlowSaves, args);
            var lines = new List<string>();
            var stepped = new TaskCompletionSource();
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                lock (lines) lines.Add(e.Data);
                if (e.Data.StartsWith("epoch ", StringComparison.Ordinal)) stepped.TrySetResult();
            };
            process.BeginOutputReadLine();
            Task exited = process.WaitForExitAsync();
            // Wait for the first step, then kill at a random moment over the next few saves.
            bool trained = await Task.WhenAny(stepped.Task, exited, Task.Delay(TimeSpan.FromSeconds(60))) == stepped.Task;
            string text;
            if (!trained)
            {
                if (!process.HasExited) process.Kill();
                await process.WaitForExitAsync();
                lock (lines) text = string.Join('\n', lines);
                Assert.Fail($"run {kill} trained no step; exit code {process.ExitCode}:\n{text}\n{await process.StandardError.ReadToEndAsync()}");
            }
            await Task.Delay(random.Next(0, 250));
            process.Kill(); // SIGKILL
            await process.WaitForExitAsync();
            lock (lines) text = string.Join('\n', lines);

            if (saved >= 0)
            {
                Match resumed = ResumedAt().Match(text);
                Assert.True(resumed.Success, $"run {kill} did not resume:\n{text}");
                Assert.Equal(saved, long.Parse(resumed.Groups[1].Value.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture));
            }
            if (stale) Assert.Contains("removed run.ckpt.tmp, left by a checkpoint save that was cut short", text);
            if (File.Exists(checkpoint + ".tmp")) staleTemporaries++;

            Checkpoint loaded = Checkpoint.Load(checkpoint);
            using (var model = new Cnn())
            using (var averaged = new Cnn())
            using (var optimizer = torch.optim.SGD(model.parameters(), 0.01, momentum: 0.9))
            {
                loaded.Restore(model, optimizer);
                using var averager = new ModelAverager(model, averaged, new FastaiOneCycleEma(StepsPerEpoch, epochs: Duration.Epochs(200)), AveragingRule.Ema);
                loaded.RestoreAveraging(averager);
                Assert.Equal(loaded.Position, averager.UpdateCount); // EMA updates after every step
            }
            Assert.True(loaded.Position >= saved, $"kill {kill}: the checkpoint went back from step {saved} to {loaded.Position}");
            Assert.Equal(loaded.Position, loaded.Steps.Count);
            saved = loaded.Position;
        }
        output.WriteLine($"{Kills} kills; the checkpoint reached step {saved}; {staleTemporaries} kills landed inside a save (a temporary left behind)");
        Assert.True(saved > 0);
        Assert.True(staleTemporaries > 0, "no kill landed inside a save");
    }

    [GeneratedRegex(@"resumed from run\.ckpt at step ([\d,]+)")]
    private static partial Regex ResumedAt();
}
