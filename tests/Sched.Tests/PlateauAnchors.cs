namespace Sched.Tests;

/// <summary>
/// The four reduce-on-plateau anchors, written out in C# from their libraries' sources (learned, not copied), one report per
/// epoch end. Each holds the learning rate the next epoch trains with in <see cref="Lr"/>.
/// </summary>
internal interface IPlateauAnchor
{
    /// <summary>The lr the next epoch trains with (the optimizer's param group 0).</summary>
    double Lr { get; }

    /// <summary>The end of 0-based epoch <paramref name="epoch"/>, whose validation gave <paramref name="metric"/>.</summary>
    void EpochEnd(int epoch, double metric);
}

/// <summary>
/// PyTorch, torch/optim/lr_scheduler.py <c>ReduceLROnPlateau</c>: <c>__init__</c> (min_lr a scalar or one per param group,
/// the list's length checked), <c>_reset</c> (best = mode_worse), <c>step(metrics)</c>, <c>_reduce_lr</c>, <c>_is_better</c>.
/// </summary>
internal sealed class TorchReduceLROnPlateau : IPlateauAnchor
{
    /// <summary>optimizer.param_groups[i]["lr"]: the scheduler reads and writes the groups' lrs.</summary>
    public readonly double[] Lrs;
    private readonly bool _max, _rel;
    private readonly double _factor, _threshold, _eps;
    private readonly int _patience, _cooldown;
    private readonly double[] _minLrs;
    private double _best;
    private int _numBadEpochs, _cooldownCounter;

    public TorchReduceLROnPlateau(double[] lrs, string mode = "min", double factor = 0.1, int patience = 10, double threshold = 1e-4,
        string thresholdMode = "rel", int cooldown = 0, double[]? minLrs = null, double eps = 1e-8)
    {
        if (factor >= 1.0) throw new ArgumentException("Factor should be < 1.0.");
        Lrs = (double[])lrs.Clone();
        // A scalar min_lr is [min_lr] * len(param_groups); a list must have one per group.
        _minLrs = minLrs ?? new double[lrs.Length];
        if (_minLrs.Length != lrs.Length) throw new ArgumentException($"expected {lrs.Length} min_lrs, got {_minLrs.Length}");
        (_max, _rel, _factor, _patience, _threshold, _cooldown, _eps) = (mode == "max", thresholdMode == "rel", factor, patience, threshold, cooldown, eps);
        _best = _max ? double.NegativeInfinity : double.PositiveInfinity;
    }

    public TorchReduceLROnPlateau(double lr, string mode = "min", double factor = 0.1, int patience = 10, double threshold = 1e-4,
        string thresholdMode = "rel", int cooldown = 0, double minLr = 0, double eps = 1e-8)
        : this([lr], mode, factor, patience, threshold, thresholdMode, cooldown, [minLr], eps)
    {
    }

    public double Lr => Lrs[0];

    public void EpochEnd(int epoch, double metric) => Step(metric);

    /// <summary>step(metrics): better resets the bad epochs, cooldown then swallows them, more than patience reduces.</summary>
    public void Step(double current)
    {
        if (IsBetter(current, _best))
        {
            _best = current;
            _numBadEpochs = 0;
        }
        else
        {
            _numBadEpochs += 1;
        }
        if (_cooldownCounter > 0)
        {
            _cooldownCounter -= 1;
            _numBadEpochs = 0;
        }
        if (_numBadEpochs > _patience)
        {
            ReduceLr();
            _cooldownCounter = _cooldown;
            _numBadEpochs = 0;
        }
    }

    // _reduce_lr: new_lr = max(old_lr * factor, min_lrs[i]), written only if old_lr - new_lr > eps.
    private void ReduceLr()
    {
        for (int i = 0; i < Lrs.Length; i++)
        {
            double oldLr = Lrs[i];
            double newLr = Math.Max(oldLr * _factor, _minLrs[i]);
            if (oldLr - newLr > _eps) Lrs[i] = newLr;
        }
    }

    // _is_better: rel_epsilon = 1 - threshold (min) or threshold + 1 (max); abs adds or subtracts the threshold.
    private bool IsBetter(double a, double best) => (_max, _rel) switch
    {
        (false, true) => a < best * (1.0 - _threshold),
        (false, false) => a < best - _threshold,
        (true, true) => a > best * (_threshold + 1.0),
        _ => a > best + _threshold,
    };
}

/// <summary>
/// Keras, keras/src/callbacks/reduce_lr_on_plateau.py <c>ReduceLROnPlateau</c>: <c>_reset</c> (mode 'auto' reads 'acc' in the
/// monitor's name), <c>on_epoch_end</c>, <c>in_cooldown</c>. Keras keeps the lr in a float32 variable; this is its formula in doubles.
/// </summary>
internal sealed class KerasReduceLROnPlateau : IPlateauAnchor
{
    private readonly bool _greater;
    private readonly double _factor, _minDelta, _minLr;
    private readonly int _patience, _cooldown;
    private double _best;
    private int _wait, _cooldownCounter;

