using System.Globalization;

namespace Sched.Cli.Tests;

/// <summary>eval and plot check every value as the optimizer driver does, and replay a run's metrics into plateau phases.</summary>
public sealed class ValuesAndMetricsTests
{
    /// <summary>0.1·sqrt|d|/d + 1 with d = p − 0.123456: below 0 for d in (−0.01, 0), NaN at d = 0. Sampling at build time misses it.</summary>
    private const string EscapingFn = "schedule E over 1000000it { lr = fn(0.1 * sqrt(abs(p-0.123456)) / (p-0.123456) + 1) }\n";

    private const string Plateau = "schedule P over 10ep { lr = plateau(0.1, rest, on = val_loss, patience = 1, factor = 0.5) }\n";

    [Fact]
    public void Eval_stops_at_the_first_value_outside_its_range_naming_the_step()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("e.sched", EscapingFn);

        var result = CliRunner.Run("eval", file);

        // The first whole step where 0.1·sqrt|d|/d + 1 < 0: d = step/1e6 − 0.123456 > −0.01, i.e. step > 113456.
        long first = FirstNegativeStep();
        Assert.Equal(113456, first);
        Assert.Equal(1, result.ExitCode);
        string[] rows = result.Stdout.TrimEnd('\n').Split('\n');
        Assert.Equal("step,lr", rows[0]);
        Assert.Equal(first, rows.Length - 1);
        Assert.StartsWith((first - 1).ToString(CultureInfo.InvariantCulture) + ",", rows[^1]);
        Assert.Contains($"schedule 'E' gives track 'lr' the value ", result.Stderr);
        Assert.Contains($" at step {first}; lr must lie in [0, infinity)", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Fact]
    public void Check_accepts_the_file_since_sampling_cannot_prove_the_range_the_run_time_check_catches()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("e.sched", EscapingFn);

        Assert.Equal(0, CliRunner.Run("check", file).ExitCode);
    }

    [Fact]
    public void Plot_draws_nothing_when_a_value_is_outside_its_range()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("e.sched", EscapingFn);
        string image = Path.Combine(dir.Path, "e.png");

        var result = CliRunner.Run("plot", file, "-o", image);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(" at step 113456; lr must lie in [0, infinity)", result.Stderr);
        Assert.False(File.Exists(image));
    }

    [Fact]
    public void Metrics_are_replayed_into_plateau_phases()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("p.sched", Plateau);
        string metrics = dir.Write("m.csv", "step,val_loss\n10,1.0\n20,0.9\n30,0.95\n40,0.96\n50,0.97\n");

        var result = CliRunner.Run("eval", file, "--steps-per-epoch", "10", "--metrics", metrics);

        // PyTorch's rule, patience 1: best 1.0 at 10, 0.9 at 20; 30 and 40 are not better, the second bad report (40) halves.
        Assert.Equal(0, result.ExitCode);
        string[] rows = result.Stdout.TrimEnd('\n').Split('\n');
        Assert.Equal(102, rows.Length);
        for (int step = 0; step <= 100; step++)
            Assert.Equal($"{step},{(step < 40 ? "0.1" : "0.05")}", rows[step + 1]);
    }

    [Fact]
    public void Metrics_in_the_long_form_step_name_value_replay_the_same()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("p.sched", Plateau);
        string wide = dir.Write("wide.csv", "step,val_loss\n10,1.0\n20,0.9\n30,0.95\n40,0.96\n50,0.97\n");
        string tall = dir.Write("long.csv", "step,name,value\n10,val_loss,1.0\n20,val_loss,0.9\n30,val_loss,0.95\n40,val_loss,0.96\n50,val_loss,0.97\n");

        var fromLong = CliRunner.Run("eval", file, "--steps-per-epoch", "10", "--metrics", tall);

        Assert.Equal(0, fromLong.ExitCode);
        Assert.Equal(CliRunner.Run("eval", file, "--steps-per-epoch", "10", "--metrics", wide).Stdout, fromLong.Stdout);
        Assert.Contains("\n40,0.05\n", fromLong.Stdout);
        var unknown = CliRunner.Run("eval", file, "--steps-per-epoch", "10", "--metrics", dir.Write("bad.csv", "step,name,value\n10,loss,1\n"));
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("bad.csv(2,4): error: schedule 'P' watches no metric 'loss'; it watches 'val_loss'", unknown.Stderr);
    }

    [Fact]
    public void Without_metrics_a_plateau_phase_holds_its_value()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("p.sched", Plateau);

        var result = CliRunner.Run("eval", file, "--steps-per-epoch", "10");

        Assert.Equal(0, result.ExitCode);
        Assert.All(result.Stdout.TrimEnd('\n').Split('\n').Skip(1), row => Assert.EndsWith(",0.1", row));
    }

    [Theory]
    [InlineData("step,loss\n10,1\n", "m.csv(1,6): error: schedule 'P' watches no metric 'loss'; it watches 'val_loss'")]
    [InlineData("epoch,val_loss\n10,1\n", "m.csv(1,1): error: the header must be 'step,name,value', or 'step' and the metrics, e.g. 'step,val_loss'")]
    [InlineData("step,val_loss\n20,1\n10,1\n", "m.csv(3,1): error: step 10 comes after step 20; list the rows in the order of training")]
    [InlineData("step,val_loss\n10,low\n", "m.csv(2,4): error: 'low' is not a number for val_loss; write numbers such as 0.25 or 1e-3")]
    [InlineData("step,val_loss\n-1,1\n", "m.csv(2,1): error: the step must be a finite number of 0 or more, not '-1'")]
    [InlineData("step,val_loss\n10,1,2\n", "m.csv(2,1): error: this row has 3 cells and the header 2; leave a cell empty to report nothing")]
    [InlineData("", "m.csv(1,1): error: the file is empty; write a header 'step,val_loss', then one row per report")]
    public void A_bad_metrics_file_is_a_located_error(string text, string message)
    {
        using var dir = new TempDirectory();
        string file = dir.Write("p.sched", Plateau);
        string metrics = dir.Write("m.csv", text);

        var result = CliRunner.Run("eval", file, "--steps-per-epoch", "10", "--metrics", metrics);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Equal(Path.Combine(dir.Path, message) + "\n", result.Stderr);
    }

    [Fact]
    public void Metrics_for_a_schedule_without_plateau_phases_are_refused()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("s.sched", "schedule S over 10it { lr = const(0.1) }\n");
        string metrics = dir.Write("m.csv", "step,val_loss\n1,1\n");

        var result = CliRunner.Run("eval", file, "--metrics", metrics);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("schedule 'S' watches no metric (it has no plateau phase), so there is nothing to replay; leave out --metrics", result.Stderr);
    }

    [Fact]
    public void Check_reports_a_name_CSharp_cannot_take_as_the_build_does()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("v.sched", "schedule var over 10it { lr = const(0.1) }\n");

        var result = CliRunner.Run("check", file);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("v.sched(1,10): error SCHED016: 'var' has a meaning of its own where C# expects a type", result.Stdout);
        // Evaluating at run time takes any name the language does.
        Assert.Equal(0, CliRunner.Run("eval", file).ExitCode);
    }

    private static long FirstNegativeStep()
    {
        for (long step = 0; ; step++)
        {
            double d = step / 1e6 - 0.123456;
            double value = 0.1 * Math.Sqrt(Math.Abs(d)) / d + 1;
            if (!(value >= 0)) return step;
        }
    }
}
