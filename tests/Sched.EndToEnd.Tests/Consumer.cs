using System.Text.Json;

namespace Sched.EndToEnd.Tests;

/// <summary>
/// A fresh project outside the repository that references the packed packages by PackageReference: the test feed added
/// to the machine's NuGet sources, restored into the run's own packages folder (see <see cref="PackedPackage"/>).
/// </summary>
public sealed class Consumer
{
    public static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    private Consumer(PackedPackage package, string directory, string name)
    {
        Package = package;
        Directory = directory;
        Name = name;
    }

    public PackedPackage Package { get; }

    public string Directory { get; }

    public string Name { get; }

    /// <summary>A net10.0 console with <c>Schedules/onecycle.sched</c> holding <paramref name="schedule"/>; builds nothing yet.</summary>
    public static Consumer Create(PackedPackage package, string name, string schedule, string program) =>
        Create(package, name, $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <RootNamespace>Consumer</RootNamespace>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Sched" Version="{package.Version}" />
              </ItemGroup>
              <ItemGroup>
                <!-- The program also interprets the file at run time, to compare with the generated class. -->
                <None Update="Schedules/onecycle.sched" CopyToOutputDirectory="PreserveNewest" />
              </ItemGroup>
            </Project>
            """, new Dictionary<string, string> { ["Schedules/onecycle.sched"] = schedule, ["Program.cs"] = program });

    /// <summary>A project <c>NAME/NAME.csproj</c> with the given files (paths relative to its folder); builds nothing yet.</summary>
    public static Consumer Create(PackedPackage package, string name, string project, IReadOnlyDictionary<string, string> files)
    {
        string directory = Path.Combine(package.WorkDirectory, name);
        System.IO.Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, name + ".csproj"), project);
        File.WriteAllText(Path.Combine(directory, "nuget.config"), NuGetConfig(package));
        foreach (var (path, text) in files)
        {
            string full = Path.Combine(directory, path);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, text);
        }
        return new Consumer(package, directory, name);
    }

    /// <summary>The test feed beside the machine's sources; the run's own packages folder; the machine's as a fallback for third-party packages.</summary>
    public static string NuGetConfig(PackedPackage package) => $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <config>
            <add key="globalPackagesFolder" value="{package.PackagesDirectory}" />
          </config>
          <fallbackPackageFolders>
            <add key="machine" value="{package.GlobalPackagesFolder}" />
          </fallbackPackageFolders>
          <packageSources>
            <add key="sched-e2e" value="{package.FeedDirectory}" />
          </packageSources>
        </configuration>
        """;

    private readonly object _gate = new();
    private CommandResult? _build;

    /// <summary><c>dotnet build</c>, run once; later calls return the first result.</summary>
    public CommandResult Build()
    {
        lock (_gate)
        {
            return _build ??= DotNet.Run(Directory, BuildTimeout, ["build", "-v:n", .. DotNet.NoServers]);
        }
    }

    /// <summary><c>dotnet run</c> of the built program.</summary>
    public CommandResult Run() => DotNet.Run(Directory, RunTimeout, "run", "--no-build");

    /// <summary>The built program's folder (bin/Debug/TFM).</summary>
    public string OutputDirectory(string targetFramework) => Path.Combine(Directory, "bin", "Debug", targetFramework);

    /// <summary>The project's items of one type after evaluation (<c>dotnet msbuild -getItem</c>), as their item specs.</summary>
    public IReadOnlyList<string> Items(string itemType)
    {
        var result = DotNet.Run(Directory, BuildTimeout, "msbuild", "-getItem:" + itemType);
        if (result.ExitCode != 0) throw new InvalidOperationException(result.ToString());
        string json = result.Output.Substring(result.Output.IndexOf('{'));
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("Items").GetProperty(itemType).EnumerateArray()
            .Select(item => item.GetProperty("Identity").GetString()!)
            .ToArray();
    }
}
