using System.Diagnostics;
using Sched.TorchSharp;
using TorchSharp;
using static TorchSharp.torch;
using Optimizer = TorchSharp.torch.optim.Optimizer;

namespace Sched.Samples.FashionMnist;

/// <summary>How a call of <see cref="TrainingLoop.Run"/> ended.</summary>
public enum LoopEnd
{
    /// <summary>It reached the step it was asked to stop at.</summary>
    Reached,

    /// <summary>A hook's <see cref="TrainingHooks.AfterStep"/> asked it to stop.</summary>
    StoppedByHook,

    /// <summary>Cancelled (Ctrl+C) after a whole step.</summary>
    Interrupted,

    /// <summary>A batch's loss was NaN or infinite; the optimizer did not step with it.</summary>
    NonFiniteLoss,
}

/// <summary>
/// Where callers join the loop; every method does nothing unless overridden. At an epoch's end the order is fixed:
/// <see cref="BeforeEvaluation"/>, the model's evaluation, <see cref="ReportMetrics"/>, <see cref="AfterEpoch"/>, each hook in turn.
/// </summary>
public abstract class TrainingHooks
{
    /// <summary>
    /// After each optimizer step, once the driver has applied the next step's values: record, show progress, or fold the new weights
    /// into an average (EMA, or SWA per step). Return false to end the loop after this step.
    /// </summary>
    public virtual bool AfterStep(TrainingLoop loop, StepRecord step) => true;

    /// <summary>A batch's loss was not finite: the optimizer did not step, and the loop ends with <see cref="LoopEnd.NonFiniteLoss"/>.</summary>
    public virtual void NonFiniteLoss(TrainingLoop loop, StepRecord step) { }

    /// <summary>
    /// At an epoch's end, before the model is evaluated: where an average kept per epoch (SWA) takes in the weights; an averaged model is
    /// evaluated on the same test images with <c>loop.Data.Evaluate(averaged)</c>.
    /// </summary>
    public virtual void BeforeEvaluation(TrainingLoop loop, int epoch) { }

    /// <summary>
    /// After the evaluation, before any <see cref="AfterEpoch"/>: where a metric (the test loss) is reported to the schedule, for phases
    /// driven by it (reduce on plateau), so that a checkpoint saved in <see cref="AfterEpoch"/> holds the schedule's state after it.
    /// </summary>
    public virtual void ReportMetrics(TrainingLoop loop, EpochRecord epoch) { }

    /// <summary>The epoch is done and recorded: print it, save a checkpoint.</summary>
    public virtual void AfterEpoch(TrainingLoop loop, EpochRecord epoch) { }
}

/// <summary>
/// The one training loop of the sample (training, <c>compare</c> and the range test): batches in each epoch's order, cross-entropy,
/// an optimizer step, the schedule driver's step, the history, and an evaluation at every epoch's end; callers join through
/// <see cref="TrainingHooks"/>. Its position is the driver's: to resume, construct the driver at the saved position.
/// </summary>
public sealed class TrainingLoop
{
    private readonly optim.ILearningRateController _group;
    private readonly List<StepRecord> _steps;
    private readonly List<EpochRecord> _epochs;

    /// <param name="seed">Decides each epoch's order of the training images (<see cref="TensorData.Permutation"/>).</param>
    /// <param name="endStep">The run's last step: an epoch ends every <see cref="StepsPerEpoch"/> steps and at this one.</param>
    /// <param name="stepsSoFar">The history of a resumed run, so that its epoch losses count the steps before the checkpoint.</param>
    public TrainingLoop(
        nn.Module<Tensor, Tensor> model, Optimizer optimizer, ScheduleDriver driver, TensorData data, int batchSize, int seed, long endStep,
        IEnumerable<StepRecord>? stepsSoFar = null, IEnumerable<EpochRecord>? epochsSoFar = null)
    {
        Model = model;
        Optimizer = optimizer;
        Driver = driver;
        Data = data;
        BatchSize = batchSize;
        Seed = seed;
        StepsPerEpoch = data.StepsPerEpoch(batchSize);
        EndStep = endStep;
        _group = optimizer.ParamGroups.First();
        _steps = [.. stepsSoFar ?? []];
        _epochs = [.. epochsSoFar ?? []];
    }

