using System.IO.Compression;
using System.Xml.Linq;

namespace Sched.EndToEnd.Tests;

/// <summary>What the packed .nupkg holds: runtime in lib/, generator with its dependencies in analyzers/, the props.</summary>
[Collection(PackedPackageCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class PackageLayoutTests(PackedPackage package)
{
    [Fact]
    public void Package_holds_runtime_generator_and_props()
    {
        using var zip = ZipFile.OpenRead(package.PackagePath);
        var files = zip.Entries.Select(e => e.FullName)
            .Where(name => !name.StartsWith("_rels/", StringComparison.Ordinal) && !name.StartsWith("package/", StringComparison.Ordinal)
                && name != "[Content_Types].xml" && name != "Sched.nuspec")
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.Equal(
        [
            "analyzers/dotnet/cs/Sched.Generators.dll",
            "analyzers/dotnet/cs/Sched.Language.dll",
            "analyzers/dotnet/cs/Sched.dll",
            "analyzers/dotnet/cs/Sprache.dll",
            "build/Sched.props",
            "buildTransitive/Sched.props",
            "lib/netstandard2.0/Sched.Language.dll",
            "lib/netstandard2.0/Sched.Language.xml",
            "lib/netstandard2.0/Sched.dll",
            "lib/netstandard2.0/Sched.xml",
        ], files);
    }

    [Fact]
    public void Package_documents_the_runtime_for_IntelliSense()
    {
        using var zip = ZipFile.OpenRead(package.PackagePath);
        foreach (var (file, name) in new[] { ("Sched.xml", "T:Sched.ISchedule"), ("Sched.Language.xml", "M:Sched.Schedule.Parse(System.String,System.String)") })
        {
            using var docs = zip.GetEntry("lib/netstandard2.0/" + file)!.Open();
            var members = XDocument.Load(docs).Descendants("member").ToDictionary(m => (string)m.Attribute("name")!, m => m.Value.Trim());
            Assert.True(members.TryGetValue(name, out var text) && text.Length > 20, $"{file} has no documentation for {name}");
        }
    }

    [Fact]
    public void Package_depends_on_Sprache_and_System_Memory_alone()
    {
        using var zip = ZipFile.OpenRead(package.PackagePath);
        using var nuspec = zip.GetEntry("Sched.nuspec")!.Open();
        var metadata = XDocument.Load(nuspec).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string Value(string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;

        Assert.Equal("Sched", Value("id"));
        Assert.Equal(package.Version, Value("version"));
        var dependencies = metadata.Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(e => (Id: (string)e.Attribute("id")!, Version: (string)e.Attribute("version")!))
            .ToArray();
        // Sprache for Schedule.Parse, System.Memory for ISchedule.EvaluateAll's Span on netstandard2.0.
        Assert.Equal(new[] { ("Sprache", package.CentralVersion("Sprache")), ("System.Memory", package.CentralVersion("System.Memory")) }, dependencies.OrderBy(d => d.Id, StringComparer.Ordinal));
    }
}
