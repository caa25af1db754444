using System.Globalization;
using System.Text.Json;

namespace Sched.EndToEnd.Tests;

/// <summary>The tests that share one packed <c>Sched</c> package; they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class PackedPackageCollection : ICollectionFixture<PackedPackage>
{
    public const string Name = "Packed Sched package";
}

/// <summary>
/// Packs <c>src/Sched.Package</c> once for all end-to-end tests, into a local feed under a fresh temp folder, with
/// a version of its own so the NuGet cache never serves an older build. The build itself runs under the same
/// folder (<c>--artifacts-path</c>): nothing in the repository's bin/ and obj/ is touched.
/// </summary>
public sealed class PackedPackage : IDisposable
{
    public static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(4);

    private readonly Lazy<Consumer> _oneCycleConsumer;
    private string? _globalPackagesFolder;

    public PackedPackage()
    {
        RepositoryRoot = FindRepositoryRoot();
        WorkDirectory = Path.Combine(Path.GetTempPath(), "sched-e2e-" + Guid.NewGuid().ToString("N"));
        FeedDirectory = Path.Combine(WorkDirectory, "feed");
        Directory.CreateDirectory(FeedDirectory);
        // Stops MSBuild's search for Directory.Build.props and friends above the consumers' folders.
        File.WriteAllText(Path.Combine(WorkDirectory, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(WorkDirectory, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(WorkDirectory, "Directory.Packages.props"), "<Project />\n");

        Version = "0.1.0-e2e-" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "-" + Environment.ProcessId;
        PackResult = DotNet.Run(RepositoryRoot, PackTimeout,
            ["pack", Path.Combine(RepositoryRoot, "src", "Sched.Package", "Sched.Package.csproj"),
             "-c", "Release", "-o", FeedDirectory, "--artifacts-path", Path.Combine(WorkDirectory, "artifacts"),
             $"-p:Version={Version}", .. DotNet.NoServers]);
        PackagePath = Path.Combine(FeedDirectory, $"Sched.{Version}.nupkg");
        if (PackResult.ExitCode != 0 || !File.Exists(PackagePath))
        {
            throw new InvalidOperationException($"packing Sched failed; expected {PackagePath}\n{PackResult}");
        }
        _oneCycleConsumer = new Lazy<Consumer>(() => Consumer.Create(this, "OneCycleApp", ConsumerSources.OneCycleSched, ConsumerSources.OneCycleProgram));
    }

    public string RepositoryRoot { get; }

    /// <summary>Everything the tests write: the feed, the package's build, the consumers.</summary>
    public string WorkDirectory { get; }

    public string FeedDirectory { get; }

    public string Version { get; }

    public string PackagePath { get; }

    public CommandResult PackResult { get; }

    /// <summary>The consumer of <see cref="ConsumerSources.OneCycleSched"/>, created on first use and shared.</summary>
    public Consumer OneCycleConsumer => _oneCycleConsumer.Value;

    /// <summary>Remembers the NuGet cache a consumer restored into, so that this version's copy is removed at the end.</summary>
    internal void RecordGlobalPackagesFolder(string consumerDirectory)
    {
        if (_globalPackagesFolder is not null) return;
        string assets = Path.Combine(consumerDirectory, "obj", "project.assets.json");
        if (!File.Exists(assets)) return;
        using var document = JsonDocument.Parse(File.ReadAllText(assets));
        foreach (var folder in document.RootElement.GetProperty("packageFolders").EnumerateObject())
        {
            _globalPackagesFolder = folder.Name;
            break;
        }
    }

    public void Dispose()
    {
        TryDelete(WorkDirectory);
        if (_globalPackagesFolder is not null)
        {
            // Only this run's version: a consumer elsewhere may be using another.
            string sched = Path.Combine(_globalPackagesFolder, "sched");
            TryDelete(Path.Combine(sched, Version.ToLowerInvariant()));
            if (Directory.Exists(sched) && !Directory.EnumerateFileSystemEntries(sched).Any()) TryDelete(sched);
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temp folder is not worth failing the run over.
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Dsl.sln"))) return directory.FullName;
        }
        throw new InvalidOperationException($"no Dsl.sln above {AppContext.BaseDirectory}");
    }
}
