using System.Globalization;
using System.Text;
using Sched.Text;

namespace Sched.Model;

/// <summary>
/// Receives the members a laid schedule's generated code reads, in one fixed order: numbers, arrays of numbers, and
/// nodes it hands back to the interpreter. The generator names them (fields); a generated constructor takes their
/// values from the same walk (<see cref="LaidSchedule.Members"/>), so names and values agree by construction.
/// </summary>
internal abstract class NumberVisitor
{
    public abstract void Add(object owner, string slot, string name, double value);

    public abstract void AddArray(object owner, string slot, string name, double[] values);

    public abstract void AddObject(object owner, string slot, string name, object value, string type);

    /// <summary>The name of part <paramref name="index"/> of the node named <paramref name="name"/>: <c>lr0</c>, <c>lr1_2</c>.</summary>
    public static string Child(string name, int index) =>
        name + (char.IsDigit(name[name.Length - 1]) ? "_" : "") + index.ToString(CultureInfo.InvariantCulture);
}

/// <summary>The values of a laid schedule's members, in <see cref="NumberVisitor"/> order.</summary>
public sealed class LaidMembers
{
    internal LaidMembers(double[] numbers, double[][] arrays, object[] objects)
    {
        Numbers = numbers;
        Arrays = arrays;
        Objects = objects;
    }

    public double[] Numbers { get; }

    public double[][] Arrays { get; }

    public object[] Objects { get; }

    internal sealed class Collector : NumberVisitor
    {
        public readonly List<double> Numbers = new();
        public readonly List<double[]> Arrays = new();
        public readonly List<object> Objects = new();

        public override void Add(object owner, string slot, string name, double value) => Numbers.Add(value);

        public override void AddArray(object owner, string slot, string name, double[] values) => Arrays.Add(values);

        public override void AddObject(object owner, string slot, string name, object value, string type) => Objects.Add(value);
    }
}

/// <summary>Where a node's generated code places it: C# expressions for its start and scale (docs/language.md §7).</summary>
internal readonly struct Placement
{
    public Placement(string start, string scale)
    {
        Start = start;
        Scale = scale;
    }

    /// <summary>The track's own start: position 0, scale 1.</summary>
    public static Placement Track => new("0", "1");

    public string Start { get; }

    public string Scale { get; }

    /// <summary>
    /// <c>start + offset * scale</c>, written without the operations that change nothing (<c>0 +</c>, <c>* 1</c>): adding 0
    /// and multiplying by 1 are exact, so the value is the interpreter's to the bit.
    /// </summary>
    public string Plus(string offset)
    {
        string scaled = Scale == "1" ? offset : $"{offset} * {Scale}";
        return Start == "0" ? scaled : $"{Start} + {scaled}";
    }

    /// <summary><c>length * scale</c>, the length of something placed here.</summary>
    public string Scaled(string length) => Scale == "1" ? length : $"{length} * {Scale}";
}

/// <summary>
/// Writes the body of a generated track method: statements, and value expressions over the method's locals. Names of
/// members come from the <see cref="NumberVisitor"/> walk; locals are fresh per node so nested blocks never clash.
/// </summary>
internal sealed class CSharpWriter
{
    private readonly StringBuilder _lines = new();
    private readonly Func<object, string, string> _member;

    // Asked for only when code reads them, so a class whose code never does gets no field for them.
    private readonly Func<string> _total;
    private readonly Func<string> _stepsPerEpoch;
    private StringBuilder _expression = new();
    private int _indent;
    private int _locals;

    public CSharpWriter(Func<object, string, string> member, string position, Func<string> total, Func<string> stepsPerEpoch, int indent)
    {
        _member = member;
        Position = position;
        _total = total;
        _stepsPerEpoch = stepsPerEpoch;
        _indent = indent;
    }

    /// <summary>The local holding the position values read (<c>step</c>); quantized inside <c>by</c>.</summary>
    public string Position { get; set; }

    /// <summary>The local holding <c>p</c> for the value being written.</summary>
    public string Progress { get; set; } = "0";

    /// <summary>The local holding the innermost repeat's cycle index.</summary>
    public string Cycle { get; set; } = "0";

    public string Total => _total();

    public string StepsPerEpoch => _stepsPerEpoch();

    public string Text => _lines.ToString();

    /// <summary>The field of a number (an owner's slot, or a constant value itself).</summary>
    public string Number(object owner, string slot = "") => _member(owner, slot);

    public string Array(object owner) => _member(owner, "Items");

    /// <summary>A value the interpreter evaluates, on a frame of the method's locals (rare constructs).</summary>
    public string Interpret(ValueNode value) =>
        $"{_member(value, "Node")}.Evaluate(ref {Frame()})";

    /// <summary>A node the interpreter evaluates at the method's position, placed as the generated code places it.</summary>
    public string InterpretNode(LaidNode node, Placement at) =>
        $"{_member(node, "Node")}.Value(ref {Frame()}, {at.Start}, {at.Scale}, {Position})";

    /// <summary>A node's end value from the interpreter: a held value, computed with the position at <paramref name="end"/>.</summary>
    public string InterpretEnd(object owner, string slot, Placement at, string end) =>
        $"{_member(owner, slot)}.End(ref {Frame()}, {at.Start}, {at.Scale}, {end})";

    /// <summary>A frame made of the locals in scope, for handing a node to the interpreter.</summary>
    public string Frame()
    {
        string frame = Fresh("frame");
        Line($"var {frame} = new global::Sched.Model.Frame {{ X = {Position}, Total = {Total}, StepsPerEpoch = {StepsPerEpoch}, P = {Progress}, Cycle = {Cycle} }};");
        return frame;
    }

