using System.Text.RegularExpressions;

namespace Sched.EndToEnd.Tests;

/// <summary>An error in a consumer's .sched file fails its build, located in the file as the compiler writes errors.</summary>
[Collection(PackedPackageCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class DiagnosticTests(PackedPackage package)
{
    [Fact]
    public void Error_in_sched_file_fails_the_build_at_its_line_and_column()
    {
        var consumer = Consumer.Create(package, "BrokenApp", ConsumerSources.BrokenSched, ConsumerSources.PlainProgram);
        var build = consumer.Build();

        Assert.True(build.ExitCode != 0, "the build should fail\n" + build);
        Assert.Matches(new Regex(@"Schedules[/\\]onecycle\.sched\(3,37\): error SCHED004: a duration needs a unit"), build.Output);
        Assert.DoesNotMatch(@"error CS\d+", build.Output);
    }
}
