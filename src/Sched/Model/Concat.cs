using System.Globalization;
using Sched.Text;

namespace Sched.Model;

/// <summary><c>A + B + …</c>: each part starts where the previous one ends.</summary>
public sealed class ConcatNode : TrackNode
{
    private readonly TrackNode[] _parts;

    public ConcatNode(TextSpan span, TrackNode[] parts)
        : base(span)
    {
        _parts = parts;
    }

    public IReadOnlyList<TrackNode> Parts => _parts;

    internal override LaidNode Lay(Layout layout, Length? percentBase, Length rest)
    {
        var parts = new LaidNode[_parts.Length];
        var offsets = new double[_parts.Length];
        var position = Length.Zero;
        for (int i = 0; i < parts.Length; i++)
        {
            parts[i] = _parts[i].Lay(layout, percentBase, rest);
            offsets[i] = position.Steps;
            position += parts[i].Length;
        }
        return new LaidConcat(Span, parts, offsets, position);
    }

    internal override string WriteModel(ModelWriter w) => w.New("ConcatNode", Span, w.Tracks(_parts));

    internal override DurationUse Uses => _parts.Aggregate(DurationUse.None, (use, part) => use | part.Uses);

    internal override void FindRests(RestFinder finder)
    {
        foreach (var part in _parts) part.FindRests(finder);
    }
}

/// <summary>
/// A sequence laid out: part i starts at <c>start + Offsets[i] × scale</c>, the offsets summed left to right; a position
/// belongs to the last part starting at or before it (docs/language.md §7).
/// </summary>
public sealed class LaidConcat : LaidNode
{
    /// <summary>Up to this many parts, generated code tests each start in turn; beyond, it searches the offsets.</summary>
    private const int LinearSearchParts = 8;

    /// <summary>Beyond this many parts, generated code hands the sequence to the interpreter.</summary>
    internal const int InterpretedParts = 64;

    private readonly LaidNode[] _parts;
    private readonly double[] _offsets;

    internal LaidConcat(TextSpan span, LaidNode[] parts, double[] offsets, Length length)
        : base(span, length)
    {
        _parts = parts;
        _offsets = offsets;
    }

    internal override IEnumerable<LaidNode> Parts => _parts;

    public override double Value(ref Frame frame, double start, double scale, double x)
    {
        int i = Timeline.PartAt(_offsets, start, scale, x);
        return _parts[i].Value(ref frame, start + _offsets[i] * scale, scale, x);
    }

    public override double End(ref Frame frame, double start, double scale, double end)
    {
        int last = _parts.Length - 1;
        return _parts[last].End(ref frame, start + _offsets[last] * scale, scale, end);
    }

    /// <summary>At a boundary, the part that ends there, or the last of the zero-length parts that start there.</summary>
    public override double Left(ref Frame frame, double start, double scale, double x)
    {
        int i = Timeline.PartBefore(_offsets, start, scale, x);
        int j = i;
        while (j + 1 < _parts.Length && start + _offsets[j + 1] * scale == x && _parts[j + 1].Length.Steps == 0) j++;
        if (j > i) return _parts[j].End(ref frame, start + _offsets[j] * scale, scale, x);
        double partStart = start + _offsets[i] * scale;
        if ((i + 1 < _parts.Length && start + _offsets[i + 1] * scale == x) || x >= partStart + _parts[i].Length.Steps * scale)
        {
            return _parts[i].End(ref frame, partStart, scale, x);
        }
        return _parts[i].Left(ref frame, partStart, scale, x);
    }

    internal override void Check(ValueChecker checker, Place place)
    {
        var offset = Length.Zero;
        for (int i = 0; i < _parts.Length && !checker.Done; i++)
        {
            _parts[i].Check(checker, place.At(place.Offset(offset)));
            offset += _parts[i].Length;
        }
    }

    internal override string Emit(CSharpWriter w, Placement at)
    {
        // A sequence too long to write out reads well and compiles fast as one call into the interpreter.
        if (_parts.Length > InterpretedParts) return w.InterpretNode(this, at);
        string result = w.Fresh("v");
        w.Line($"double {result};");
        if (_parts.Length > LinearSearchParts)
        {
            w.Open($"switch (global::Sched.Model.Timeline.PartAt({w.Number(this, "Offsets")}, {at.Start}, {at.Scale}, {w.Position}))");
            for (int i = 0; i < _parts.Length; i++)
            {
                w.Open(i == _parts.Length - 1 ? "default:" : $"case {i}:");
                EmitPart(w, at, i, result);
                w.Line("break;");
                w.Close();
            }
            w.Close();
            return result;
        }
        // Starts first, each computed once: the tests below and the parts they choose read the same locals.
        var starts = new string[_parts.Length];
        // The first part is chosen without a test: its start is computed only when the part reads it.
        for (int i = _parts.Length - 1; i >= 0; i--) starts[i] = i > 0 || _parts[0].EmitReadsStart ? w.Local("s", at.Plus(Offset(w, i))) : at.Start;
        for (int i = _parts.Length - 1; i >= 0; i--)
        {
            w.Open(i == _parts.Length - 1 ? $"if ({starts[i]} <= {w.Position})" : i > 0 ? $"else if ({starts[i]} <= {w.Position})" : "else");
            w.Line($"{result} = {_parts[i].Emit(w, new Placement(starts[i], at.Scale))};");
            w.Close();
        }
        return result;
    }

    private void EmitPart(CSharpWriter w, Placement at, int i, string result)
    {
        string start = w.Local("s", at.Plus(Offset(w, i)));
        w.Line($"{result} = {_parts[i].Emit(w, new Placement(start, at.Scale))};");
    }

    private string Offset(CSharpWriter w, int i) =>
        _parts.Length > LinearSearchParts ? $"{w.Number(this, "Offsets")}[{i}]" : w.Number(this, Slot(i));

    internal override void VisitMembers(NumberVisitor visitor, string name)
    {
        if (_parts.Length > InterpretedParts)
        {
            visitor.AddObject(this, "Node", name, this, "global::Sched.Model.LaidNode");
            return;
        }
        if (_parts.Length > LinearSearchParts) visitor.AddArray(this, "Offsets", name + "Offsets", _offsets);
        for (int i = 0; i < _parts.Length; i++)
        {
            string part = NumberVisitor.Child(name, i);
            if (_parts.Length <= LinearSearchParts) visitor.Add(this, Slot(i), part + "Offset", _offsets[i]);
            _parts[i].VisitMembers(visitor, part);
        }
    }

    private static string Slot(int i) => "Offset" + i.ToString(CultureInfo.InvariantCulture);

    internal override bool Reads(Variable variable) => _parts.Any(p => p.Reads(variable));

    internal override void Place(double start, double scale, List<LaidPlateau> plateaus)
    {
        for (int i = 0; i < _parts.Length; i++) _parts[i].Place(start + _offsets[i] * scale, scale, plateaus);
    }
}
