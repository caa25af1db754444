using Sched.Samples;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sched.TorchSharp.Tests;

public class ScheduleDriverTests
{
    private static readonly long[] Ks = [0, 1, 3, 4, 7, 12];

    [Fact]
    public void Sgd_groups_hold_the_schedules_values_for_step_k_after_k_steps()
    {
        var schedule = TestSchedules.NoBeta2();
        foreach (long k in Ks)
        {
            using var model = new TinyModel(1);
            using var optimizer = optim.SGD([new SGD.ParamGroup(model.FirstParameters), new SGD.ParamGroup(model.SecondParameters)], 0.5, momentum: 0.5);
            var driver = new ScheduleDriver(schedule, optimizer);
            Train(model, optimizer, driver, k);

            Assert.Equal(k, driver.Position);
            foreach (SGD.ParamGroup group in optimizer.ParamGroups.Cast<SGD.ParamGroup>())
            {
                Assert.Equal(schedule.ValueAt("lr", k), group.LearningRate);
                Assert.Equal(schedule.ValueAt("momentum", k), group.Momentum);
                Assert.Equal(schedule.ValueAt("wd", k), group.Options.weight_decay);
            }
        }
    }

    [Fact]
    public void AdamW_groups_take_momentum_as_beta1_and_beta2_and_weight_decay()
    {
        var schedule = TestSchedules.AllTracks();
        foreach (long k in Ks)
        {
            using var model = new TinyModel(2);
            using var optimizer = optim.AdamW([new AdamW.ParamGroup(model.FirstParameters), new AdamW.ParamGroup(model.SecondParameters)], 1e-3);
            var driver = new ScheduleDriver(schedule, optimizer);
            Train(model, optimizer, driver, k);

            foreach (AdamW.ParamGroup group in optimizer.ParamGroups.Cast<AdamW.ParamGroup>())
            {
                Assert.Equal(schedule.ValueAt("lr", k), group.LearningRate);
                Assert.Equal((schedule.ValueAt("momentum", k), schedule.ValueAt("beta2", k)), group.Betas);
                Assert.Equal(schedule.ValueAt("momentum", k), group.Options.beta1);
                Assert.Equal(schedule.ValueAt("wd", k), group.Options.weight_decay);
            }
        }
    }

    [Fact]
    public void RmsProp_groups_take_momentum_and_weight_decay()
    {
        var schedule = TestSchedules.NoBeta2();
        foreach (long k in Ks)
        {
            using var model = new TinyModel(3);
            using var optimizer = optim.RMSProp([new RMSProp.ParamGroup(model.FirstParameters), new RMSProp.ParamGroup(model.SecondParameters)], 1e-3);
            var driver = new ScheduleDriver(schedule, optimizer);
            Train(model, optimizer, driver, k);

            foreach (RMSProp.ParamGroup group in optimizer.ParamGroups.Cast<RMSProp.ParamGroup>())
            {
                Assert.Equal(schedule.ValueAt("lr", k), group.LearningRate);
                Assert.Equal(schedule.ValueAt("momentum", k), group.Momentum);
                Assert.Equal(schedule.ValueAt("wd", k), group.Options.weight_decay);
            }
        }
    }

    [Fact]
    public void A_generated_schedule_drives_like_an_interpreted_one()
    {
        ISchedule schedule = new SmithOneCycle(stepsPerEpoch: 2);
        using var model = new TinyModel(4);
        using var optimizer = optim.SGD(model.Parameters, 0.1, momentum: 0.9);
        var driver = new ScheduleDriver(schedule, optimizer);
        Train(model, optimizer, driver, 50);

        var group = (SGD.ParamGroup)optimizer.ParamGroups.Single();
        Assert.Equal(schedule.ValueAt("lr", 50), group.LearningRate);
        Assert.Equal(schedule.ValueAt("momentum", 50), group.Momentum);
    }

    [Fact]
    public void Explicit_multipliers_scale_each_groups_learning_rate()
    {
        var schedule = TestSchedules.AllTracks();
        using var model = new TinyModel(5);
        using var optimizer = optim.AdamW([new AdamW.ParamGroup(model.FirstParameters), new AdamW.ParamGroup(model.SecondParameters)], 1e-3);
        var driver = new ScheduleDriver(schedule, optimizer, new ScheduleDriverOptions { LearningRateMultipliers = GroupMultipliers.Of(0.25, 2) });
        Train(model, optimizer, driver, 5);

        var groups = optimizer.ParamGroups.Cast<AdamW.ParamGroup>().ToArray();
        Assert.Equal(schedule.ValueAt("lr", 5) * 0.25, groups[0].LearningRate);
        Assert.Equal(schedule.ValueAt("lr", 5) * 2, groups[1].LearningRate);
        // Multipliers touch the learning rate only.
        Assert.Equal(schedule.ValueAt("wd", 5), groups[0].Options.weight_decay);
        Assert.Equal(schedule.ValueAt("momentum", 5), groups[0].Betas.Item1);
    }

