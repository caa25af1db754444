using Sched.Diagnostics;
using static Sched.Language.Tests.TestSupport;

namespace Sched.Language.Tests;

/// <summary>Valid files, docs/language.md's examples first, give no diagnostic at all and lay out for any steps per epoch.</summary>
public sealed class ValidFileTests
{
    public static TheoryData<string> CorpusNames()
    {
        var data = new TheoryData<string>();
        foreach (var (name, _) in Corpus.Files) data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(CorpusNames))]
    public void CorpusFile_HasNoDiagnostics_AndLaysOut(string name)
    {
        string text = Corpus.Files.Single(f => f.Name == name).Text;
        var analysis = AssertClean(text);
        Assert.NotEmpty(analysis.Schedules);
        foreach (var schedule in analysis.Schedules)
        {
            foreach (int spe in new[] { 1, 7, 1000 })
            {
                var diagnostics = new List<Diagnostic>();
                var laid = schedule.Lay(spe, null, diagnostics);
                Assert.True(laid is not null && diagnostics.Count == 0, $"{schedule.Name} at {spe} steps per epoch:\n{string.Join("\n", diagnostics)}");
                foreach (var track in laid!.Tracks)
                {
                    for (int k = 0; k <= 100; k++) Assert.True(double.IsFinite(track.Evaluate(laid.Total * k / 100)));
                }
            }
        }
    }

    [Fact]
    public void DslSection2_SmithOneCycle_HasTheDocumentedShape()
    {
        var analysis = AssertClean(Corpus.DslSection2);
        Assert.Equal("Training.Schedules", analysis.Namespace);
        var schedule = Assert.Single(analysis.Schedules);
        Assert.Equal("SmithOneCycle", schedule.Name);
        Assert.Equal(new[] { "lr", "momentum" }, schedule.TrackNames);
        Assert.True(schedule.UsesEpochs);

        var laid = Lay(Corpus.DslSection2, 10);
        Assert.Equal(950, laid.Total);
        Assert.Equal(0.08, Value(laid, "lr", 0), 15);
        Assert.Equal(0.8, Value(laid, "lr", 410), 15);
        Assert.Equal(0.08, Value(laid, "lr", 820), 15);
        Assert.Equal(0.0008, Value(laid, "lr", 950), 15);
        Assert.Equal(0.0008, Value(laid, "lr", 10_000), 15);
        Assert.Equal(0.85, Value(laid, "momentum", 410), 15);
        Assert.Equal(0.95, Value(laid, "momentum", 900), 15);
    }

    [Fact]
    public void PercentOfAnOddTotal_IsFractionalSteps()
    {
        // docs/language.md §1: 30% of 95 steps is 28.5 steps.
        var laid = Lay("""
            schedule A over 95it {
                lr = lin(0 -> 1, 30%) + const(1, rest)
            }
            """, 1);
        Assert.Equal(0.5, Value(laid, "lr", 14.25), 15);
        Assert.Equal(1.0, Value(laid, "lr", 28.5), 15);
    }

    [Fact]
    public void ManySchedulesAndDefsInOneFile()
    {
        var analysis = AssertClean("""
            namespace A.B.C;
            def half(x) = x / 2
            def warm(peak, d = 2ep) = lin(0 -> peak, d)
            schedule One over 10ep { lr = warm(0.1) + cos(0.1 -> 0) }
            schedule Two over 10ep { lr = warm(half(0.2), d = 1ep) + cos(0.1 -> 0) }
            schedule Three { lr = 0.1 }
            """);
        Assert.Equal(new[] { "One", "Two", "Three" }, analysis.Schedules.Select(s => s.Name));
        Assert.All(analysis.Schedules, s => Assert.Equal("A.B.C", s.Namespace));
    }

    [Fact]
    public void EmptyFileAndCommentOnlyFile_HaveNoDiagnostics()
    {
        Assert.Empty(AssertClean("").Schedules);
        Assert.Empty(AssertClean("// nothing here\n/* nor here */\n").Schedules);
        Assert.Empty(AssertClean("namespace Only.A.Namespace;").Schedules);
    }

    [Fact]
    public void CrLfLineEndings_GiveTheSameLinesAndColumns()
    {
        var lf = SchedCompiler.Analyze("schedule A over 10ep {\n    lr = cso(0.1 -> 0)\n}\n", "a.sched");
        var crlf = SchedCompiler.Analyze("schedule A over 10ep {\r\n    lr = cso(0.1 -> 0)\r\n}\r\n", "a.sched");
        Assert.Equal(Single(lf, "SCHED002").Start, Single(crlf, "SCHED002").Start);
    }
}
