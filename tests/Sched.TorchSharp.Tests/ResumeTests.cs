using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Sched.TorchSharp.Tests;

public class ResumeTests
{
    private const int N = 12, K = 5;

    public static TheoryData<string> Optimizers => new() { "SGD", "AdamW", "RMSProp" };

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void Stopping_saving_loading_and_setting_the_position_gives_bitwise_the_uninterrupted_run(string optimizerName)
    {
        int[] uninterrupted;
        using (var model = new TinyModel(30))
        using (var optimizer = Create(optimizerName, model))
        {
            var driver = new ScheduleDriver(Schedule(optimizerName), optimizer);
            ScheduleDriverTests.Train(model, optimizer, driver, N);
            uninterrupted = model.ParameterBits();
        }

        var saved = new MemoryStream();
        using (var model = new TinyModel(30))
        using (var optimizer = Create(optimizerName, model))
        {
            var driver = new ScheduleDriver(Schedule(optimizerName), optimizer);
            ScheduleDriverTests.Train(model, optimizer, driver, K);
            using var writer = new BinaryWriter(saved, System.Text.Encoding.UTF8, leaveOpen: true);
            model.Save(writer);
            ((OptimizerHelper)optimizer).save_state_dict(writer);
        }

        int[] resumed;
        saved.Position = 0;
        using (var model = new TinyModel(31)) // other initial weights: everything must come from the saved state
        {
            using var reader = new BinaryReader(saved);
            model.Load(reader);
            using var optimizer = Create(optimizerName, model);
            ((OptimizerHelper)optimizer).load_state_dict(reader);
            var driver = new ScheduleDriver(Schedule(optimizerName), optimizer) { Position = K };
            ScheduleDriverTests.Train(model, optimizer, driver, N - K);
            resumed = model.ParameterBits();
        }

        Assert.Equal(uninterrupted, resumed);
    }

    private static ISchedule Schedule(string optimizerName) => optimizerName == "AdamW" ? TestSchedules.AllTracks() : TestSchedules.NoBeta2();

    private static optim.Optimizer Create(string name, TinyModel model) => name switch
    {
        "SGD" => optim.SGD([new SGD.ParamGroup(model.FirstParameters), new SGD.ParamGroup(model.SecondParameters)], 0.1, momentum: 0.9),
        "AdamW" => optim.AdamW([new AdamW.ParamGroup(model.FirstParameters), new AdamW.ParamGroup(model.SecondParameters)], 1e-3),
        _ => optim.RMSProp([new RMSProp.ParamGroup(model.FirstParameters), new RMSProp.ParamGroup(model.SecondParameters)], 1e-3, momentum: 0.5),
    };
}
