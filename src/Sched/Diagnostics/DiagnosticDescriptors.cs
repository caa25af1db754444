namespace Sched.Diagnostics;

/// <summary>
/// Every diagnostic the language reports. IDs are stable: never renumber, only add.
/// Each message says what is wrong and what to write instead. docs/diagnostics.md shows one example of each.
/// </summary>
public static class DiagnosticDescriptors
{
    /// <summary>docs/diagnostics.md in the repository named by Directory.Build.props' RepositoryUrl: it explains every diagnostic.</summary>
    public const string HelpBase = "https://example.invalid/sched/blob/main/docs/diagnostics.md";

    /// <summary>The section of one ID, e.g. <c>.../diagnostics.md#sched004</c>: its <c>&lt;a id&gt;</c> anchor stays put when a title changes.</summary>
    public static string HelpLinkFor(string id) => HelpBase + "#" + id.ToLowerInvariant();

    private const string Syntax = "Syntax";
    private const string Names = "Names";
    private const string Durations = "Durations";
    private const string Values = "Values";
    private const string Structure = "Structure";
    private const string Project = "Project";

    public static readonly DiagnosticDescriptor SyntaxError = Error("SCHED001", Syntax,
        "Syntax error", "syntax error: {0}");

    public static readonly DiagnosticDescriptor UnknownName = Error("SCHED002", Names,
        "Unknown name", "unknown {0} '{1}'{2}");

    public static readonly DiagnosticDescriptor TrackNameLooksMistyped = Warning("SCHED003", Names,
        "Custom track name close to a known track", "'{0}' is taken as a custom track; did you mean {1}?");

    public static readonly DiagnosticDescriptor DurationNeedsUnit = Error("SCHED004", Durations,
        "A duration needs a unit", "a duration needs a unit: ep, it or %; {0}");

    public static readonly DiagnosticDescriptor RestTwice = Error("SCHED005", Durations,
        "'rest' used twice in a track", "'rest' may appear once per track; give this segment an explicit duration such as '10ep'");

    public static readonly DiagnosticDescriptor NeedsTotal = Error("SCHED006", Durations,
        "A duration needs the schedule's total", "{0} needs the schedule's total: add 'over' with a length after the schedule's name, e.g. 'schedule {1} over 90ep'");

    public static readonly DiagnosticDescriptor LongerThanTotal = Error("SCHED007", Durations,
        "Segments longer than the total", "{0} lasts {1}, longer than the {2} available; shorten a segment or lengthen 'over'");

    public static readonly DiagnosticDescriptor PercentOver100 = Error("SCHED008", Durations,
        "Percentage over 100 %", "{0}% is more than the whole; a percentage is between 0% and 100%");

    public static readonly DiagnosticDescriptor ExpAcrossZero = Error("SCHED009", Values,
        "exp across zero", "exp({0} -> {1}) needs nonzero ends of the same sign; use a small end such as 1e-8 instead of 0, or lin/cos to cross zero");

    public static readonly DiagnosticDescriptor NotFinite = Error("SCHED010", Values,
        "Value is not a finite number", "this value is {0}; check for a division by zero, a log of a non-positive number or an overflow");

    public static readonly DiagnosticDescriptor LearningRateNegative = Error("SCHED011", Values,
        "Negative learning rate", "the learning rate reaches {0} at {1}; a learning rate must be 0 or more");

    public static readonly DiagnosticDescriptor LearningRateZero = Warning("SCHED012", Values,
        "Learning rate zero inside a segment", "the learning rate is 0 at {0}, inside a segment: training makes no progress there; use a small positive value such as 1e-8");

    public static readonly DiagnosticDescriptor OutOfRange = Error("SCHED013", Values,
        "Track value out of range", "{0} reaches {1} at {2}; {0} must lie in {3}");

    public static readonly DiagnosticDescriptor TrackShorterThanTotal = Warning("SCHED014", Durations,
        "Track shorter than the total", "track '{0}' lasts {1} of the {2}: it holds its last value to the end; end it with 'rest' to make that explicit");

    public static readonly DiagnosticDescriptor DuplicateName = Error("SCHED015", Names,
        "Duplicate name", "{0} '{1}' is already defined{2}; {3}");

    public static readonly DiagnosticDescriptor InvalidClassName = Error("SCHED016", Names,
        "Schedule name is not a valid C# class name", "'{0}' {1}; choose another name, e.g. '{2}'");

    public static readonly DiagnosticDescriptor ReservedName = Error("SCHED017", Names,
        "Reserved name", "'{0}' is reserved ({1}); choose another name, e.g. '{0}_'");

    public static readonly DiagnosticDescriptor NegativeDuration = Error("SCHED018", Durations,
        "Negative duration", "this duration is {0}; a duration must be 0 or more");

