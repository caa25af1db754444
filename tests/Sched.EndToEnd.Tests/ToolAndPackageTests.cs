using System.Buffers.Binary;
using System.IO.Compression;
using System.Xml.Linq;
using Xunit.Abstractions;

namespace Sched.EndToEnd.Tests;

/// <summary>What the other packages hold and depend on, and the sched tool installed from the feed as a user would.</summary>
[Collection(PackedPackageCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class ToolAndPackageTests(PackedPackage package, ITestOutputHelper output)
{
    [Fact]
    public void Every_package_has_the_one_version_of_the_pack()
    {
        foreach (string id in PackedPackage.Ids)
        {
            var metadata = Metadata(id);
            Assert.Equal(id, Value(metadata, "id"));
            Assert.Equal(package.Version, Value(metadata, "version"));
        }
    }

    [Fact]
    public void TorchSharp_package_depends_on_Sched_and_TorchSharp_and_carries_the_libstdcxx_step_for_every_consumer()
    {
        Assert.Equal([("Sched", package.Version), ("TorchSharp", package.CentralVersion("TorchSharp"))], Dependencies("Sched.TorchSharp"));
        var files = Files("Sched.TorchSharp");
        foreach (string folder in new[] { "build", "buildTransitive" })
        {
            Assert.Contains($"{folder}/Sched.TorchSharp.targets", files);
            Assert.Contains($"{folder}/LibStdCxxCompat.cs", files);
        }
        Assert.Contains("lib/net10.0/Sched.TorchSharp.dll", files);
        Assert.DoesNotContain(files, f => f.Contains("Plot", StringComparison.Ordinal));
        output.WriteLine($"Sched.TorchSharp package: {new FileInfo(package.PackagePathOf("Sched.TorchSharp")).Length} bytes");
    }

    [Fact]
    public void Plots_package_holds_ScottPlot_and_the_linux_natives()
    {
        var dependencies = Dependencies("Sched.Plots").Select(d => d.Id).ToArray();
        Assert.Contains("Sched.TorchSharp", dependencies);
        Assert.Contains("ScottPlot", dependencies);
        Assert.Contains("SkiaSharp.NativeAssets.Linux.NoDependencies", dependencies);
        Assert.Contains("HarfBuzzSharp.NativeAssets.Linux", dependencies);
        Assert.Contains("lib/net10.0/Sched.Plots.dll", Files("Sched.Plots"));
    }

    [Fact]
    public void Tool_package_runs_on_linux_windows_and_macos_without_native_debug_symbols()
    {
        var files = Files("Sched.Cli");
        const string Tool = "tools/net10.0/any/";
        foreach (string native in new[] { "runtimes/linux-x64/native/libSkiaSharp.so", "runtimes/linux-arm64/native/libSkiaSharp.so",
                     "runtimes/win-x64/native/libSkiaSharp.dll", "runtimes/osx/native/libSkiaSharp.dylib", "runtimes/linux-x64/native/libHarfBuzzSharp.so",
                     "runtimes/win-x64/native/libHarfBuzzSharp.dll", "runtimes/osx/native/libHarfBuzzSharp.dylib" })
        {
            Assert.Contains(Tool + native, files);
        }
        Assert.DoesNotContain(files, f => f.StartsWith(Tool + "runtimes/", StringComparison.Ordinal) && f.EndsWith(".pdb", StringComparison.Ordinal));
        Assert.DoesNotContain(files, f => f.Contains("LibTorchSharp", StringComparison.OrdinalIgnoreCase));
        long size = new FileInfo(package.PackagePathOf("Sched.Cli")).Length;
        output.WriteLine($"Sched.Cli package: {size} bytes, {files.Count} files");
        Assert.True(size < 80L * 1024 * 1024, $"the tool package is {size / (1024 * 1024)} MB");
    }

    [Fact]
    public void Tool_installed_from_the_feed_checks_evaluates_and_plots()
    {
        string work = Path.Combine(package.WorkDirectory, "ToolUser");
        Directory.CreateDirectory(work);
        // The feed alone: a tool package must carry everything it needs.
        string config = Path.Combine(work, "nuget.config");
        File.WriteAllText(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config><add key="globalPackagesFolder" value="{package.PackagesDirectory}" /></config>
              <packageSources><clear /><add key="sched-e2e" value="{package.FeedDirectory}" /></packageSources>
            </configuration>
            """);
        string tools = Path.Combine(work, "tools");
        var install = DotNet.Run(work, Consumer.BuildTimeout, "tool", "install", "Sched.Cli", "--tool-path", tools, "--version", package.Version, "--configfile", config);
        Assert.True(install.ExitCode == 0, install.ToString());
        string sched = Path.Combine(tools, OperatingSystem.IsWindows() ? "sched.exe" : "sched");
        File.WriteAllText(Path.Combine(work, "steps.sched"), "schedule Steps over 4it {\n    lr = const(0.5, 2it) + const(0.25, rest)\n    momentum = 0.9\n}\n");
        File.WriteAllText(Path.Combine(work, "bad.sched"), "schedule Bad over 10ep {\n    lr = lin(0.1 -> 1, 10) + cos(1 -> 0, rest)\n}\n");

        var version = DotNet.Exec(sched, work, Consumer.RunTimeout, "--version");
        Assert.Equal($"sched {package.Version}\n", version.Output);

        var check = DotNet.Exec(sched, work, Consumer.RunTimeout, "check", "bad.sched");
        Assert.Equal(1, check.ExitCode);
        Assert.StartsWith("bad.sched(2,24): error SCHED004: a duration needs a unit: ep, it or %; write '10ep', '10it' or '10%'\n", check.Output, StringComparison.Ordinal);
        Assert.Contains("SCHED004 is explained at https://example.invalid/sched/blob/main/docs/diagnostics.md#sched004", check.Output, StringComparison.Ordinal);

        var eval = DotNet.Exec(sched, work, Consumer.RunTimeout, "eval", "steps.sched");
        Assert.Equal(0, eval.ExitCode);
        Assert.Equal("step,lr,momentum\n0,0.5,0.9\n1,0.5,0.9\n2,0.25,0.9\n3,0.25,0.9\n4,0.25,0.9\n", eval.Output);

        var plot = DotNet.Exec(sched, work, Consumer.RunTimeout, "plot", "steps.sched", "-o", "steps.png", "--width", "300", "--height", "200");
        Assert.True(plot.ExitCode == 0, plot.ToString());
        Assert.Equal("wrote steps.png (PNG, 300x200): Steps's lr, momentum over 4 steps\n", plot.Output);
        // The PNG's IHDR: the signature, then length and type, then width and height as big-endian integers.
        byte[] png = File.ReadAllBytes(Path.Combine(work, "steps.png"));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        Assert.Equal(300, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)));
        Assert.Equal(200, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20, 4)));
        Assert.True(png.Length > 3000, $"a 300x200 plot of {png.Length} bytes is empty");
    }

    private XElement Metadata(string id)
    {
        using var zip = ZipFile.OpenRead(package.PackagePathOf(id));
        using var nuspec = zip.GetEntry(id + ".nuspec")!.Open();
        return XDocument.Load(nuspec).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    private static string Value(XElement metadata, string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;

    private (string Id, string Version)[] Dependencies(string id) =>
        Metadata(id).Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(e => ((string)e.Attribute("id")!, (string)e.Attribute("version")!))
            .ToArray();

    private IReadOnlyList<string> Files(string id)
    {
        using var zip = ZipFile.OpenRead(package.PackagePathOf(id));
        return zip.Entries.Select(e => e.FullName).ToArray();
    }
}
