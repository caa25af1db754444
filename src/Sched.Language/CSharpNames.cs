using Sched.Diagnostics;
using Sched.Model;

namespace Sched.Language;

/// <summary>
/// C#'s rules for the class a schedule becomes (SCHED016). They bind only where a schedule becomes C#: the build and
/// <c>sched check</c>. <c>Schedule.Parse</c> takes any name the language does.
/// </summary>
public static class CSharpNames
{
    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const",
        "continue", "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern",
        "false", "finally", "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface",
        "internal", "is", "lock", "long", "namespace", "new", "null", "object", "operator", "out", "override",
        "params", "private", "protected", "public", "readonly", "ref", "return", "sbyte", "sealed", "short",
        "sizeof", "stackalloc", "static", "string", "struct", "switch", "this", "throw", "true", "try", "typeof",
        "uint", "ulong", "unchecked", "unsafe", "ushort", "using", "virtual", "void", "volatile", "while",
    };

    /// <summary>Contextual keywords that break a class of that name (<c>var x = ...</c> would mean the class).</summary>
    private static readonly HashSet<string> ContextualTypeKeywords = new(StringComparer.Ordinal)
    {
        "var", "dynamic", "record", "required", "file", "scoped", "nameof",
    };

    /// <summary>Members of every generated class (ISchedule and its helpers): a class named like one fails to compile.</summary>
    public static readonly IReadOnlyCollection<string> GeneratedMembers = new HashSet<string>(StringComparer.Ordinal)
    {
        "ScheduleName", "TotalSteps", "StepsPerEpoch", "TrackNames", "IndexOf", "Evaluate", "EvaluateAll", "Name",
        "Metrics", "Report", "SaveState", "RestoreState", "Create", "Parameters", "UsesEpochs",
    };

    /// <summary>Why <paramref name="name"/> cannot name a generated class, or null when it can.</summary>
    public static string? Problem(string name) =>
        Keywords.Contains(name) ? "is a C# keyword and cannot name a class"
        : ContextualTypeKeywords.Contains(name) ? "has a meaning of its own where C# expects a type, so it cannot name a class"
        : name.StartsWith("__", StringComparison.Ordinal) ? "starts with '__', which belongs to the members of generated classes"
        : GeneratedMembers.Contains(name) ? "is a member of every generated schedule class, and a class cannot share its member's name"
        : null;

    /// <summary>SCHED016 for each schedule of the file whose name C# cannot take.</summary>
    public static IEnumerable<Diagnostic> Check(FileAnalysis analysis)
    {
        foreach (var schedule in analysis.Schedules)
        {
            if (Check(schedule) is { } diagnostic) yield return diagnostic;
        }
    }

    /// <summary>SCHED016 for a schedule whose name C# cannot take, or null.</summary>
    public static Diagnostic? Check(ScheduleDefinition schedule) => Check(schedule.Model);

    /// <summary>SCHED016 for a schedule whose name C# cannot take, or null.</summary>
    public static Diagnostic? Check(ScheduleModel schedule)
    {
        if (Problem(schedule.Name) is not { } problem) return null;
        return DiagnosticDescriptors.InvalidClassName.Create(schedule.Source, schedule.NameSpan, schedule.Name, problem,
            char.ToUpperInvariant(schedule.Name[0]) + schedule.Name.Substring(1) + "Schedule");
    }
}
