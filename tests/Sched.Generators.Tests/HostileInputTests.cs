using Microsoft.CodeAnalysis;

namespace Sched.Generators.Tests;

/// <summary>
/// Inputs the language accepts but C# may not: names that are C# keywords or collide with what generated code
/// declares, line separators in comments, odd file names, classes of the same name. For each, the build either
/// reports a SCHED error or generates a class that compiles and equals the interpreter.
/// </summary>
public sealed class HostileInputTests
{
    public static TheoryData<string> ScheduleNames() => new(
        "E0", "L0", "E1", "FileText", "s_schedule", "s_trackNames", "_n0", "required", "var", "record", "file", "scoped",
        "warmup", "_", "__", "Math", "Shapes", "Sched", "System", "ISchedule", "Duration", "LearningRate", "Momentum");

    public static TheoryData<string> ParameterNames() => new(
        "base", "int", "new", "this", "in", "out", "object", "names", "values", "n", "_n0", "_n3", "stepsPerEpoch", "StepsPerEpoch",
        "s_schedule", "FileText", "ScheduleName", "global", "var", "value", "warmValue", "@peak");

    public static TheoryData<string> TrackNames() => new(
        "file_text", "fileText", "s_schedule", "s_track_names", "e0", "l_0", "_n0", "track", "total_steps", "steps_per_epoch", "index_of",
        "evaluate", "to_string", "get_hash_code", "get_type", "finalize", "memberwise_clone", "learning_rate", "class", "namespace_", "x__y", "_");

    [Theory]
    [MemberData(nameof(ScheduleNames))]
    public void ScheduleName(string name) => AssertRejectedOrSound($$"""
        schedule {{name}}(peak = 0.1) over 10ep {
            lr = lin(peak / 10 -> peak, 2ep) + cos(peak -> 0.001, rest)
        }
        """);

    [Theory]
    [MemberData(nameof(ParameterNames))]
    public void ParameterName(string name) => AssertRejectedOrSound($$"""
        schedule P({{name}} = 0.1, warm = 2ep) over 10ep {
            lr = lin({{name}} / 10 -> {{name}}, warm) + cos({{name}} -> 0.001, rest)
        }
        """, overrides: new Dictionary<string, double> { [name.TrimStart('@')] = 0.05 });

    [Theory]
    [MemberData(nameof(TrackNames))]
    public void TrackName(string name) => AssertRejectedOrSound($$"""
        schedule T over 10ep {
            lr = cos(0.1 -> 0.001)
            {{name}} = lin(1 -> 2, rest)
        }
        """);

    // C# ends a line at \r, U+0085, U+2028 and U+2029 too; a comment copied into /// docs must not spill into code.
    [Theory]
    [InlineData("\u2028")]
    [InlineData("\u2029")]
    [InlineData("\u0085")]
    [InlineData("\r")]
    public void LineSeparatorInComments(string separator) => AssertRejectedOrSound($$"""
        /// Docs{{separator}}} class Injected { }
        schedule Doc over 10ep {
            // body comment{{separator}}} class AlsoInjected { }
            lr = cos(0.1 -> 0.001)
        }
        """);

    [Theory]
    [InlineData("Schedules/we\"ird.sched")]
    [InlineData("Schedules/back\\slash.sched")]
    [InlineData("Schedules/new\nline.sched")]
    [InlineData("Schedules/caf\u00e9 <&>.sched")]
    public void OddFileName(string path) => AssertRejectedOrSound("""
        schedule Named over 10ep {
            lr = cos(0.1 -> 0.001)
        }
        """, path);

    [Fact]
    public void XmlInDocComment_IsEscaped() => AssertRejectedOrSound("""
        /// <summary>not closed & <b>bold</b> ]]> <!-- "quoted" -->
        schedule Xml over 10ep {
            lr = cos(0.1 -> 0.001)
        }
        """);

