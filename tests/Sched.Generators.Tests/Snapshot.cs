using System.Runtime.CompilerServices;

namespace Sched.Generators.Tests;

/// <summary>
/// Verify-style snapshots: <c>Snapshots/NAME.verified.EXT</c> beside the tests holds the accepted text; a
/// mismatch writes <c>NAME.received.EXT</c> and fails. <c>SCHED_ACCEPT_SNAPSHOTS=1</c> overwrites the verified file instead.
/// </summary>
internal static class Snapshot
{
    public const string AcceptVariable = "SCHED_ACCEPT_SNAPSHOTS";

    /// <summary>The snapshot folder in the source tree (not the build output), so snapshots need no copying.</summary>
    public static string Directory([CallerFilePath] string path = "") => Path.Combine(Path.GetDirectoryName(path)!, "Snapshots");

    public static bool Accepting => Environment.GetEnvironmentVariable(AcceptVariable) == "1";

    public static void Verify(string name, string extension, string actual)
    {
        string directory = Directory();
        string verified = Path.Combine(directory, $"{name}.verified.{extension}");
        string received = Path.Combine(directory, $"{name}.received.{extension}");
        // Line endings are normalized so a checkout with CRLF still matches.
        string text = Normalize(actual);
        string? expected = File.Exists(verified) ? Normalize(File.ReadAllText(verified)) : null;
        if (expected == text)
        {
            File.Delete(received);
            return;
        }
        if (Accepting)
        {
            System.IO.Directory.CreateDirectory(directory);
            File.WriteAllText(verified, text);
            File.Delete(received);
            return;
        }
        File.WriteAllText(received, text);
        string problem = expected is null ? "has no verified snapshot yet" : $"differs from its snapshot {FirstDifference(expected, text)}";
        Assert.Fail($"{name}.{extension} {problem}.\n  received: {received}\n  verified: {verified}\n" +
            $"Compare them; if the received text is right, rename it to .verified.{extension} or rerun with {AcceptVariable}=1.");
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n").Replace('\r', '\n');

    private static string FirstDifference(string expected, string actual)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        for (int i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            string left = i < a.Length ? a[i] : "<end of file>";
            string right = i < b.Length ? b[i] : "<end of file>";
            if (left != right) return $"at line {i + 1}:\n  verified: {left}\n  received: {right}";
        }
        return "";
    }
}