    [Fact]
    public void Geometric_multipliers_spread_like_fastais_slice()
    {
        var schedule = TestSchedules.NoBeta2();
        using var model = new TinyModel(6);
        var third = nn.Linear(1, 1);
        using var optimizer = optim.SGD(
            [new SGD.ParamGroup(model.FirstParameters), new SGD.ParamGroup(model.SecondParameters), new SGD.ParamGroup(third.parameters())], 0.1);
        var driver = new ScheduleDriver(schedule, optimizer, new ScheduleDriverOptions { LearningRateMultipliers = GroupMultipliers.Geometric(0.01, 1) });

        Assert.Equal([0.01, 0.1, 1.0], driver.LearningRateMultipliers.Select(m => Math.Round(m, 12)));
        Assert.Equal(1.0, driver.LearningRateMultipliers[2]);
        var groups = optimizer.ParamGroups.ToArray();
        for (int i = 0; i < 3; i++) Assert.Equal(schedule.ValueAt("lr", 0) * driver.LearningRateMultipliers[i], groups[i].LearningRate);
        Assert.Equal([7.0], GroupMultipliers.Geometric(3, 7).For(1, "SGD"));
    }

    [Fact]
    public void Momentum_on_an_optimizer_without_it_names_the_group_and_the_track()
    {
        using var model = new TinyModel(7);
        using var optimizer = optim.Adagrad(model.Parameters, 0.1);
        var error = Assert.Throws<ArgumentException>(() => new ScheduleDriver(TestSchedules.NoBeta2(), optimizer));
        Assert.Equal(
            "schedule 'NoBeta2' drives 'momentum', which param group 0 of Adagrad cannot take (it takes lr, wd); "
            + "drive SGD, RMSProp or an Adam-family optimizer (momentum is their beta1), or remove the track",
            error.Message);
    }

    [Fact]
    public void Beta2_on_sgd_names_the_group_and_the_track()
    {
        using var model = new TinyModel(8);
        using var optimizer = optim.SGD([new SGD.ParamGroup(model.FirstParameters), new SGD.ParamGroup(model.SecondParameters)], 0.1);
        var error = Assert.Throws<ArgumentException>(() => new ScheduleDriver(TestSchedules.AllTracks(), optimizer));
        Assert.StartsWith("schedule 'AllTracks' drives 'beta2', which param group 0 of SGD cannot take (it takes lr, momentum, wd)", error.Message);
    }

    [Fact]
    public void A_multiplier_count_that_does_not_match_the_groups_is_an_error()
    {
        using var model = new TinyModel(9);
        using var optimizer = optim.SGD([new SGD.ParamGroup(model.FirstParameters), new SGD.ParamGroup(model.SecondParameters)], 0.1);
        var error = Assert.Throws<ArgumentException>(() =>
            new ScheduleDriver(TestSchedules.NoBeta2(), optimizer, new ScheduleDriverOptions { LearningRateMultipliers = GroupMultipliers.Of(0.1, 0.5, 1) }));
        Assert.Equal("3 learning-rate multipliers given for the 2 param groups of SGD; give one per group, in group order", error.Message);
    }

    /// <summary>
    /// An fn whose negative values fall between the build's samples (it passes every check) still never reaches the
    /// optimizer: the step that would write one throws, naming the schedule, track and step, and writes nothing.
    /// </summary>
    [Fact]
    public void A_value_outside_its_tracks_range_is_refused_before_anything_is_written()
    {
        var definition = Schedule.Parse("schedule E over 1000000it {\n    lr = fn(0.1 * sqrt(abs(p-0.123456)) / (p-0.123456) + 1)\n    momentum = 0.9\n}");
        var schedule = definition.Create();
        // p = 0.123 at step 123000: 1 + 0.1·sqrt(0.000456)/(-0.000456) = 1 - 4.683 < 0.
        Assert.True(schedule.Evaluate(0, 123_000) < 0);
        using var model = new TinyModel(1);
        using var optimizer = optim.SGD([new SGD.ParamGroup(model.FirstParameters)], 0.5, momentum: 0.5);
        var driver = new ScheduleDriver(schedule, optimizer);
        var group = (SGD.ParamGroup)optimizer.ParamGroups.Single();
        double before = group.LearningRate;
        group.Momentum = 0.123;

        var e = Assert.Throws<ScheduleValueException>(() => driver.Position = 123_000);
        Assert.Equal("schedule 'E' gives track 'lr' the value " + schedule.Evaluate(0, 123_000).ToString("R", System.Globalization.CultureInfo.InvariantCulture)
            + " at step 123000; lr must lie in [0, infinity)", e.Message);
        Assert.Equal(("E", "lr", 123_000.0), (e.Schedule, e.Track, e.Step));
        Assert.Equal(before, group.LearningRate);
        Assert.Equal(0.123, group.Momentum);
    }

