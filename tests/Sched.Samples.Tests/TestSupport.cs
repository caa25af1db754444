using SkiaSharp;
using Spectre.Console;

namespace Sched.Samples.Tests;

/// <summary>What the sample's tests share: a plain console that writes to a string, and a check that a PNG is a real picture.</summary>
internal static class TestSupport
{
    public static IAnsiConsole Console(TextWriter writer)
    {
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 500; // long temporary paths on one line
        return console;
    }

    public static void AssertNonBlankPng(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
        using SKBitmap bitmap = SKBitmap.Decode(bytes) ?? throw new Xunit.Sdk.XunitException($"{path} does not decode");
        Assert.True(bitmap.Width > 100 && bitmap.Height > 100);
        var colors = new HashSet<SKColor>();
        for (int y = 0; y < bitmap.Height; y += 3)
            for (int x = 0; x < bitmap.Width; x += 3)
                colors.Add(bitmap.GetPixel(x, y));
        Assert.True(colors.Count > 10, $"{path} has {colors.Count} colours: blank");
    }
}