    public static readonly DiagnosticDescriptor MissingLearningRate = Error("SCHED019", Structure,
        "Missing lr track", "schedule '{0}' has no 'lr' track; add one, e.g. 'lr = cos(0.1 -> 0)'");

    public static readonly DiagnosticDescriptor WrongKind = Error("SCHED020", Structure,
        "Wrong kind of expression", "{0}");

    public static readonly DiagnosticDescriptor ProgressOutsideFn = Error("SCHED021", Values,
        "Progress variable outside fn or a modulation", "'{0}' is only defined inside fn(...) or in the m of 'A * m'; move the expression there");

    public static readonly DiagnosticDescriptor CycleOutsideRepeat = Error("SCHED022", Values,
        "'cycle' outside a repeat", "'cycle' is the index of the enclosing repeat and is only defined in values inside repeat {{ ... }}");

    public static readonly DiagnosticDescriptor BadArguments = Error("SCHED023", Structure,
        "Wrong arguments", "{0}");

    public static readonly DiagnosticDescriptor BodyLongerThanCycle = Error("SCHED024", Durations,
        "Repeat body longer than its cycle", "the repeat body lasts {0}, longer than its cycle of {1} ('every'); shorten the body or lengthen 'every'");

    public static readonly DiagnosticDescriptor PercentMixedInRepeat = Error("SCHED025", Durations,
        "% mixed with absolute durations in a repeat", "this repeat body mixes % with absolute durations; add 'every = ...' to say how long a cycle is, or use only %");

    public static readonly DiagnosticDescriptor RestMisplaced = Error("SCHED026", Durations,
        "'rest' where nothing remains to fill", "{0}");

    public static readonly DiagnosticDescriptor PercentRepeatNeedsCount = Error("SCHED027", Durations,
        "repeat of a %-only body without a count", "a repeat whose body uses only % needs a count, e.g. 'repeat(10) {{ ... }}', or 'every = ...'");

    public static readonly DiagnosticDescriptor RecursiveDef = Error("SCHED028", Names,
        "Recursive def", "def '{0}' calls itself (through {1}); a def cannot be recursive");

    public static readonly DiagnosticDescriptor BadRepeat = Error("SCHED029", Structure,
        "Invalid repeat", "{0}");

    public static readonly DiagnosticDescriptor TooDeep = Error("SCHED030", Syntax,
        "Nesting too deep", "{0}");

    public static readonly DiagnosticDescriptor NeedsStepsPerEpoch = Error("SCHED031", Durations,
        "Steps per epoch needed", "{0} counts in epochs and needs the number of steps in one epoch (stepsPerEpoch, 1 or more)");

    public static readonly DiagnosticDescriptor BadOverride = Error("SCHED032", Names,
        "Invalid parameter override", "{0}");

    public static readonly DiagnosticDescriptor ExpansionTooLarge = Error("SCHED033", Structure,
        "Defs expand too far", "defs in this file expand more than {0} times; a def that calls another several times doubles with each level: pass the shared part as an argument instead");

    public static readonly DiagnosticDescriptor SkipsPastEnd = Error("SCHED034", Durations,
        "'from' skips past the end", "'from' skips {0} of a track that lasts {1}; skip less, or lengthen the track before 'from'");

    public static readonly DiagnosticDescriptor FileTooLarge = Error("SCHED035", Structure,
        "File too large for the build", "{0}");

    public static readonly DiagnosticDescriptor NameTaken = Error("SCHED036", Names,
        "Schedule name taken by a type of the project", "{0}");

    public static readonly DiagnosticDescriptor Internal = Error("SCHED099", Structure,
        "Internal error", "internal error while processing this file: {0}; please report it with the file");

    /// <summary>About the project, not a file's text: its C# is older than generated classes need.</summary>
    public static readonly DiagnosticDescriptor CSharpTooOld = Error("SCHED100", Project,
        "C# too old for generated code", "{0}");

    /// <summary>All descriptors, in ID order.</summary>
    public static IReadOnlyList<DiagnosticDescriptor> All { get; } = typeof(DiagnosticDescriptors)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
        .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
        .OrderBy(d => d.Id, StringComparer.Ordinal)
        .ToArray();

    /// <summary>The entry with this ID, or null.</summary>
    public static DiagnosticDescriptor? Find(string id) => All.FirstOrDefault(d => d.Id == id);

    private static DiagnosticDescriptor Error(string id, string category, string title, string format) =>
        new(id, DiagnosticSeverity.Error, category, title, format);

    private static DiagnosticDescriptor Warning(string id, string category, string title, string format) =>
        new(id, DiagnosticSeverity.Warning, category, title, format);
}
