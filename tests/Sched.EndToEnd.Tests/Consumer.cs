using System.Text.Json;

namespace Sched.EndToEnd.Tests;

/// <summary>
/// A fresh console project outside the repository that references the packed <c>Sched</c> by PackageReference,
/// with the test feed added to the machine's NuGet sources (Sprache comes from those).
/// </summary>
public sealed class Consumer
{
    public static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(4);
    public static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(1);

    private Consumer(PackedPackage package, string directory)
    {
        Package = package;
        Directory = directory;
    }

    public PackedPackage Package { get; }

    public string Directory { get; }

    /// <summary>Writes the project with <c>Schedules/onecycle.sched</c> holding <paramref name="schedule"/>; builds nothing yet.</summary>
    public static Consumer Create(PackedPackage package, string name, string schedule, string program)
    {
        string directory = Path.Combine(package.WorkDirectory, name);
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "Schedules"));
        File.WriteAllText(Path.Combine(directory, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
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
            """);
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="sched-e2e" value="{package.FeedDirectory}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(directory, "Schedules", "onecycle.sched"), schedule);
        File.WriteAllText(Path.Combine(directory, "Program.cs"), program);
        return new Consumer(package, directory);
    }

    private readonly object _gate = new();
    private CommandResult? _build;

    /// <summary><c>dotnet build</c>, run once; later calls return the first result.</summary>
    public CommandResult Build()
    {
        lock (_gate)
        {
            _build ??= DotNet.Run(Directory, BuildTimeout, ["build", .. DotNet.NoServers]);
            Package.RecordGlobalPackagesFolder(Directory);
            return _build;
        }
    }

    /// <summary><c>dotnet run</c> of the built program.</summary>
    public CommandResult Run() => DotNet.Run(Directory, RunTimeout, "run", "--no-build");

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