    // Roslyn compares hint names ignoring case: Warm and Warm_ in one file either both generate or are a SCHED error, never a crash.
    [Fact]
    public void SchedulesWhoseNamesDifferOnlyInCase_DoNotCrashTheGenerator()
    {
        var outcome = GeneratorHarness.Run("Schedules/Case.sched", """
            schedule Warm over 10ep { lr = cos(0.1 -> 0.001) }
            schedule WARM over 10ep { lr = cos(0.2 -> 0.002) }
            """);
        Assert.Null(outcome.Result.Exception);
        Assert.DoesNotContain(outcome.DriverDiagnostics, d => !d.Id.StartsWith("SCHED", StringComparison.Ordinal));
        bool rejected = outcome.Result.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
        Assert.True(rejected || outcome.Result.GeneratedSources.Length == 2, "one class was dropped without a SCHED error");
        Assert.Empty(outcome.CompileDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    // Two files of one namespace defining the same schedule: docs/language.md §2 makes names unique per namespace, so say so in SCHED terms.
    [Fact]
    public void SameScheduleInTwoFiles_IsASchedDiagnostic_NotAGeneratorCrash()
    {
        var outcome = GeneratorHarness.Run(new[]
        {
            new InMemoryAdditionalText("Schedules/One.sched", "schedule Twin over 10ep { lr = cos(0.1 -> 0.001) }"),
            new InMemoryAdditionalText("Schedules/Two.sched", "schedule Twin over 20ep { lr = cos(0.1 -> 0.001) }"),
        });
        Assert.Null(outcome.Result.Exception);
        Assert.DoesNotContain(outcome.DriverDiagnostics, d => d.Id is "CS8785" or "CS8784");
        // The later definition is the error and points at the first; neither becomes a class.
        var error = Assert.Single(outcome.Result.Diagnostics, d => d.Severity == DiagnosticSeverity.Error);
        Assert.Equal("Schedules/Two.sched(1,10): error SCHED015: schedule 'Twin' is already defined in namespace 'Sched.Tests.Generated' by One.sched(1,10); rename one of them or give the files different namespaces",
            GeneratorHarness.Format(error));
        Assert.Empty(outcome.Result.GeneratedSources);
    }

    /// <summary>A type of the project's own under a schedule's name is one located SCHED036, not a wall of CS errors; a partial class extends the generated one.</summary>
    [Theory]
    [InlineData("namespace Sched.Tests.Generated { public class Warmup { } }", true)]
    [InlineData("namespace Sched.Tests.Generated { public struct Warmup { } }", true)]
    [InlineData("namespace Sched.Tests.Generated { public partial class Warmup { public double Twice(double s) => 2 * LearningRate(s); } }", false)]
    [InlineData("namespace Other { public class Warmup { } }", false)]
    public void A_schedule_named_like_a_type_of_the_project_is_a_located_diagnostic(string csharp, bool taken)
    {
        var driver = GeneratorHarness.NewDriver(new[] { new InMemoryAdditionalText("Schedules/Warmup.sched", "schedule Warmup over 10it { lr = lin(0 -> 0.1) }") });
        var compilation = GeneratorHarness.NewCompilation("Taken", fast: false, Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(csharp, GeneratorHarness.ParseOptions));
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        var result = driver.GetRunResult().Results.Single();
        var errors = output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        if (taken)
        {
            var diagnostic = Assert.Single(result.Diagnostics);
            Assert.Equal("Schedules/Warmup.sched(1,10): error SCHED036: your project already has a type 'Warmup' in namespace 'Sched.Tests.Generated'; rename the schedule, give its file another namespace, or declare your type as 'partial class Warmup' to extend the generated class",
                GeneratorHarness.Format(diagnostic));
            Assert.Empty(result.GeneratedSources);
        }
        else
        {
            Assert.Empty(result.Diagnostics);
            Assert.Single(result.GeneratedSources);
        }
    }

    // The build checks lengths at two stand-in steps-per-epoch and reports only problems found at both; a schedule
    // with a different problem at each is then neither reported nor generated, and the user gets CS0246 elsewhere.
    [Fact]
    public void ScheduleTheCheckerAccepts_GetsAClass()
    {
        const string text = """
            schedule Silent over 11ep {
                lr = lin(0.1 -> 0.2, 10ep + 100it) + const(0.2, rest)
                wd = const(0.1, 5it - 1ep) + const(0.1, rest)
            }
            """;
        var outcome = GeneratorHarness.Run("Schedules/Silent.sched", text);
        bool rejected = outcome.Result.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
        Assert.True(rejected || outcome.Result.GeneratedSources.Length == 1,
            "no SCHED error and no class: " + string.Join("; ", outcome.Result.Diagnostics.Select(GeneratorHarness.Format)));
    }

    /// <summary>
    /// Either the build rejects the text with a SCHED error, or its class compiles without warnings and equals the
    /// interpreter with default arguments (and with <paramref name="overrides"/>).
    /// </summary>
    private static void AssertRejectedOrSound(string text, string path = "Schedules/Hostile.sched", IReadOnlyDictionary<string, double>? overrides = null)
    {
        var outcome = GeneratorHarness.Run(path, text);
        Assert.Null(outcome.Result.Exception);
        Assert.DoesNotContain(outcome.DriverDiagnostics.Concat(outcome.Result.Diagnostics), d => !d.Id.StartsWith("SCHED", StringComparison.Ordinal));
        if (outcome.Result.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error)) return;

        Assert.NotEmpty(outcome.Result.GeneratedSources);
        var problems = outcome.CompileDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).ToArray();
        Assert.True(problems.Length == 0, "the generated code does not compile cleanly:\n" + string.Join("\n", problems.Take(10).Select(p => p.ToString())));

        using var loaded = GeneratorHarness.Load(outcome.Output);
        foreach (var definition in Schedule.ParseAll(text))
        {
            var type = loaded.Assembly.GetTypes().Single(t => t.Name == definition.Name && typeof(ISchedule).IsAssignableFrom(t));
            foreach (var set in overrides is null ? new IReadOnlyDictionary<string, double>?[] { null } : new[] { null, overrides })
            {
                var interpreted = definition.Create(10, set?.ToDictionary(kv => kv.Key, kv => Differential.R(kv.Value)));
                var generated = SampleDifferentialTests.Construct(type, definition.UsesEpochs, 10, set);
                string? difference = Differential.FirstDifference(interpreted, generated);
                Assert.True(difference is null, $"{definition.Name}{(set is null ? "" : " with arguments")}: {difference}");
            }
        }
    }
}
