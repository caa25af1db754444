using Sched.Samples.FashionMnist;

namespace Sched.Samples.Tests;

public class ScheduleCatalogTests
{
    [Fact]
    public void The_catalogue_lists_every_schedule_class_of_the_sample()
    {
        string[] generated = typeof(FastaiOneCycle).Assembly.GetTypes()
            .Where(t => t.Namespace == "Sched.Samples" && t.IsPublic && typeof(ISchedule).IsAssignableFrom(t))
            .Select(t => t.Name).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(15, generated.Length);
        Assert.Equal(generated, ScheduleCatalog.All.Select(s => s.Name).Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void Each_entry_creates_its_own_class()
    {
        foreach (CatalogueSchedule entry in ScheduleCatalog.All)
        {
            Assert.Equal(entry.Name, entry.Create(100, null).GetType().Name);
        }
    }

    [Fact]
    public void Durations_are_set_in_epochs_steps_or_percent()
    {
        CatalogueSchedule wsd = ScheduleCatalog.Find("WarmupStableDecay");
        // 10,000 steps: warm-up over the first 1,000 (10 %) instead of 5 %, so step 500 is half-way up to peak 3e-4.
        ISchedule schedule = ScheduleCatalog.Create(wsd, 100, null, null, new Dictionary<string, string> { ["warm"] = "1000it" }, out string description);
        Assert.Equal("WarmupStableDecay(peak = 3e-4, warm = 1000it)", description);
        Assert.Equal(3e-4 * 500 / 1000, schedule.Evaluate(schedule.IndexOf("lr"), 500), 12);

        var error = Assert.Throws<TrainingException>(() => ScheduleCatalog.Create(wsd, 100, null, null, new Dictionary<string, string> { ["warm"] = "ten" }, out _));
        Assert.Equal("schedule 'WarmupStableDecay': warm = 'ten' is not a duration; write e.g. warm=5ep, warm=1000it or warm=10%", error.Message);
    }

    [Fact]
    public void An_invalid_value_is_refused_with_the_schedule_s_own_message()
    {
        CatalogueSchedule wsd = ScheduleCatalog.Find("WarmupStableDecay");
        var error = Assert.Throws<TrainingException>(() => ScheduleCatalog.Create(wsd, 100, null, -1, null, out _));
        Assert.StartsWith("schedule 'WarmupStableDecay': these arguments make schedule 'WarmupStableDecay' invalid:", error.Message);
    }
}
