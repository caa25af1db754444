using System.Globalization;

namespace Sched.EndToEnd.Tests;

/// <summary>A fresh project that references the package by PackageReference builds, runs and gets the schedule's values.</summary>
[Collection(PackedPackageCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class ConsumerTests(PackedPackage package)
{
    [Fact]
    public void Generated_class_gives_the_closed_form_values_and_matches_the_interpreter()
    {
        var consumer = package.OneCycleConsumer;
        var build = consumer.Build();
        Assert.True(build.ExitCode == 0, build.ToString());
        // No analyzer-loading trouble (CS8032/CS8033/CS8784/CS8785), no schedule warnings, nothing from the compiler.
        Assert.DoesNotMatch(@"(warning|error) (CS|SCHED)\d+", build.Output);

        var run = consumer.Run();
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(run.Output.Contains(" name OneCycle ", StringComparison.Ordinal), run.ToString());
        VerifyOneCycleOutput(run.Output);
    }

    /// <summary>The lines <see cref="ConsumerSources.OneCycleProgram"/> prints, against the closed form and each other.</summary>
    internal static void VerifyOneCycleOutput(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        Assert.Contains("default name OneCycle total 200 tracks lr,momentum", lines);
        Assert.Contains("custom name OneCycle total 200 tracks lr,momentum", lines);
        var checkedSteps = new List<string>();
        foreach (var (label, peak, warm) in new[] { ("default", 0.1, 60.0), ("custom", 0.2, 50.0) })
        {
            var rows = lines.Where(l => l.StartsWith(label + " ", StringComparison.Ordinal) && !l.Contains(" name ")).ToArray();
            Assert.Equal(ConsumerSources.Steps.Length, rows.Length);
            for (int i = 0; i < rows.Length; i++)
            {
                string[] f = rows[i].Split(' ');
                double step = Parse(f[1]);
                Assert.Equal(ConsumerSources.Steps[i], step);
                // Generated and interpreted schedules agree bit for bit (same round-trip text).
                Assert.True(f[2] == f[4] && f[3] == f[5], $"generated and interpreted differ: {rows[i]}");
                var (lr, momentum) = ConsumerSources.Expected(peak, warm, step);
                AssertClose(lr, Parse(f[2]), rows[i]);
                AssertClose(momentum, Parse(f[3]), rows[i]);
                checkedSteps.Add(rows[i]);
            }
        }
        Assert.Equal(2 * ConsumerSources.Steps.Length, checkedSteps.Count);
    }

    [Fact]
    public void Package_props_add_each_sched_file_once()
    {
        var consumer = package.OneCycleConsumer;
        var build = consumer.Build();
        Assert.True(build.ExitCode == 0, build.ToString());

        // Restore imports buildTransitive/Sched.props (which build/Sched.props also imports, for older clients); the file arrives once.
        string props = File.ReadAllText(Path.Combine(consumer.Directory, "obj", "OneCycleApp.csproj.nuget.g.props"));
        Assert.Contains("buildTransitive/Sched.props", props);
        Assert.Equal(["Schedules/onecycle.sched"], consumer.Items("AdditionalFiles").Select(p => p.Replace('\\', '/')).ToArray());
        Assert.Contains("RootNamespace", consumer.Items("CompilerVisibleProperty"));
        Assert.True(File.Exists(Path.Combine(consumer.Directory, "obj", "Debug", "net10.0", "OneCycleApp.dll")), "the build wrote no assembly");
    }

    internal static double Parse(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>Within 1e-12 relative: the formula here orders its operations as docs/language.md writes them, not as the layout does.</summary>
    internal static void AssertClose(double expected, double actual, string row) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-12 * Math.Abs(expected), $"expected {expected:R}, got {actual:R} in '{row}'");
}
