using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Sched.Generators.Tests;

/// <summary>
/// The pipeline caches (STYLE.md, NetEscapades' TestHelpers): a C# edit recomputes nothing, a .sched edit
/// recomputes only that file, and no stage holds a Compilation, a symbol or a syntax node.
/// </summary>
public sealed class IncrementalTests
{
    private const string First = """
        namespace Incremental;

        schedule First(peak = 0.1) over 10ep {
            lr = lin(peak / 10 -> peak, 2ep) + cos(peak -> 0.001, rest)
            momentum = 0.9
        }
        """;

    private const string Second = """
        schedule Second over 300it {
            lr = repeat(3) { cos(0.05 -> 0.0005, 100it) }
        }
        """;

    private static readonly string[] StepNames = typeof(TrackingNames)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToArray();

    [Fact]
    public void UnrelatedCSharpEdit_EveryTrackedStepIsCachedOrUnchanged()
    {
        var (driver, compilation, _, _) = FirstRun();
        var tree = compilation.SyntaxTrees.Single();
        var edited = compilation.ReplaceSyntaxTree(tree, tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From("namespace User { public class Program { public static int Main() => 1; } }")));

        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (string name in StepNames)
        {
            Assert.True(result.TrackedSteps.ContainsKey(name), $"step {name} did not run");
            foreach (var step in result.TrackedSteps[name])
            {
                foreach (var (_, reason) in step.Outputs)
                {
                    Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"step {name} was {reason} after a C# edit");
                }
            }
        }
        Assert.All(result.TrackedOutputSteps.SelectMany(kv => kv.Value).SelectMany(step => step.Outputs),
            output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
        Assert.Equal(2, result.GeneratedSources.Length);
    }

    [Fact]
    public void EditingOneScheduleFile_RegeneratesOnlyThatFile()
    {
        var (driver, compilation, first, _) = FirstRun();
        var edited = new InMemoryAdditionalText(first.Path, First.Replace("peak = 0.1", "peak = 0.2"));

        var result = driver.ReplaceAdditionalText(first, edited).RunGenerators(compilation).GetRunResult().Results.Single();

        // Sources gathers every file's classes (to find one name in two files), so it reruns as a whole; the per-file stages must not.
        foreach (string name in new[] { TrackingNames.ScheduleFiles, TrackingNames.Generated, TrackingNames.Diagnostics })
        {
            var byFile = result.TrackedSteps[name].ToLookup(FileOf);
            Assert.Equal(new[] { "Schedules/First.sched", "Schedules/Second.sched" }, byFile.Select(g => g.Key).Order(StringComparer.Ordinal));
            // The edited file had no diagnostics before and has none after: an equal (empty) list is Unchanged.
            var expected = name == TrackingNames.Diagnostics ? new[] { IncrementalStepRunReason.Unchanged } : new[] { IncrementalStepRunReason.New, IncrementalStepRunReason.Modified };
            Assert.All(byFile["Schedules/First.sched"].SelectMany(step => step.Outputs),
                output => Assert.True(expected.Contains(output.Reason), $"{name} of the edited file was {output.Reason}"));
            Assert.All(byFile["Schedules/Second.sched"].SelectMany(step => step.Outputs),
                output => Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{name} of the other file was {output.Reason}"));
        }
        Assert.All(result.TrackedSteps[TrackingNames.RootNamespace].SelectMany(step => step.Outputs), output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
        Assert.Contains(result.GeneratedSources, s => s.SourceText.ToString().Contains("peak = 0.2", StringComparison.Ordinal));
        var before = driver.GetRunResult().Results.Single().GeneratedSources.Single(s => s.HintName.Contains("Second", StringComparison.Ordinal));
        Assert.Equal(before.SourceText.ToString(), result.GeneratedSources.Single(s => s.HintName.Contains("Second", StringComparison.Ordinal)).SourceText.ToString());
    }

    // A model holding a Compilation, a symbol or a syntax node would defeat caching and keep compilations alive.
    [Fact]
    public void NoTrackedStepOutput_HoldsACompilationSymbolOrSyntaxNode()
    {
        var (driver, compilation, first, _) = FirstRun();
        var second = driver.ReplaceAdditionalText(first, new InMemoryAdditionalText(first.Path, "schedule Broken {")).RunGenerators(compilation);
        foreach (var result in new[] { driver.GetRunResult(), second.GetRunResult() }.Select(r => r.Results.Single()))
        {
            // "Compilation" is Roslyn's own input (CompilationProvider); every step of ours is named in TrackingNames.
            Assert.Contains(TrackingNames.TakenNames, result.TrackedSteps.Keys);
            foreach (var (name, steps) in result.TrackedSteps.Where(kv => StepNames.Contains(kv.Key)))
            {
                foreach (var (value, _) in steps.SelectMany(step => step.Outputs))
                {
                    AssertHoldsNoRoslynModel(value, name, new HashSet<object>(ReferenceEqualityComparer.Instance));
                }
            }
        }
    }

    [Fact]
    public void ModelWalk_FindsASyntaxTreeHiddenInAModel()
    {
        // The walk above must see through records, tuples and arrays, or it would pass vacuously.
        var hidden = (Path: "x", Inner: new object[] { new List<object> { CSharpSyntaxTree.ParseText("class C { }") } });
        Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => AssertHoldsNoRoslynModel(hidden, "test", new HashSet<object>(ReferenceEqualityComparer.Instance)));
    }

    [Fact]
    public void SameInput_GivesEqualModels()
    {
        // Value equality of the pipeline's output is what lets Roslyn answer 'Unchanged' instead of regenerating.
        var a = SchedGenerator.Generate("Schedules/First.sched", First, "Root", GeneratedCSharp.NullableAware);
        var b = SchedGenerator.Generate("Schedules/First.sched", new string(First.ToCharArray()), "Root", GeneratedCSharp.NullableAware);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(SchedGenerator.Generate("Schedules/Second.sched", Second, "Root", GeneratedCSharp.NullableAware), SchedGenerator.Generate("Schedules/Second.sched", Second, "Other", GeneratedCSharp.NullableAware));
    }

    private static (GeneratorDriver Driver, Compilation Compilation, AdditionalText First, AdditionalText Second) FirstRun()
    {
        var first = new InMemoryAdditionalText("Schedules/First.sched", First);
        var second = new InMemoryAdditionalText("Schedules/Second.sched", Second);
        var compilation = GeneratorHarness.NewCompilation("Incremental", false,
            CSharpSyntaxTree.ParseText("namespace User { public class Program { public static int Main() => 0; } }", GeneratorHarness.ParseOptions));
        var driver = GeneratorHarness.NewDriver(new[] { first, second }, trackSteps: true).RunGenerators(compilation);
        var result = driver.GetRunResult().Results.Single();
        Assert.Null(result.Exception);
        Assert.Equal(2, result.GeneratedSources.Length);
        return (driver, compilation, first, second);
    }

    /// <summary>The .sched file a step worked on, found by walking its inputs back to the file stage.</summary>
    private static string FileOf(IncrementalGeneratorRunStep step)
    {
        if (step.Name == TrackingNames.ScheduleFiles) return ((ValueTuple<string, string>)step.Outputs[0].Value).Item1;
        foreach (var (source, index) in step.Inputs)
        {
            if (source.Name is TrackingNames.ScheduleFiles or TrackingNames.Generated) return FileOf(source);
            if (source.Name is null or TrackingNames.RootNamespace or TrackingNames.LanguageVersion) continue;
            return FileOf(source);
        }
        // Combine steps are untracked by name: follow their first input.
        return FileOf(step.Inputs[0].Source);
    }

    private static void AssertHoldsNoRoslynModel(object? node, string step, HashSet<object> visited)
    {
        if (node is null || !visited.Add(node)) return;
        Assert.False(node is Compilation or ISymbol or SyntaxNode or SemanticModel or SyntaxTree,
            $"step {step} holds a {node.GetType().Name}");
        var type = node.GetType();
        if (type.IsPrimitive || type.IsEnum || node is string) return;
        // A default ImmutableArray holds nothing and throws when enumerated.
        if (node is IEnumerable items && !(type.IsGenericType && type.GetGenericTypeDefinition() == typeof(System.Collections.Immutable.ImmutableArray<>) && (bool)type.GetProperty("IsDefault")!.GetValue(node)!))
        {
            foreach (var item in items) AssertHoldsNoRoslynModel(item, step, visited);
        }
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                AssertHoldsNoRoslynModel(field.GetValue(node), step, visited);
            }
        }
    }
}
