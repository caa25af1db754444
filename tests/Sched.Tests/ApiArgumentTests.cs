namespace Sched.Tests;

/// <summary>Mistakes in calls to the API are the standard exceptions, with messages in the API's terms (never the command line's).</summary>
public class ApiArgumentTests
{
    private const string Epochs = "schedule E over 2ep { lr = lin(0.1 -> 0.01) }";

    [Fact]
    public void Parse_and_Analyze_refuse_null_text_and_path()
    {
        Assert.Equal("text", Assert.Throws<ArgumentNullException>(() => Schedule.Parse(null!)).ParamName);
        Assert.Equal("text", Assert.Throws<ArgumentNullException>(() => Schedule.Analyze(null!)).ParamName);
        Assert.Equal("text", Assert.Throws<ArgumentNullException>(() => Schedule.ParseAll(null!)).ParamName);
        Assert.Equal("path", Assert.Throws<ArgumentNullException>(() => Schedule.Parse(Epochs, null!)).ParamName);
    }

    [Fact]
    public void Create_without_steps_per_epoch_for_a_schedule_in_epochs_says_what_to_pass()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Schedule.Parse(Epochs).Create(0));
        Assert.Equal("stepsPerEpoch", e.ParamName);
        Assert.Contains("schedule 'E' counts in epochs: pass stepsPerEpoch", e.Message);
        Assert.DoesNotContain("--", e.Message);
        Assert.Equal("stepsPerEpoch", Assert.Throws<ArgumentOutOfRangeException>(() => Schedule.Parse(Epochs).Create(-3)).ParamName);
    }

    [Fact]
    public void Evaluate_at_a_NaN_step_says_so_instead_of_holding_the_end_value()
    {
        var schedule = Schedule.Parse(Epochs).Create(10);
        var e = Assert.Throws<ArgumentException>(() => schedule.Evaluate(0, double.NaN));
        Assert.Equal("step", e.ParamName);
        Assert.Contains("NaN", e.Message);
        Span<double> values = stackalloc double[1];
        bool threw = false;
        try
        {
            schedule.EvaluateAll(double.NaN, values);
        }
        catch (ArgumentException)
        {
            threw = true;
        }
        Assert.True(threw, "EvaluateAll at NaN must refuse it too");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    [InlineData(int.MaxValue)]
    public void Evaluate_with_a_track_index_the_schedule_lacks_names_the_valid_ones(int track)
    {
        var schedule = Schedule.Parse(Epochs).Create(10);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => schedule.Evaluate(track, 0));
        Assert.Equal("track", e.ParamName);
        Assert.Contains("schedule 'E' has 1 track, indexed 0 to 0; IndexOf(name) gives a track's index", e.Message);
    }

    [Fact]
    public void EvaluateAll_into_a_span_too_short_for_the_tracks_says_how_many()
    {
        var schedule = Schedule.Parse("schedule T over 10it { lr = lin(0.1 -> 0.01); momentum = 0.9 }").Create();
        var values = new double[1];
        var e = Assert.Throws<ArgumentException>(() => schedule.EvaluateAll(0, values));
        Assert.Contains("has 2 tracks, but the span for their values holds 1", e.Message);
        var all = new double[2];
        schedule.EvaluateAll(5, all);
        Assert.Equal(new[] { schedule.Evaluate(0, 5), 0.9 }, all);
    }
}
