using Sched.Diagnostics;

namespace Sched;

/// <summary>
/// Schedule text that does not compile, or parameters that make it invalid. Carries every diagnostic,
/// each with its line and column; the message lists them in the compiler format.
/// </summary>
public sealed class ScheduleException : Exception
{
    public ScheduleException(IReadOnlyList<Diagnostic> diagnostics)
        : base(Format(diagnostics))
    {
        Diagnostics = diagnostics;
    }

    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    private static string Format(IReadOnlyList<Diagnostic> diagnostics) =>
        diagnostics.Count == 0 ? "invalid schedule" : string.Join(Environment.NewLine, diagnostics.Select(d => d.ToString()));
}
