using System.Globalization;
using Xunit.Abstractions;

namespace Sched.EndToEnd.Tests;

/// <summary>
/// The projects a user makes, built from the packed packages alone: a net8.0 console, a netstandard2.0 library at its default
/// C# 7.3 used by a net10.0 app, and a TorchSharp console on this machine's libstdc++; the first and last run README's code as written.
/// </summary>
[Collection(PackedPackageCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class OwnProjectTests(PackedPackage package, ITestOutputHelper output)
{
    /// <summary>Any compiler diagnostic: generated code must compile clean wherever the package can be referenced.</summary>
    private const string CompilerDiagnostic = @"(warning|error) (CS|SCHED)\d+";

    [Fact]
    public void Net8_console_with_nullable_off_runs_the_readme_schedule()
    {
        var consumer = Consumer.Create(package, "Net8App", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net8.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>disable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <RootNamespace>MyApp</RootNamespace>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Sched" Version="{package.Version}" />
              </ItemGroup>
            </Project>
            """, new Dictionary<string, string> { ["Schedules/onecycle.sched"] = Readme.Schedule(package), ["Program.cs"] = Readme.SchedulesOnly(package) });

        var build = consumer.Build();
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.DoesNotMatch(CompilerDiagnostic, build.Output);

        // This machine has only the .NET 10 runtime: the net8.0 program runs on it by rolling forward, as `dotnet` allows.
        var run = DotNet.Run(new Dictionary<string, string> { ["DOTNET_ROLL_FORWARD"] = "Major" }, consumer.Directory, Consumer.RunTimeout,
            Path.Combine(consumer.OutputDirectory("net8.0"), "Net8App.dll"));
        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = Lines(run.Output);
        Assert.Equal(5, lines.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            // "step 5: lr 0.05, momentum 0.85"
            string[] f = lines[i].Replace(":", "").Replace(",", "").Split(' ');
            Assert.Equal(["step", (5 * i).ToString(CultureInfo.InvariantCulture), "lr", f[3], "momentum", f[5]], f);
            var (lr, momentum) = ReadmeOneCycle(5 * i);
            ConsumerTests.AssertClose(lr, ConsumerTests.Parse(f[3]), lines[i]);
            ConsumerTests.AssertClose(momentum, ConsumerTests.Parse(f[5]), lines[i]);
        }
    }

    [Fact]
    public void Netstandard_library_at_its_default_CSharp_serves_a_net10_app()
    {
        var library = Consumer.Create(package, "ScheduleLibrary", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>netstandard2.0</TargetFramework>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <GenerateDocumentationFile>true</GenerateDocumentationFile>
                <EmitCompilerGeneratedFiles>true</EmitCompilerGeneratedFiles>
                <RootNamespace>Consumer</RootNamespace>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Sched" Version="{package.Version}" />
                <None Update="Schedules/onecycle.sched" CopyToOutputDirectory="PreserveNewest" />
              </ItemGroup>
            </Project>
            """, new Dictionary<string, string> { ["Schedules/onecycle.sched"] = ConsumerSources.OneCycleSched, ["Schedules/flat.sched"] = ConsumerSources.FlatSched });
        var app = Consumer.Create(package, "LibraryApp", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="../ScheduleLibrary/ScheduleLibrary.csproj" />
              </ItemGroup>
            </Project>
            """, new Dictionary<string, string> { ["Program.cs"] = ConsumerSources.OneCycleProgram });

        var build = app.Build();
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.DoesNotMatch(CompilerDiagnostic, build.Output);
        // The library compiled the generated classes as C# 7.3, without #nullable.
        var generated = Directory.GetFiles(Path.Combine(library.Directory, "obj"), "*.g.cs", SearchOption.AllDirectories)
            .Where(f => f.Contains("SchedGenerator", StringComparison.Ordinal)).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["Consumer.Flat.g.cs", "Consumer.OneCycle.g.cs"], generated);
        Assert.All(Directory.GetFiles(Path.Combine(library.Directory, "obj"), "Consumer.*.g.cs", SearchOption.AllDirectories),
            file => Assert.DoesNotContain("#nullable", File.ReadAllText(file), StringComparison.Ordinal));

        var run = app.Run();
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.True(run.Output.Contains(" name OneCycle ", StringComparison.Ordinal), run.ToString());
        ConsumerTests.VerifyOneCycleOutput(run.Output);
    }

    [Fact]
    public void TorchSharp_console_trains_with_the_readme_loop_and_runs_the_lr_finder()
    {
        var consumer = Consumer.Create(package, "TorchApp", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <!-- Where a feed lacks TorchSharp's exact minimum SharpZipLib/SkiaSharp versions, NuGet takes the next and says so. -->
                <WarningsNotAsErrors>NU1603</WarningsNotAsErrors>
                <RootNamespace>MyApp</RootNamespace>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Sched.TorchSharp" Version="{package.Version}" />
                <PackageReference Include="TorchSharp-cpu" Version="{package.CentralVersion("TorchSharp")}" />
              </ItemGroup>
            </Project>
            """, new Dictionary<string, string> { ["Schedules/onecycle.sched"] = Readme.Schedule(package), ["Program.cs"] = Readme.TrainingLoop(package) });

        var build = consumer.Build();
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.DoesNotMatch(CompilerDiagnostic, build.Output);
        // The package's buildTransitive step ran: this host's libstdc++ (Debian 12's) lacks GLIBCXX_3.4.32, newer ones have it.
        Assert.Matches(@"Sched\.TorchSharp: (patched )?\S*libLibTorchSharp\.so", build.Output);
        string bin = consumer.OutputDirectory("net10.0");
        // Only TorchSharp's own SkiaSharp 2.88 (which it depends on); nothing of the plot package.
        var files = Directory.GetFiles(bin, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(bin, f)).ToArray();
        Assert.DoesNotContain(files, f => f.Contains("ScottPlot", StringComparison.OrdinalIgnoreCase) || f.Contains("HarfBuzz", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(files, f => f.Contains("Sched.Plots", StringComparison.Ordinal));
        if (File.Exists(Path.Combine(bin, "SkiaSharp.dll")))
            Assert.StartsWith("2.88.", System.Reflection.AssemblyName.GetAssemblyName(Path.Combine(bin, "SkiaSharp.dll")).Version!.ToString(), StringComparison.Ordinal);
        output.WriteLine($"TorchSharp consumer bin/: {Megabytes(bin)} MB in {files.Length} files");

        var run = consumer.Run();
        Assert.True(run.ExitCode == 0, run.ToString());
        var lines = Lines(run.Output);
        var steps = lines.Where(l => l.StartsWith("step ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(20, steps.Length);
        var losses = new List<double>();
        for (int i = 0; i < steps.Length; i++)
        {
            // "step 3: lr 0.032, loss 5.1": the lr the optimizer held when it took the step.
            string[] f = steps[i].Replace(":", "").Replace(",", "").Split(' ');
            Assert.Equal(i.ToString(CultureInfo.InvariantCulture), f[1]);
            ConsumerTests.AssertClose(ReadmeOneCycle(i).Lr, ConsumerTests.Parse(f[3]), steps[i]);
            losses.Add(ConsumerTests.Parse(f[5]));
        }
        Assert.True(losses.All(double.IsFinite) && losses[^1] < losses[0] / 2, "training should at least halve the loss: " + string.Join(", ", losses));
        var finder = lines.Single(l => l.StartsWith("lr finder: ", StringComparison.Ordinal)).Split(' ');
        int iterations = int.Parse(finder[2], CultureInfo.InvariantCulture);
        double valley = ConsumerTests.Parse(finder[^1]);
        Assert.InRange(iterations, 10, 100);
        Assert.InRange(valley, 1e-7, 10);
    }

    /// <summary>README's schedule by hand: 20 steps, a linear warm-up over 5, then cosine annealing of lr and linear momentum back up.</summary>
    private static (double Lr, double Momentum) ReadmeOneCycle(double step)
    {
        const double peak = 0.05, warm = 5, total = 20;
        double x = Math.Min(step, total);
        if (x < warm) return (peak / 10 + (peak - peak / 10) * (x / warm), 0.95 + (0.85 - 0.95) * (x / warm));
        double q = (x - warm) / (total - warm);
        return (peak / 100 + (peak - peak / 100) * (1 + Math.Cos(Math.PI * q)) / 2, 0.85 + (0.95 - 0.85) * q);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static long Megabytes(string directory) =>
        Directory.GetFiles(directory, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) / (1024 * 1024);
}
