using System.Globalization;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Sched.TorchSharp;

/// <summary>
/// Keeps a second instance of a model as an average of the model's weights over training, updated where a schedule track says:
/// stochastic weight averaging (<see cref="AveragingRule.Swa"/>, PyTorch's <c>AveragedModel</c>) or an exponential moving average
/// (<see cref="AveragingRule.Ema"/>, PyTorch's <c>get_ema_multi_avg_fn</c>, timm's <c>ModelEmaV3</c>).
/// </summary>
/// <remarks>
/// Call <see cref="Step"/> after every <c>optimizer.step()</c>. It reads the track at <see cref="Position"/>, the 0-based index of the
/// step just taken, updates the averaged model if the track says so, and counts the step: <c>swa</c> is 1 after the steps whose
/// weights join the average (the last step of each epoch from the start of averaging, with the preset <c>swa_from</c>), <c>ema</c> is
/// the decay of the update after each step. The first update copies the model, as PyTorch's; the constructor copies it too, so the
/// averaged model is never left with its own initial weights.
/// <para>
/// Updates are in-place TorchSharp operations on detached views of both models' tensors, bound at construction: outside autograd, on
/// the models' device and dtype, with no managed allocation. Build the averager after moving both models to their device and dtype
/// and after loading their weights: <c>Module.to</c>, and <c>Module.load</c> on a GPU, replace a module's tensors, which
/// <see cref="Save"/> and <see cref="Load"/> then refuse to work with.
/// </para>
/// <para>
/// Checkpoints: <see cref="Save"/> writes the averaged weights, the update count (PyTorch's <c>n_averaged</c>) and the position;
/// <see cref="Load"/> restores them, so that a resumed run averages exactly as an uninterrupted one.
/// </para>
/// </remarks>
public sealed class ModelAverager : IDisposable
{
    private const string FormatName = "Sched.ModelAverager";
    private const int FormatVersion = 1;

    private readonly nn.Module _model, _averaged;
    private readonly AveragedTensor[] _tensors;
    private readonly AveragedTensor[] _interpolated, _copied;
    private readonly Tensor[] _weights;
    private readonly Tensor _weightStaging;
    private readonly int _track;
    private long _position, _updateCount;
    private bool _disposed;

    /// <summary>Binds the model's parameters and buffers to the averaged model's, by name, and copies the model into the averaged model.</summary>
    /// <param name="model">The model being trained.</param>
    /// <param name="averaged">A second instance of the model's architecture, on the same device and dtype, that holds the average.</param>
    /// <param name="schedule">The schedule with the track that says when and how much to average.</param>
    /// <param name="rule">Equal-weight SWA or EMA.</param>
    /// <param name="options">The track's name and the treatment of buffers; null: the rule's defaults.</param>
    /// <exception cref="ArgumentException">
    /// The schedule lacks the track; the model has no parameters; the two models differ in a tensor's name, shape, dtype or device; or
    /// they are the same module.
    /// </exception>
    public ModelAverager(nn.Module model, nn.Module averaged, ISchedule schedule, AveragingRule rule, AveragingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(averaged);
        ArgumentNullException.ThrowIfNull(schedule);
        if (!Enum.IsDefined(rule)) throw new ArgumentOutOfRangeException(nameof(rule), rule, "the rule is AveragingRule.Swa or AveragingRule.Ema");
        if (ReferenceEquals(model, averaged))
            throw new ArgumentException("the averaged model is the model itself; pass a second instance of its class (new Net()) to hold the average", nameof(averaged));
        options ??= new AveragingOptions();
        _model = model;
        _averaged = averaged;
        Schedule = schedule;
        Rule = rule;
        Track = options.Track ?? AveragingTracks.For(rule);
        _track = schedule.IndexOf(Track);
        if (_track < 0)
        {
            throw new ArgumentException(
                $"schedule '{schedule.Name}' has no '{Track}' track (it has {string.Join(", ", schedule.TrackNames)}); add one, e.g. "
                + (rule == AveragingRule.Swa ? "'swa = swa_from(160ep)'" : "'ema = timm_ema(0.9999)'")
                + ", or name the track to read in AveragingOptions.Track",
                nameof(schedule));
        }
        AverageBuffers = options.AverageBuffers ?? rule == AveragingRule.Ema;

        var parameters = Match("parameter", Named(model.named_parameters()), Named(averaged.named_parameters()));
        if (parameters.Count == 0)
            throw new ArgumentException($"{model.GetType().Name} has no parameters to average; pass the model whose weights the optimizer trains", nameof(model));
        var buffers = Match("buffer", Named(model.named_buffers()), Named(averaged.named_buffers()));

        _weightStaging = torch.zeros(Array.Empty<long>(), ScalarType.Float64).DetachFromDisposeScope();
        // One weight tensor per device and dtype: lerp_ takes its weight as a tensor of the tensors' own dtype.
        var weights = new Dictionary<(DeviceType, int, ScalarType), Tensor>();
        var tensors = new List<AveragedTensor>();
        foreach (var (name, source, target) in parameters) tensors.Add(Bind(name, "parameter", source, target, interpolate: true));
        foreach (var (name, source, target) in buffers) tensors.Add(Bind(name, "buffer", source, target, interpolate: AverageBuffers));
        _tensors = tensors.ToArray();
        _interpolated = _tensors.Where(t => t.Weight is not null).ToArray();
        _copied = _tensors.Where(t => t.Weight is null).ToArray();
        _weights = weights.Values.ToArray();

        // As PyTorch's deepcopy: the averaged model starts as the model, not as its own initialisation.
        foreach (AveragedTensor t in _tensors) t.TargetView.copy_(t.SourceView);

        AveragedTensor Bind(string name, string kind, Tensor source, Tensor target, bool interpolate)
        {
            Tensor? weight = null;
            // Integer tensors (BatchNorm's num_batches_tracked) are counters, not weights: they are copied, as timm does.
            if (interpolate && (source.is_floating_point() || source.is_complex()))
            {
                var key = (source.device_type, source.device_index, source.dtype);
                if (!weights.TryGetValue(key, out weight))
                {
                    weight = torch.zeros(Array.Empty<long>(), source.dtype, source.device).DetachFromDisposeScope();
                    weights.Add(key, weight);
                }
            }
            return new AveragedTensor(name, kind, source, target, weight);
        }
    }

