using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Sched.Generators.Tests;

/// <summary>
/// Generated classes compile, without a warning, in every C# a project referencing the package may use: C# 6 to 7.3 (a
/// netstandard2.0 library's default) with nullable off, and C# 8 and later with nullable on or off. Older C# gets one SCHED100.
/// </summary>
public sealed class LanguageVersionTests
{
    public static TheoryData<LanguageVersion, NullableContextOptions> Targets() => new()
    {
        { LanguageVersion.CSharp7_3, NullableContextOptions.Disable },
        { LanguageVersion.CSharp6, NullableContextOptions.Disable },
        { LanguageVersion.CSharp8, NullableContextOptions.Disable },
        { LanguageVersion.CSharp8, NullableContextOptions.Enable },
        { LanguageVersion.CSharp12, NullableContextOptions.Disable },
        { LanguageVersion.CSharp12, NullableContextOptions.Enable },
    };

    [Theory]
    [MemberData(nameof(Targets))]
    public void Every_sample_compiles_without_a_diagnostic(LanguageVersion version, NullableContextOptions nullable)
    {
        var files = Directory.GetFiles(Path.Combine(GeneratorHarness.RepositoryRoot(), "samples", "Schedules"), "*.sched")
            .Select(path => new InMemoryAdditionalText(path, File.ReadAllText(path)))
            .ToArray();
        var parseOptions = new CSharpParseOptions(version, DocumentationMode.Diagnose);
        var compilation = GeneratorHarness.NewCompilation("Samples" + version)
            .WithOptions(GeneratorHarness.NewCompilation("x").Options.WithNullableContextOptions(nullable));

        var driver = GeneratorHarness.NewDriver(files, parseOptions: parseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out var driverDiagnostics);

        var generated = driver.GetRunResult().Results.Single().GeneratedSources;
        Assert.True(generated.Length >= files.Length, $"expected a class per sample, got {generated.Length}");
        Assert.Empty(driverDiagnostics);
        // Every tree is parsed as this C#: the generator's text is what a project of that version would compile.
        Assert.All(output.SyntaxTrees, tree => Assert.Equal(version, ((CSharpParseOptions)tree.Options).LanguageVersion));
        var diagnostics = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()).ToArray();
        Assert.True(diagnostics.Length == 0, string.Join("\n", diagnostics.Take(20)));
        bool directive = version >= LanguageVersion.CSharp8;
        Assert.All(generated, source => Assert.Equal(directive, source.SourceText.ToString().Contains("#nullable enable", StringComparison.Ordinal)));
    }

    [Fact]
    public void CSharp_5_gets_one_located_error_and_no_class()
    {
        var files = new[]
        {
            new InMemoryAdditionalText("Schedules/B.sched", "schedule B over 10it { lr = 0.1 }\n"),
            new InMemoryAdditionalText("Schedules/A.sched", "schedule A over 10it { lr = 0.1 }\n"),
        };
        var compilation = GeneratorHarness.NewCompilation("Old").WithOptions(GeneratorHarness.NewCompilation("x").Options.WithNullableContextOptions(NullableContextOptions.Disable));
        var driver = GeneratorHarness.NewDriver(files, parseOptions: new CSharpParseOptions(LanguageVersion.CSharp5))
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);

        Assert.Empty(driver.GetRunResult().Results.Single().GeneratedSources);
        var error = Assert.Single(diagnostics);
        Assert.Equal("Schedules/A.sched(1,1): error SCHED100: the classes generated from .sched files need C# 6 or newer, and this project compiles C# 5: " +
            "set <LangVersion>7.3</LangVersion> or later, or remove LangVersion to take the SDK's default", GeneratorHarness.Format(error));
        Assert.Equal("https://example.invalid/sched/blob/main/docs/diagnostics.md#sched100", error.Descriptor.HelpLinkUri);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning));
    }

    [Fact]
    public void Changing_the_language_version_within_CSharp_8_and_later_regenerates_nothing()
    {
        var files = new[] { new InMemoryAdditionalText("Schedules/A.sched", "schedule A over 10it { lr = lin(0.1 -> 0.01, rest) }\n") };
        var driver = GeneratorHarness.NewDriver(files, trackSteps: true, parseOptions: new CSharpParseOptions(LanguageVersion.CSharp10))
            .RunGenerators(GeneratorHarness.NewCompilation("A"));

        var result = driver.WithUpdatedParseOptions(new CSharpParseOptions(LanguageVersion.CSharp12)).RunGenerators(GeneratorHarness.NewCompilation("A"))
            .GetRunResult().Results.Single();

        Assert.All(result.TrackedSteps[TrackingNames.LanguageVersion].SelectMany(step => step.Outputs),
            output => Assert.Equal(IncrementalStepRunReason.Unchanged, output.Reason));
        Assert.All(result.TrackedSteps[TrackingNames.Generated].SelectMany(step => step.Outputs),
            output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
    }

    [Fact]
    public void A_CSharp_7_3_class_evaluates_as_the_interpreter()
    {
        const string text = "schedule W(peak = 0.1, warm = 2ep) over 10ep {\n    lr = lin(0 -> peak, warm) + cos(peak -> 0, rest)\n    mom = 0.9\n}\n";
        var parseOptions = new CSharpParseOptions(LanguageVersion.CSharp7_3);
        var compilation = GeneratorHarness.NewCompilation("W73").WithOptions(GeneratorHarness.NewCompilation("x").Options.WithNullableContextOptions(NullableContextOptions.Disable));
        GeneratorHarness.NewDriver(new[] { new InMemoryAdditionalText("W.sched", text) }, parseOptions: parseOptions)
            .RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);

        using var loaded = GeneratorHarness.Load(output);
        var type = loaded.Assembly.GetType(GeneratorHarness.RootNamespace + ".W")!;
        var schedule = (ISchedule)Activator.CreateInstance(type, 5, 0.2, (Duration?)Duration.Steps(5))!;
        var interpreted = Schedule.Parse(text).Create(5, new Dictionary<string, string> { ["peak"] = "0.2", ["warm"] = "5it" });
        Assert.Equal(1, schedule.IndexOf("momentum"));
        Assert.Equal(1, schedule.IndexOf("mom"));
        Assert.Equal(-1, schedule.IndexOf("beta2"));
        // lin(0 -> 0.2) over 5 steps: 0.04 per step; then held at 0.9 momentum.
        Assert.Equal(0.12, schedule.Evaluate(0, 3), 15);
        Assert.Equal(0.9, schedule.Evaluate(1, 3));
        foreach (double step in new[] { 0, 2.5, 5, 17, 50 }) Assert.Equal(interpreted.Evaluate(0, step), schedule.Evaluate(0, step));
        Assert.Throws<ArgumentOutOfRangeException>(() => schedule.Evaluate(2, 0));
    }
}
