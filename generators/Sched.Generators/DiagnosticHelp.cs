namespace Sched.Diagnostics;

/// <summary>
/// Where each SCHED diagnostic is explained: its section of docs/diagnostics.md, whose <c>&lt;a id="sched004"&gt;</c>
/// anchors stay put when a title changes. Compiled into the generator (Roslyn's help link) and the sched tool.
/// </summary>
internal static class DiagnosticHelp
{
    /// <summary>docs/diagnostics.md in the repository named by Directory.Build.props' RepositoryUrl.</summary>
    public const string Page = "https://example.invalid/sched/blob/main/docs/diagnostics.md";

    /// <summary>The section of one ID, e.g. <c>.../diagnostics.md#sched004</c>.</summary>
    public static string Link(string id) => Page + "#" + id.ToLowerInvariant();
}