    public nn.Module<Tensor, Tensor> Model { get; }
    public Optimizer Optimizer { get; }
    public ScheduleDriver Driver { get; }
    public TensorData Data { get; }
    public int BatchSize { get; }
    public int Seed { get; }
    public int StepsPerEpoch { get; }
    public long EndStep { get; }

    /// <summary>Whether epochs end with an evaluation and the epoch hooks; the range test has no epochs to speak of. Default true.</summary>
    public bool EvaluatesEpochs { get; init; } = true;

    /// <summary>Optimizer steps taken: the driver's position.</summary>
    public long Position => Driver.Position;

    /// <summary>Every step taken, including those before a resume.</summary>
    public IReadOnlyList<StepRecord> Steps => _steps;

    /// <summary>Every epoch ended, including those before a resume.</summary>
    public IReadOnlyList<EpochRecord> Epochs => _epochs;

    /// <summary>Trains from <see cref="Position"/> until <paramref name="stopStep"/>, a hook's stop, cancellation or a loss that is not finite.</summary>
    public LoopEnd Run(long stopStep, IReadOnlyList<TrainingHooks> hooks, CancellationToken cancel = default)
    {
        var epochClock = Stopwatch.StartNew();
        long[] order = [];
        int orderEpoch = -1;
        // The epoch's losses so far, from the history: an epoch resumed midway still counts all its batches.
        long epochStart = Position / StepsPerEpoch * StepsPerEpoch;
        double epochLoss = _steps.Where(s => s.Step >= epochStart).Sum(s => s.Loss);
        int epochBatches = _steps.Count(s => s.Step >= epochStart);
        Model.train();
        while (Position < stopStep)
        {
            long position = Position;
            int epoch = (int)(position / StepsPerEpoch), batch = (int)(position % StepsPerEpoch);
            if (orderEpoch != epoch)
            {
                order = Data.Permutation(Seed, epoch);
                orderEpoch = epoch;
            }

            double lr = _group.LearningRate;
            double momentum = _group is optim.IMomentum m ? m.Momentum : double.NaN;
            double loss;
            using (NewDisposeScope())
            {
                var (input, target) = Data.Batch(order, batch, BatchSize);
                Optimizer.zero_grad();
                Tensor batchLoss = nn.functional.cross_entropy(Model.forward(input), target);
                loss = batchLoss.item<float>();
                if (double.IsFinite(loss))
                {
                    batchLoss.backward();
                    Optimizer.step();
                }
            }
            var record = new StepRecord(position, lr, momentum, loss);
            if (!double.IsFinite(loss))
            {
                foreach (TrainingHooks hook in hooks) hook.NonFiniteLoss(this, record);
                return LoopEnd.NonFiniteLoss;
            }
            Driver.Step();
            _steps.Add(record);
            epochLoss += loss;
            epochBatches++;

            bool goOn = true;
            foreach (TrainingHooks hook in hooks) goOn &= hook.AfterStep(this, record);

            if (EvaluatesEpochs && (Position % StepsPerEpoch == 0 || Position == EndStep))
            {
                foreach (TrainingHooks hook in hooks) hook.BeforeEvaluation(this, epoch);
                var (testLoss, accuracy) = Data.Evaluate(Model);
                var row = new EpochRecord(epoch + 1, epochLoss / epochBatches, testLoss, accuracy, epochClock.Elapsed.TotalSeconds);
                _epochs.Add(row);
                foreach (TrainingHooks hook in hooks) hook.ReportMetrics(this, row);
                foreach (TrainingHooks hook in hooks) hook.AfterEpoch(this, row);
                epochLoss = 0;
                epochBatches = 0;
                epochClock.Restart();
            }
            if (!goOn) return LoopEnd.StoppedByHook;
            if (cancel.IsCancellationRequested && Position < stopStep) return LoopEnd.Interrupted;
        }
        return LoopEnd.Reached;
    }
}
