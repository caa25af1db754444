using System.Text;

namespace Sched.TorchSharp.Tests;

/// <summary>A minimal ELF64 shared object whose .gnu.version_d defines the given versions: a stand-in for another host's libstdc++.</summary>
internal static class SyntheticLibStdCxx
{
    public static string Write(string path, IEnumerable<string> versions)
    {
        var names = versions.ToArray();
        var dynstr = new List<byte> { 0 };
        var nameOffsets = names.Select(n => { int at = dynstr.Count; dynstr.AddRange(Encoding.ASCII.GetBytes(n)); dynstr.Add(0); return at; }).ToArray();
        var verdef = new List<byte>();
        for (int i = 0; i < names.Length; i++)
        {
            verdef.AddRange(U16(1)); verdef.AddRange(U16(0)); verdef.AddRange(U16((ushort)(i + 2))); verdef.AddRange(U16(1));
            verdef.AddRange(U32(0)); verdef.AddRange(U32(20)); verdef.AddRange(U32(i == names.Length - 1 ? 0u : 28u));
            verdef.AddRange(U32((uint)nameOffsets[i])); verdef.AddRange(U32(0));
        }
        byte[] shstrtab = Encoding.ASCII.GetBytes("\0.dynstr\0.gnu.version_d\0.shstrtab\0");

        var file = new List<byte>(new byte[64]);
        int dynstrAt = file.Count; file.AddRange(dynstr);
        int verdefAt = file.Count; file.AddRange(verdef);
        int shstrtabAt = file.Count; file.AddRange(shstrtab);
        while (file.Count % 8 != 0) file.Add(0);
        int shoff = file.Count;
        file.AddRange(new byte[64]);
        file.AddRange(SectionHeader(1, 3, dynstrAt, dynstr.Count, 0, 0));
        file.AddRange(SectionHeader(9, 0x6ffffffd, verdefAt, verdef.Count, 1, (uint)names.Length));
        file.AddRange(SectionHeader(24, 3, shstrtabAt, shstrtab.Length, 0, 0));

        byte[] bytes = file.ToArray();
        new byte[] { 0x7f, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1 }.CopyTo(bytes, 0);
        U16(3).CopyTo(bytes, 16);            // ET_DYN
        U16(62).CopyTo(bytes, 18);           // EM_X86_64
        BitConverter.GetBytes((ulong)shoff).CopyTo(bytes, 40);
        U16(64).CopyTo(bytes, 52);
        U16(64).CopyTo(bytes, 58);
        U16(4).CopyTo(bytes, 60);
        U16(3).CopyTo(bytes, 62);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] SectionHeader(uint name, uint type, int offset, int size, uint link, uint info)
    {
        var h = new byte[64];
        U32(name).CopyTo(h, 0);
        U32(type).CopyTo(h, 4);
        BitConverter.GetBytes((ulong)offset).CopyTo(h, 24);
        BitConverter.GetBytes((ulong)size).CopyTo(h, 32);
        U32(link).CopyTo(h, 40);
        U32(info).CopyTo(h, 44);
        return h;
    }

    private static byte[] U16(ushort v) => BitConverter.GetBytes(v);
    private static byte[] U32(uint v) => BitConverter.GetBytes(v);
}
