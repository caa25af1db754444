using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Sched.Generators;

namespace Sched.Benchmarks;

/// <summary>The generator's cold run: a fresh driver over the sample catalogue (15 files), and over 1,000 schedules.</summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.ColdStart, iterationCount: 10)]
public class GeneratorBenchmarks
{
    private CSharpCompilation _compilation = null!;
    private AdditionalText[] _catalogue = null!;
    private AdditionalText[] _thousand = null!;

    [GlobalSetup]
    public void Setup()
    {
        _compilation = CSharpCompilation.Create("Bench", new[] { CSharpSyntaxTree.ParseText("class C { }") },
            new[] { MetadataReference.CreateFromFile(typeof(object).Assembly.Location) },
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        string samples = Path.Combine(RepositoryRoot.Find(), "samples/Schedules");
        _catalogue = Directory.GetFiles(samples, "*.sched").Select(f => (AdditionalText)new InMemoryText(f, File.ReadAllText(f))).ToArray();
        var catalogueTexts = _catalogue.Select(t => t.GetText()!.ToString()).ToArray();
        _thousand = Enumerable.Range(0, 1000)
            .Select(i => (AdditionalText)new InMemoryText($"s{i}.sched",
                catalogueTexts[i % catalogueTexts.Length].Replace("namespace Sched.Samples;", $"namespace Bench.N{i};")))
            .ToArray();
    }

    [Benchmark(Description = "generator, sample catalogue (15 schedules)")]
    public int Catalogue() => Run(_catalogue);

    [Benchmark(Description = "generator, 1,000 schedules")]
    public int Thousand() => Run(_thousand);

    private int Run(AdditionalText[] files)
    {
        GeneratorDriver driver = CSharpGeneratorDriver.Create(new[] { new SchedGenerator().AsSourceGenerator() }, files);
        driver = driver.RunGenerators(_compilation);
        return driver.GetRunResult().GeneratedTrees.Length;
    }

    private sealed class InMemoryText(string path, string text) : AdditionalText
    {
        private readonly SourceText _text = SourceText.From(text);

        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => _text;
    }
}
