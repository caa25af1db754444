using Sched.Model;

namespace Sched.Language.Binding;

/// <summary>Names the language reserves (docs/language.md §2) and the math functions it knows (§5).</summary>
internal static class BuiltIns
{
    public static readonly string[] Variables = { "p", "t", "step", "epoch", "cycle" };
    public static readonly string[] Constants = { "pi", "e" };
    public static readonly string[] Units = { "ep", "it" };
    public static readonly string[] Keywords = { "schedule", "def", "namespace", "over", "repeat", "by", "from", "rest", "mult", "every" };

    /// <summary>The segment shapes' names, from the shape table, and the phases that are segments of their own.</summary>
    public static IEnumerable<string> Segments => Shape.All.Select(s => s.Name).Concat(new[] { "plateau" });

    public static bool IsSegment(string name) => Shape.Find(name) is not null || name == "plateau";

    /// <summary>Math functions and their arity; -1: two or more arguments.</summary>
    public static readonly IReadOnlyDictionary<string, int> Functions = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["min"] = -1, ["max"] = -1, ["abs"] = 1, ["sqrt"] = 1, ["exp"] = 1, ["log"] = 1,
        ["sin"] = 1, ["cos"] = 1, ["tanh"] = 1, ["floor"] = 1, ["bisect"] = 2,
    };

    /// <summary>Why a name is reserved, or null when it is free.</summary>
    public static string? ReservedBecause(string name)
    {
        if (Array.IndexOf(Variables, name) >= 0) return "a variable of the language";
        if (Array.IndexOf(Constants, name) >= 0) return "a constant";
        if (Array.IndexOf(Units, name) >= 0) return "a unit";
        if (IsSegment(name)) return "a segment";
        if (Functions.ContainsKey(name)) return "a built-in function";
        if (Array.IndexOf(Keywords, name) >= 0) return "a keyword";
        if (name.StartsWith("__", StringComparison.Ordinal)) return "names starting with '__' belong to generated code";
        if (name == "stepsPerEpoch") return "the name of generated classes' steps-per-epoch argument";
        return null;
    }
}
