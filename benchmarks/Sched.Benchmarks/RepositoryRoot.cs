namespace Sched.Benchmarks;

internal static class RepositoryRoot
{
    /// <summary>The folder holding Dsl.sln, found upwards from the working directory or the binaries.</summary>
    public static string Find()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Dsl.sln"))) return dir.FullName;
            }
        }
        throw new InvalidOperationException("run the benchmarks inside the repository");
    }
}
