namespace Sched.Generators.Tests;

/// <summary>What the build tells the user must be in the user's terms (docs/language.md §9: say what to write instead).</summary>
public sealed class DiagnosticMessageTests
{
    // 'by epoch' makes the checker lay the schedule out with a stand-in epoch of 65536 steps; a schedule written in steps
    // must still hear about steps, not about 0.0001678466797 epochs of a stand-in it never chose.
    [Fact]
    public void ScheduleWrittenInSteps_QuantizedByEpoch_ReportsLengthsInSteps()
    {
        var outcome = GeneratorHarness.Run("Schedules/Steps.sched", """
            schedule Steps over 10it {
                lr = (lin(0.1 -> 0.2, 5it) + const(0.3, 6it)) by epoch
            }
            """);
        var message = outcome.Result.Diagnostics.Single(d => d.Id == "SCHED007").GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("11 steps", message, StringComparison.Ordinal);
        Assert.Contains("10 steps", message, StringComparison.Ordinal);
    }

    // Every build-time diagnostic is located inside the .sched file, on a real line and column.
    [Fact]
    public void EveryExample_IsLocatedInsideItsFile()
    {
        foreach (var (id, text) in DiagnosticExamples.ById)
        {
            var lines = text.Split('\n');
            foreach (var diagnostic in GeneratorHarness.Run($"Schedules/{id}.sched", text).Result.Diagnostics)
            {
                var span = diagnostic.Location.GetLineSpan();
                Assert.Equal($"Schedules/{id}.sched", span.Path);
                Assert.InRange(span.StartLinePosition.Line, 0, lines.Length - 1);
                Assert.InRange(span.StartLinePosition.Character, 0, lines[span.StartLinePosition.Line].Length);
                Assert.Equal(diagnostic.Location.SourceSpan.Start, Offset(lines, span.StartLinePosition));
            }
        }
    }

    /// <summary>The text offset of a 0-based line and column, for checking that the span and the line position agree.</summary>
    private static int Offset(string[] lines, Microsoft.CodeAnalysis.Text.LinePosition position) =>
        lines.Take(position.Line).Sum(line => line.Length + 1) + position.Character;
}
