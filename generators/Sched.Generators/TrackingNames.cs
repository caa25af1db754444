namespace Sched.Generators;

/// <summary>Names of the pipeline's stages, so tests can check what each run recomputed.</summary>
public static class TrackingNames
{
    public const string ScheduleFiles = nameof(ScheduleFiles);
    public const string RootNamespace = nameof(RootNamespace);
    public const string LanguageVersion = nameof(LanguageVersion);
    public const string Generated = nameof(Generated);
    public const string Diagnostics = nameof(Diagnostics);
    public const string Sources = nameof(Sources);
}