    /// <summary>The schedule whose track drives the averaging.</summary>
    public ISchedule Schedule { get; }

    /// <summary>Equal-weight SWA or EMA.</summary>
    public AveragingRule Rule { get; }

    /// <summary>The name of the track read: <c>swa</c>, <c>ema</c>, or the one given in the options.</summary>
    public string Track { get; }

    /// <summary>Whether floating-point buffers are averaged (true) or copied from the model at every update (false).</summary>
    public bool AverageBuffers { get; }

    /// <summary>
    /// Optimizer steps counted so far: the 0-based index of the step the next <see cref="Step"/> reads the track at. Equal to the
    /// <see cref="ScheduleDriver.Position"/> of a driver stepped in the same loop; set it (or <see cref="Load"/>) to resume.
    /// </summary>
    public long Position
    {
        get => _position;
        set
        {
            if (value < 0) throw new ArgumentOutOfRangeException(nameof(value), value, "a position counts optimizer steps taken; it cannot be negative");
            _position = value;
        }
    }

    /// <summary>Updates made so far: the number of models averaged for SWA (PyTorch's <c>n_averaged</c>); 0 before the first, which copies.</summary>
    public long UpdateCount => _updateCount;

    /// <summary>
    /// Counts one optimizer step and updates the averaged model as the track says at that step. Call it after each
    /// <c>optimizer.step()</c>, every step: the track decides when averaging happens.
    /// </summary>
    /// <returns>Whether the averaged model was updated.</returns>
    /// <exception cref="InvalidOperationException">An <c>swa</c> value other than 0 or 1, or an <c>ema</c> decay outside [0, 1).</exception>
    public bool Step()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        long step = _position;
        double value = Schedule.Evaluate(_track, step);
        bool updated;
        if (Rule == AveragingRule.Swa)
        {
            if (value != 0 && value != 1) ThrowBadSwaValue(value, step);
            updated = value == 1;
            if (updated) Update(1.0 / (_updateCount + 1));
        }
        else
        {
            if (!(value >= 0 && value < 1)) ThrowBadDecay(value, step);
            Update(1 - value);
            updated = true;
        }
        _position = step + 1;
        return updated;
    }

    /// <summary>
    /// Writes the averager's state: its rule, track and buffer treatment (checked on load), <see cref="Position"/>,
    /// <see cref="UpdateCount"/>, and every averaged tensor by name in TorchSharp's tensor format (as <c>Module.save</c> writes them).
    /// </summary>
    /// <exception cref="InvalidOperationException">A module's tensors were replaced after the averager was built.</exception>
    public void Save(BinaryWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckBindings();
        writer.Write(FormatName);
        writer.Write(FormatVersion);
        writer.Write(Rule.ToString());
        writer.Write(Track);
        writer.Write(AverageBuffers);
        writer.Write(_position);
        writer.Write(_updateCount);
        writer.Write(_tensors.Length);
        foreach (AveragedTensor t in _tensors)
        {
            writer.Write(t.Name);
            t.TargetView.Save(writer);
        }
    }

    /// <summary>
    /// Reads what <see cref="Save"/> wrote into this averager and its averaged model: the weights, <see cref="UpdateCount"/> and
    /// <see cref="Position"/>. Everything is read and checked before anything changes.
    /// </summary>
    /// <exception cref="InvalidDataException">The data is not an averager's, or was saved with another rule, track, buffer treatment or architecture.</exception>
    public void Load(BinaryReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckBindings();
        string format = reader.ReadString();
        if (format != FormatName) throw new InvalidDataException($"expected a {FormatName} section, found '{format}'; read the averager's section where Save wrote it");
        int version = reader.ReadInt32();
        if (version != FormatVersion) throw new InvalidDataException($"the averager's state has format version {version}; this library reads version {FormatVersion}");
        string rule = reader.ReadString(), track = reader.ReadString();
        bool averageBuffers = reader.ReadBoolean();
        if (rule != Rule.ToString() || track != Track || averageBuffers != AverageBuffers)
        {
            throw new InvalidDataException(
                $"the averager's state was saved by {Describe(rule, track, averageBuffers)}; this averager is {Describe(Rule.ToString(), Track, AverageBuffers)}: build it with the same rule and options");
        }
        long position = reader.ReadInt64(), updateCount = reader.ReadInt64();
        if (position < 0 || updateCount < 0)
            throw new InvalidDataException($"the averager's state says {updateCount} updates at position {position}; the data is damaged");
        int count = reader.ReadInt32();
        if (count != _tensors.Length)
            throw new InvalidDataException($"the averager's state has {count} tensors; this averaged model has {_tensors.Length}: load it into the architecture it was saved from");

        var byName = _tensors.ToDictionary(t => t.Name);
        var loaded = new List<(AveragedTensor Into, Tensor Value)>(count);
        try
        {
            for (int i = 0; i < count; i++)
            {
                string name = reader.ReadString();
                Tensor value = TensorExtensionMethods.Load(reader).DetachFromDisposeScope();
                if (!byName.Remove(name, out AveragedTensor? into))
                {
                    value.Dispose();
                    throw new InvalidDataException($"the averager's state has a tensor '{name}' that this averaged model lacks (or has twice); load it into the architecture it was saved from");
                }
                loaded.Add((into, value));
                if (value.dtype != into.TargetView.dtype || !value.shape.SequenceEqual(into.TargetView.shape))
                {
                    throw new InvalidDataException(
                        $"'{name}' was saved as {value.dtype} [{string.Join(", ", value.shape)}]; this averaged model's is {into.TargetView.dtype} [{string.Join(", ", into.TargetView.shape)}]");
                }
            }
            foreach (var (into, value) in loaded) into.TargetView.copy_(value);
        }
        finally
        {
            foreach (var (_, value) in loaded) value.Dispose();
        }
        _position = position;
        _updateCount = updateCount;
    }

    /// <summary>Frees the averager's views and weights; the two models are the caller's and stay as they are.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (AveragedTensor t in _tensors) t.Dispose();
        foreach (Tensor w in _weights) w.Dispose();
        _weightStaging.Dispose();
    }

    // modelWeight: 1 / (n + 1) for SWA, 1 - d for EMA; the first update, and a weight of 1, copy.
    private void Update(double modelWeight)
    {
        bool copy = _updateCount == 0 || modelWeight == 1;
        if (!copy)
        {
            // A CPU staging scalar written through its bytes, then copied (and cast) to each device and dtype: no Scalar object per update.
            MemoryMarshal.Write(_weightStaging.bytes, in modelWeight);
            foreach (Tensor weight in _weights) weight.copy_(_weightStaging);
        }
        foreach (AveragedTensor t in _interpolated)
        {
            if (copy) t.TargetView.copy_(t.SourceView);
            else t.TargetView.lerp_(t.SourceView, t.Weight!);
        }
        foreach (AveragedTensor t in _copied) t.TargetView.copy_(t.SourceView);
        _updateCount++;
    }

    private void CheckBindings()
    {
        Check(_model, "model", t => t.Source);
        Check(_averaged, "averaged model", t => t.Target);

        void Check(nn.Module module, string which, Func<AveragedTensor, Tensor> bound)
        {
            var current = Named(module.named_parameters()).Concat(Named(module.named_buffers())).ToDictionary(e => e.Name, e => e.Tensor);
            foreach (AveragedTensor t in _tensors)
            {
                if (!current.TryGetValue(t.Name, out Tensor? now) || !ReferenceEquals(now, bound(t)))
                {
                    throw new InvalidOperationException(
                        $"the {which}'s {t.Kind} '{t.Name}' is no longer the tensor this averager was built on (Module.to, or Module.load on a GPU, "
                        + "replaces a module's tensors); build the averager after moving and loading both models");
                }
            }
        }
    }

    private static List<(string Name, Tensor Source, Tensor Target)> Match(string kind, List<(string Name, Tensor Tensor)> model, List<(string Name, Tensor Tensor)> averaged)
    {
        var targets = new Dictionary<string, Tensor>();
        foreach (var (name, tensor) in averaged) targets.TryAdd(name, tensor);
        var pairs = new List<(string, Tensor, Tensor)>();
        foreach (var (name, source) in model)
        {
            if (!targets.Remove(name, out Tensor? target))
                throw new ArgumentException($"the averaged model has no {kind} '{name}', which the model has; pass a second instance of the model's own class", "averaged");
            if (ReferenceEquals(source, target))
                throw new ArgumentException($"the averaged model shares its {kind} '{name}' with the model; give it tensors of its own (a new instance of the model's class)", "averaged");
            if (!source.shape.SequenceEqual(target.shape))
            {
                throw new ArgumentException(
                    $"{kind} '{name}' is [{string.Join(", ", source.shape)}] in the model but [{string.Join(", ", target.shape)}] in the averaged model; pass a second instance built with the same arguments",
                    "averaged");
            }
            if (source.dtype != target.dtype)
                throw new ArgumentException($"{kind} '{name}' is {source.dtype} in the model but {target.dtype} in the averaged model; move it first: averaged.to(ScalarType.{source.dtype})", "averaged");
            if (source.device_type != target.device_type || source.device_index != target.device_index)
                throw new ArgumentException($"{kind} '{name}' is on {source.device} in the model but on {target.device} in the averaged model; move it first: averaged.to(model's device)", "averaged");
            pairs.Add((name, source, target));
        }
        if (targets.Count > 0)
            throw new ArgumentException($"the averaged model has a {kind} '{targets.Keys.First()}' that the model lacks; pass a second instance of the model's own class", "averaged");
        return pairs;
    }

    private static List<(string Name, Tensor Tensor)> Named<T>(IEnumerable<(string name, T tensor)> entries) where T : Tensor =>
        entries.Select(e => (e.name, (Tensor)e.tensor)).ToList();

    private static string Describe(string rule, string track, bool averageBuffers) =>
        $"{rule} on track '{track}' with buffers {(averageBuffers ? "averaged" : "copied")}";

    private void ThrowBadSwaValue(double value, long step) => throw new InvalidOperationException(
        $"track '{Track}' of schedule '{Schedule.Name}' is {value.ToString("R", CultureInfo.InvariantCulture)} at step {step}; an SWA track is 1 after the steps "
        + "whose weights join the average and 0 elsewhere: write it with swa_from(start, period), or with const(0, ...) and const(1, ...)");

    private void ThrowBadDecay(double value, long step) => throw new InvalidOperationException(
        $"track '{Track}' of schedule '{Schedule.Name}' is {value.ToString("R", CultureInfo.InvariantCulture)} at step {step}; an EMA decay lies in [0, 1) "
        + "(0 copies the model, 0.999 keeps 99.9 % of the average): write e.g. timm_ema(0.9999) or timm_ema_warmup()");
}