    [Fact]
    public void Past_the_end_holds_the_last_values_by_default()
    {
        var schedule = TestSchedules.NoBeta2();
        using var model = new TinyModel(10);
        using var optimizer = optim.SGD(model.Parameters, 0.1);
        var driver = new ScheduleDriver(schedule, optimizer);
        Train(model, optimizer, driver, 15);

        var group = (SGD.ParamGroup)optimizer.ParamGroups.Single();
        Assert.Equal(schedule.ValueAt("lr", 12), group.LearningRate);
        Assert.Equal(schedule.ValueAt("wd", 12), group.Options.weight_decay);
    }

    [Fact]
    public void Past_the_end_throws_when_asked_to()
    {
        using var model = new TinyModel(11);
        using var optimizer = optim.SGD(model.Parameters, 0.1);
        var driver = new ScheduleDriver(TestSchedules.NoBeta2(), optimizer, new ScheduleDriverOptions { PastEnd = PastEndBehavior.Throw });
        Train(model, optimizer, driver, 12); // the whole schedule: fine

        model.TrainStep(optimizer);
        var error = Assert.Throws<ScheduleOverrunException>(driver.Step);
        Assert.Equal(
            "schedule 'NoBeta2' has 12 steps, but the optimizer has taken 13; make the training loop as long as the schedule, or use PastEndBehavior.Hold to keep its final values",
            error.Message);
        Assert.Throws<ScheduleOverrunException>(() => driver.Position = 20);
    }

    [Fact]
    public void Setting_the_position_applies_that_steps_values()
    {
        var schedule = TestSchedules.AllTracks();
        using var model = new TinyModel(12);
        using var optimizer = optim.Adam(model.Parameters, 1e-3);
        var driver = new ScheduleDriver(schedule, optimizer, new ScheduleDriverOptions { StartPosition = 9 });
        var group = (Adam.ParamGroup)optimizer.ParamGroups.Single();
        Assert.Equal(schedule.ValueAt("lr", 9), group.LearningRate);

        driver.Position = 3;
        Assert.Equal(schedule.ValueAt("lr", 3), group.LearningRate);
        Assert.Equal((schedule.ValueAt("momentum", 3), schedule.ValueAt("beta2", 3)), group.Betas);
        Assert.Throws<ArgumentOutOfRangeException>(() => driver.Position = -1);
    }

    [Fact]
    public void Groups_added_after_the_driver_are_an_error_not_a_silent_skip()
    {
        using var model = new TinyModel(13);
        using var optimizer = optim.SGD([new SGD.ParamGroup(model.FirstParameters)], 0.1);
        var driver = new ScheduleDriver(TestSchedules.NoBeta2(), optimizer);
        optimizer.add_param_group(new SGD.ParamGroup(model.SecondParameters));
        var error = Assert.Throws<InvalidOperationException>(driver.Step);
        Assert.Contains("SGD now has 2 param groups; this driver was built for 1", error.Message);
    }

    [Fact]
    public void A_group_replaced_after_the_driver_is_an_error_naming_it()
    {
        using var model = new TinyModel(13);
        using var optimizer = optim.SGD([new SGD.ParamGroup(model.FirstParameters), new SGD.ParamGroup(model.SecondParameters)], 0.1);
        var driver = new ScheduleDriver(TestSchedules.NoBeta2(), optimizer);
        var groups = Assert.IsAssignableFrom<IList<ParamGroup>>(optimizer.ParamGroups);
        groups[1] = new SGD.ParamGroup(model.SecondParameters);
        var error = Assert.Throws<InvalidOperationException>(driver.Step);
        Assert.Equal("param group 1 of SGD was replaced after this driver was built; create a new driver.", error.Message);
    }

    [Fact]
    public void Other_optimizers_take_what_they_have()
    {
        using var model = new TinyModel(14);
        foreach (optim.Optimizer optimizer in new optim.Optimizer[]
                 {
                     optim.Adam(model.Parameters), optim.NAdam(model.Parameters), optim.RAdam(model.Parameters), optim.Adamax(model.Parameters),
                 })
        {
            var driver = new ScheduleDriver(TestSchedules.AllTracks(), optimizer);
            Train(model, optimizer, driver, 2);
            var betas = (optim.IBetas)optimizer.ParamGroups.Single();
            Assert.Equal(TestSchedules.AllTracks().ValueAt("beta2", 2), betas.Betas.Item2);
            optimizer.Dispose();
        }
        using var adagrad = optim.Adagrad(model.Parameters);
        new ScheduleDriver(TestSchedules.Text("schedule LrWd over 4it { lr = lin(1 -> 0, rest)\n wd = 0.5 }"), adagrad);
        Assert.Equal(0.5, ((Adagrad.Options)((ParamGroup)adagrad.ParamGroups.Single()).Options).weight_decay);
    }

    internal static void Train(TinyModel model, optim.Optimizer optimizer, ScheduleDriver driver, long steps)
    {
        for (long i = 0; i < steps; i++)
        {
            model.TrainStep(optimizer);
            driver.Step();
        }
    }
}
