using System.Globalization;
using System.Xml.Linq;

namespace Sched.EndToEnd.Tests;

/// <summary>The tests that share one pack of every package; they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class PackedPackageCollection : ICollectionFixture<PackedPackage>
{
    public const string Name = "Packed Sched packages";
}

/// <summary>
/// Packs every package once for all end-to-end tests with the documented command (<c>dotnet pack src/Packages.proj</c>),
/// into a local feed under a fresh temp folder, with a version of its own (<c>0.1.0-e2e.TIME.PROCESS</c>). The build runs
/// under the same folder (<c>--artifacts-path</c>), so the repository's bin/ and obj/ are not touched.
/// <para>
/// The consumers restore into a NuGet packages folder of their own, also under that folder: no Sched package can come
/// from a cache, and a package that lacks a dependency fails their restore. Third-party packages (TorchSharp and its
/// LibTorch, about 1.2 GB) are read from the machine's packages folder, as a fallback folder, where it has them.
/// </para>
/// </summary>
public sealed class PackedPackage : IDisposable
{
    public static readonly TimeSpan PackTimeout = TimeSpan.FromMinutes(6);

    private readonly Lazy<Consumer> _oneCycleConsumer;

    public PackedPackage()
    {
        RepositoryRoot = FindRepositoryRoot();
        WorkDirectory = Path.Combine(Path.GetTempPath(), "sched-e2e-" + Guid.NewGuid().ToString("N"));
        FeedDirectory = Path.Combine(WorkDirectory, "feed");
        PackagesDirectory = Path.Combine(WorkDirectory, "packages");
        Directory.CreateDirectory(FeedDirectory);
        // Stops MSBuild's search for Directory.Build.props and friends above the consumers' folders.
        File.WriteAllText(Path.Combine(WorkDirectory, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(WorkDirectory, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(WorkDirectory, "Directory.Packages.props"), "<Project />\n");

        string prefix = XDocument.Load(Path.Combine(RepositoryRoot, "Directory.Build.props")).Descendants("VersionPrefix").Single().Value;
        string suffix = "e2e." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "." + Environment.ProcessId;
        Version = prefix + "-" + suffix;
        PackResult = DotNet.Run(RepositoryRoot, PackTimeout,
            ["pack", Path.Combine(RepositoryRoot, "src", "Packages.proj"), "-o", FeedDirectory,
             "--artifacts-path", Path.Combine(WorkDirectory, "artifacts"), $"-p:VersionSuffix={suffix}", .. DotNet.NoServers]);
        foreach (string id in Ids)
        {
            if (PackResult.ExitCode != 0 || !File.Exists(PackagePathOf(id)))
                throw new InvalidOperationException($"packing failed; expected {PackagePathOf(id)}\n{PackResult}");
        }
        GlobalPackagesFolder = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        _oneCycleConsumer = new Lazy<Consumer>(() => Consumer.Create(this, "OneCycleApp", ConsumerSources.OneCycleSched, ConsumerSources.OneCycleProgram));
    }

    /// <summary>The packages <c>src/Packages.proj</c> makes.</summary>
    public static readonly string[] Ids = ["Sched", "Sched.TorchSharp", "Sched.Plots", "Sched.Cli"];

    public string RepositoryRoot { get; }

    /// <summary>Everything the tests write: the feed, the packages' build, the consumers and their NuGet packages folder.</summary>
    public string WorkDirectory { get; }

    public string FeedDirectory { get; }

    /// <summary>The consumers' NuGet packages folder, fresh for this run.</summary>
    public string PackagesDirectory { get; }

    /// <summary>The machine's NuGet packages folder, which the consumers read third-party packages from.</summary>
    public string GlobalPackagesFolder { get; }

    public string Version { get; }

    /// <summary>The <c>Sched</c> package.</summary>
    public string PackagePath => PackagePathOf("Sched");

    public string PackagePathOf(string id) => Path.Combine(FeedDirectory, $"{id}.{Version}.nupkg");

    public CommandResult PackResult { get; }

    /// <summary>The consumer of <see cref="ConsumerSources.OneCycleSched"/>, created on first use and shared.</summary>
    public Consumer OneCycleConsumer => _oneCycleConsumer.Value;

    /// <summary>The version Directory.Packages.props pins for a package.</summary>
    public string CentralVersion(string id) =>
        XDocument.Load(Path.Combine(RepositoryRoot, "Directory.Packages.props"))
            .Descendants("PackageVersion")
            .Single(e => (string?)e.Attribute("Include") == id)
            .Attribute("Version")!.Value;

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(WorkDirectory)) Directory.Delete(WorkDirectory, recursive: true);
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