    public KerasReduceLROnPlateau(double lr, string monitor = "val_loss", double factor = 0.1, int patience = 10, string mode = "auto",
        double minDelta = 1e-4, int cooldown = 0, double minLr = 0)
    {
        Lr = lr;
        (_factor, _patience, _minDelta, _cooldown, _minLr) = (factor, patience, minDelta, cooldown, minLr);
        _greater = !(mode == "min" || (mode == "auto" && !monitor.Contains("acc", StringComparison.Ordinal)));
        _best = _greater ? double.NegativeInfinity : double.PositiveInfinity;
    }

    public double Lr { get; private set; }

    /// <summary>on_epoch_end: cooldown counts down first; better resets the wait; outside cooldown the wait grows to patience.</summary>
    public void EpochEnd(int epoch, double current)
    {
        if (_cooldownCounter > 0)
        {
            _cooldownCounter -= 1;
            _wait = 0;
        }
        if (MonitorOp(current, _best))
        {
            _best = current;
            _wait = 0;
        }
        else if (!(_cooldownCounter > 0))
        {
            _wait += 1;
            if (_wait >= _patience)
            {
                double oldLr = Lr;
                if (oldLr > _minLr)
                {
                    Lr = Math.Max(oldLr * _factor, _minLr);
                    _cooldownCounter = _cooldown;
                    _wait = 0;
                }
            }
        }
    }

    // np.less(a, b - min_delta) or np.greater(a, b + min_delta): false for a NaN.
    private bool MonitorOp(double a, double b) => _greater ? a > b + _minDelta : a < b - _minDelta;
}

/// <summary>
/// fastai, fastai/callback/tracker.py: <c>TrackerCallback.__init__</c> (comp inferred from the monitor's name; min_delta negated
/// for np.less), <c>before_fit</c>, <c>after_epoch</c>, and <c>ReduceLROnPlateau.after_epoch</c> (lr divided by factor, no cooldown).
/// </summary>
internal sealed class FastaiReduceLROnPlateau : IPlateauAnchor
{
    private readonly bool _less;
    private readonly double _minDelta, _factor, _minLr;
    private readonly int _patience;
    private double _best;
    private int _wait;

    public FastaiReduceLROnPlateau(double lr, string monitor = "valid_loss", bool? less = null, double minDelta = 0, int patience = 1,
        double factor = 10, double minLr = 0)
    {
        Lr = lr;
        _less = less ?? (monitor.Contains("loss", StringComparison.Ordinal) || monitor.Contains("error", StringComparison.Ordinal));
        _minDelta = _less ? -minDelta : minDelta;
        (_patience, _factor, _minLr) = (patience, factor, minLr);
        _best = _less ? double.PositiveInfinity : double.NegativeInfinity;
    }

    /// <summary>opt.hypers[-1]['lr'] (every group gets the same rule).</summary>
    public double Lr { get; private set; }

    public void EpochEnd(int epoch, double val)
    {
        // TrackerCallback.after_epoch: comp(val - min_delta, best).
        bool newBest = _less ? val - _minDelta < _best : val - _minDelta > _best;
        if (newBest) _best = val;
        if (newBest)
        {
            _wait = 0;
        }
        else
        {
            _wait += 1;
            if (_wait >= _patience)
            {
                Lr = Math.Max(Lr / _factor, _minLr);
                _wait = 0;
            }
        }
    }
}

/// <summary>
/// timm, timm/scheduler/plateau_lr.py <c>PlateauLRScheduler</c> (noise off): <c>__init__</c> (PyTorch's ReduceLROnPlateau over the
/// optimizer, warm-up steps, the group's lr set to warmup_lr_init) and <c>step(epoch, metric)</c>, driven as timm's train.py
/// does: <c>lr_scheduler.step(epoch + 1, eval_metrics[eval_metric])</c> after each epoch's validation.
/// </summary>
internal sealed class TimmPlateauLRScheduler : IPlateauAnchor
{
    private readonly TorchReduceLROnPlateau _lrScheduler;
    private readonly int _warmupT;
    private readonly double _warmupLrInit, _warmupStep;

    public TimmPlateauLRScheduler(double lr, double decayRate = 0.1, int patienceT = 10, double threshold = 1e-4, int cooldownT = 0,
        int warmupT = 0, double warmupLrInit = 0, double lrMin = 0, string mode = "max")
    {
        _lrScheduler = new TorchReduceLROnPlateau(lr, mode, decayRate, patienceT, threshold, "rel", cooldownT, lrMin);
        (_warmupT, _warmupLrInit) = (warmupT, warmupLrInit);
        if (warmupT != 0)
        {
            _warmupStep = (lr - warmupLrInit) / warmupT;
            _lrScheduler.Lrs[0] = warmupLrInit;
        }
        else
        {
            _warmupStep = 1;
        }
    }

    public double Lr => _lrScheduler.Lrs[0];

    public void EpochEnd(int epoch, double metric) => Step(epoch + 1, metric);

    /// <summary>step(epoch, metric): the warm-up's lr up to warmup_t, PyTorch's plateau step with the metric after it.</summary>
    public void Step(int epoch, double metric)
    {
        if (epoch <= _warmupT) _lrScheduler.Lrs[0] = _warmupLrInit + epoch * _warmupStep;
        else _lrScheduler.Step(metric);
    }
}
