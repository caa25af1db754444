using Sched.TorchSharp.Build;
using static TorchSharp.torch;

namespace Sched.TorchSharp.Tests;

/// <summary>TorchSharp's native library loads here, and the build step that makes it load decides and patches as it should.</summary>
public class NativeLoadTests : IDisposable
{
    private const string Glibcxx3432 = "GLIBCXX_3.4.32";
    private readonly string _dir = Directory.CreateTempSubdirectory("sched-libstdcxx-").FullName;

    private static string PackagedLibrary => Path.Combine(
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
        "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    private static string OutputLibrary => Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    [Fact]
    public void Tensors_and_an_sgd_step_run()
    {
        var w = nn.Parameter(tensor(new float[] { 1, 2, 3 }));
        using var optimizer = optim.SGD([w], 0.1);
        (w * w).sum().backward();
        optimizer.step();
        Assert.Equal(new[] { 0.8f, 1.6f, 2.4f }, w.detach().data<float>().ToArray().Select(v => MathF.Round(v, 5)));
    }

    [Fact]
    public void The_output_copy_is_patched_exactly_when_the_host_lacks_the_version_and_the_nuget_cache_never_is()
    {
        string host = HostLibStdCxx.Locate(62)!;
        Assert.NotNull(host);
        bool hostLacks = !ElfImage.Load(host).DefinedVersions().Contains(Glibcxx3432);
        var output = LibStdCxxCompatPlan.For(ElfImage.Load(OutputLibrary), ElfImage.Load(host).DefinedVersions().ToHashSet());
        Assert.Equal(hostLacks, output.AlreadyPatched);
        Assert.Equal(!hostLacks, output.HostIsNewEnough);

        var cached = ElfImage.Load(PackagedLibrary);
        Assert.All(cached.NeededVersions(), need => Assert.False(need.IsWeak));
        Assert.Single(cached.SymbolsOfVersion(cached.NeededVersions().Single(n => n.Name == Glibcxx3432).Index));
    }

    [Fact]
    public void The_host_check_reads_the_version_definitions_of_this_hosts_libstdcxx()
    {
        var versions = ElfImage.Load(HostLibStdCxx.Locate(62)!).DefinedVersions();
        Assert.Contains("GLIBCXX_3.4", versions);
        Assert.Contains("CXXABI_1.3", versions);
        Assert.DoesNotContain(versions, v => v.StartsWith("GLIBC_", StringComparison.Ordinal));
    }

    [Fact]
    public void A_host_without_the_version_gets_the_requirement_made_weak_and_the_anchor_unversioned_once()
    {
        string library = Copy(PackagedLibrary);
        DateTime stamp = File.GetLastWriteTimeUtc(library);
        string host = SyntheticLibStdCxx.Write(Path.Combine(_dir, "libstdc++.so.6"), GlibcxxUpTo(31).Concat(CxxAbi()));
        byte[] before = File.ReadAllBytes(library);

        Assert.Equal(LibStdCxxCompat.Outcome.Patched, LibStdCxxCompat.Run(library, host, out string message));
        Assert.Equal(
            $"Sched.TorchSharp: patched {library} to load with {host}, which lacks GLIBCXX_3.4.32: made that requirement weak and unversioned "
            + "_ZSt21ios_base_library_initv, which nothing relocates against (an iostream-init link anchor, never called). Only this build-output copy was changed.",
            message);
        byte[] after = File.ReadAllBytes(library);
        var image = ElfImage.Load(library);
        var need = image.NeededVersions().Single(n => n.Name == Glibcxx3432);
        Assert.True(need.IsWeak);
        Assert.Empty(image.SymbolsOfVersion(need.Index));
        Assert.Equal(2, Enumerable.Range(0, before.Length).Count(i => before[i] != after[i])); // the flags byte; the low byte of one .gnu.version entry (18 -> 1)
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(library));

        Assert.Equal(LibStdCxxCompat.Outcome.AlreadyPatched, LibStdCxxCompat.Run(library, host, out message));
        Assert.StartsWith("Sched.TorchSharp: " + library + " already loads with", message);
        Assert.Equal(after, File.ReadAllBytes(library));
    }

    [Fact]
    public void A_host_with_the_version_is_left_untouched()
    {
        string library = Copy(PackagedLibrary);
        DateTime stamp = File.GetLastWriteTimeUtc(library);
        string host = SyntheticLibStdCxx.Write(Path.Combine(_dir, "libstdc++.so.6"), GlibcxxUpTo(33).Concat(CxxAbi()));

        Assert.Equal(LibStdCxxCompat.Outcome.HostIsNewEnough, LibStdCxxCompat.Run(library, host, out string message));
        Assert.Equal($"Sched.TorchSharp: {library} left as shipped: {host} defines every libstdc++ version it needs.", message);
        Assert.Equal(File.ReadAllBytes(PackagedLibrary), File.ReadAllBytes(library));
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(library));
    }

    [Fact]
    public void A_missing_version_that_real_calls_need_is_not_patched_over()
    {
        string library = Copy(PackagedLibrary);
        // Without GLIBCXX_3.4.30 the library's relocated std::condition_variable::wait could not be bound: no patch can help.
        string host = SyntheticLibStdCxx.Write(Path.Combine(_dir, "libstdc++.so.6"), GlibcxxUpTo(29).Concat(CxxAbi()));

        Assert.Equal(LibStdCxxCompat.Outcome.CannotPatch, LibStdCxxCompat.Run(library, host, out string message));
        Assert.Contains("lacks GLIBCXX_3.4.30, GLIBCXX_3.4.32", message);
        Assert.Contains("_ZNSt18condition_variable4waitERSt11unique_lockISt5mutexE", message);
        Assert.Equal(File.ReadAllBytes(PackagedLibrary), File.ReadAllBytes(library));
    }

    [Fact]
    public void Malformed_files_are_reported_not_misread()
    {
        string path = Path.Combine(_dir, "truncated.so");
        File.WriteAllBytes(path, File.ReadAllBytes(PackagedLibrary).AsSpan(0, 4096).ToArray());
        var error = Assert.Throws<InvalidDataException>(() => ElfImage.Load(path));
        Assert.Contains("lies outside the file", error.Message);
    }

    private string Copy(string path)
    {
        string copy = Path.Combine(_dir, Path.GetFileName(path));
        File.Copy(path, copy);
        return copy;
    }

    private static IEnumerable<string> GlibcxxUpTo(int patch) =>
        new[] { "GLIBCXX_3.4" }.Concat(Enumerable.Range(1, patch).Select(i => $"GLIBCXX_3.4.{i}"));

    private static IEnumerable<string> CxxAbi() =>
        new[] { "CXXABI_1.3" }.Concat(Enumerable.Range(1, 15).Select(i => $"CXXABI_1.3.{i}"));

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