    public string Fresh(string stem) => stem + (++_locals).ToString(CultureInfo.InvariantCulture);

    public void Line(string line) => _lines.Append(' ', _indent * 4).Append(line).Append('\n');

    public void Open(string header)
    {
        Line(header);
        Line("{");
        _indent++;
    }

    public void Close()
    {
        _indent--;
        Line("}");
    }

    /// <summary>Appends to the value expression being written.</summary>
    public void Write(string text) => _expression.Append(text);

    /// <summary>The C# expression of a laid value.</summary>
    public string Expression(ValueNode value)
    {
        var saved = _expression;
        _expression = new StringBuilder();
        value.Emit(this);
        string text = _expression.ToString();
        _expression = saved;
        return text;
    }

    /// <summary>Binds an expression to a fresh local when it is more than a name, so it is computed once and reads well.</summary>
    /// <summary>A local holding <c>p</c> of <paramref name="owner"/>'s part placed at <paramref name="at"/>, from its <c>Length</c> member: <c>Timeline.Progress</c>, as the laid node computes it.</summary>
    public string ProgressLocal(object owner, Placement at) =>
        Local("p", $"global::Sched.Model.Timeline.Progress({Position}, {at.Start}, {at.Scaled(Number(owner, "Length"))})");

    public string Local(string stem, string expression)
    {
        if (IsName(expression)) return expression;
        string name = Fresh(stem);
        Line($"double {name} = {expression};");
        return name;
    }

    private static bool IsName(string text) => text.All(c => char.IsLetterOrDigit(c) || c == '_' || c == '.');
}

/// <summary>Writes C# that constructs a bound schedule, for generated classes to carry the model the build checked.</summary>
internal sealed class ModelWriter
{
    private const string Model = "global::Sched.Model.";

    /// <summary>Parts per generated method: one expression of thousands of parts takes the compiler minutes, statements do not.</summary>
    private const int PartsPerMethod = 256;

    private readonly StringBuilder _methods = new();
    private int _methodCount;

    /// <summary>The methods that build long sequences of parts, to be written beside the expression that calls them.</summary>
    public string Methods => _methods.ToString();

    public string New(string type, TextSpan span, params string[] arguments) =>
        $"new {Model}{type}({string.Join(", ", new[] { Span(span) }.Concat(arguments))})";

    public string Span(TextSpan span) => $"__S({Int(span.Start)}, {Int(span.Length)})";

    public string Double(double value)
    {
        if (double.IsNaN(value)) return "double.NaN";
        if (double.IsPositiveInfinity(value)) return "double.PositiveInfinity";
        if (double.IsNegativeInfinity(value)) return "double.NegativeInfinity";
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.IndexOfAny(new[] { '.', 'E' }) >= 0 ? text : text + ".0";
    }

    public string Int(int value) => value.ToString(CultureInfo.InvariantCulture);

    public string Bool(bool value) => value ? "true" : "false";

    public string Bools(IEnumerable<bool> values) => $"new bool[] {{ {string.Join(", ", values.Select(Bool))} }}";

    public string String(string value) => Quote(value);

    public string Value(ValueNode? value) => value is null ? "null" : value.WriteModel(this);

    public string Values(IEnumerable<ValueNode> values) => $"new {Model}ValueNode[] {{ {string.Join(", ", values.Select(Value))} }}";

    public string Duration(DurationNode? duration) => duration is null ? "null" : duration.WriteModel(this);

    public string Durations(IEnumerable<DurationNode> durations) => $"new {Model}DurationNode[] {{ {string.Join(", ", durations.Select(Duration))} }}";

    public string Track(TrackNode track) => track.WriteModel(this);

    public string Tracks(IEnumerable<TrackNode> tracks)
    {
        var parts = tracks.ToList();
        if (parts.Count <= PartsPerMethod) return $"new {Model}TrackNode[] {{ {string.Join(", ", parts.Select(Track))} }}";
        string name = "__Parts" + _methodCount++.ToString(CultureInfo.InvariantCulture);
        var calls = new StringBuilder();
        calls.Append($"private static {Model}TrackNode[] {name}()\n{{\n    var parts = new {Model}TrackNode[{Int(parts.Count)}];\n");
        for (int start = 0, chunk = 0; start < parts.Count; start += PartsPerMethod, chunk++)
        {
            string chunkName = name + "_" + Int(chunk);
            calls.Append($"    {chunkName}(parts);\n");
            var fill = new StringBuilder($"private static void {chunkName}({Model}TrackNode[] parts)\n{{\n");
            for (int i = start; i < Math.Min(parts.Count, start + PartsPerMethod); i++) fill.Append($"    parts[{Int(i)}] = {Track(parts[i])};\n");
            _methods.Append(fill.Append("}\n\n"));
        }
        _methods.Append(calls.Append("    return parts;\n}\n\n"));
        return name + "()";
    }

    /// <summary>A C# string literal; every character that could end a line or escape is escaped.</summary>
    public static string Quote(string text)
    {
        var quoted = new StringBuilder("\"");
        foreach (char c in text)
        {
            switch (c)
            {
                case '\\': quoted.Append("\\\\"); break;
                case '"': quoted.Append("\\\""); break;
                case '\n': quoted.Append("\\n"); break;
                case '\r': quoted.Append("\\r"); break;
                case '\t': quoted.Append("\\t"); break;
                default:
                    if (c < ' ' || c > '~') quoted.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else quoted.Append(c);
                    break;
            }
        }
        return quoted.Append('"').ToString();
    }
}
