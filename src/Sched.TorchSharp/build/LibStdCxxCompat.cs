// Compiled at build time by MSBuild's RoslynCodeTaskFactory (see Sched.TorchSharp.targets) and by the tests.
// Keep it to C# the task factory accepts against netstandard: no Span, no records, no file-scoped namespace.
#nullable disable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace Sched.TorchSharp.Build
{
    /// <summary>
    /// A 64-bit little-endian ELF shared object held in memory: its sections and the GNU symbol-versioning
    /// tables (.dynsym/.dynstr, .gnu.version, .gnu.version_r, .gnu.version_d, relocations against .dynsym).
    /// </summary>
    public sealed class ElfImage
    {
        public const uint ShtRela = 4, ShtRel = 9, ShtDynsym = 11;
        public const uint ShtGnuVerdef = 0x6ffffffd, ShtGnuVerneed = 0x6ffffffe, ShtGnuVersym = 0x6fffffff;
        public const ushort VerFlgWeak = 0x2;
        public const ushort VerNdxGlobal = 1;

        private readonly byte[] _bytes;
        private readonly List<Section> _sections = new List<Section>();

        public ElfImage(byte[] bytes, string description)
        {
            _bytes = bytes;
            Description = description;
            if (bytes.Length < 64 || bytes[0] != 0x7f || bytes[1] != (byte)'E' || bytes[2] != (byte)'L' || bytes[3] != (byte)'F')
                throw Invalid("not an ELF file");
            if (bytes[4] != 2 || bytes[5] != 1)
                throw Invalid("not a 64-bit little-endian ELF file (class " + bytes[4] + ", data " + bytes[5] + ")");
            Machine = U16(18);
            ulong shoff = U64(40);
            ushort shentsize = U16(58);
            uint shnum = U16(60);
            uint shstrndx = U16(62);
            if (shoff == 0)
                throw Invalid("it has no section headers");
            if (shentsize < 64)
                throw Invalid("section header size " + shentsize + " is below 64");
            if (shnum == 0 || shstrndx == 0xffff)
            {
                // Extended numbering: the real counts live in section header 0.
                Check(shoff, 64, "section header 0");
                if (shnum == 0) shnum = checked((uint)U64((long)shoff + 32));
                if (shstrndx == 0xffff) shstrndx = U32((long)shoff + 40);
            }
            Check(shoff, (ulong)shnum * shentsize, "section header table");
            for (uint i = 0; i < shnum; i++)
            {
                long h = (long)shoff + (long)i * shentsize;
                var s = new Section((int)i, U32(h), U32(h + 4), U64(h + 24), U64(h + 32), U32(h + 40), U32(h + 44), U64(h + 56));
                if (s.Type != 8 /* SHT_NOBITS */ && s.Type != 0)
                    Check(s.Offset, s.Size, "section " + i);
                _sections.Add(s);
            }
            if (shstrndx < _sections.Count)
            {
                Section names = _sections[(int)shstrndx];
                foreach (Section s in _sections) s.Name = CString(names, s.NameOffset);
            }
        }

        public string Description { get; }
        public ushort Machine { get; }
        public IReadOnlyList<Section> Sections => _sections;
        public byte[] Bytes => _bytes;

        public static ElfImage Load(string path) => new ElfImage(File.ReadAllBytes(path), path);

        /// <summary>Version names this object defines (.gnu.version_d), e.g. GLIBCXX_3.4.30 for libstdc++.</summary>
        public IReadOnlyList<string> DefinedVersions()
        {
            var names = new List<string>();
            Section verdef = SectionOfType(ShtGnuVerdef);
            if (verdef == null) return names;
            Section strtab = Linked(verdef);
            long at = (long)verdef.Offset;
            for (uint i = 0; i < verdef.Info; i++)
            {
                CheckIn(verdef, at, 20, "a version definition");
                ushort cnt = U16(at + 6);
                uint aux = U32(at + 12), next = U32(at + 16);
                if (cnt > 0)
                {
                    CheckIn(verdef, at + aux, 8, "a version definition's name");
                    names.Add(CString(strtab, U32(at + aux)));
                }
                if (next == 0) break;
                at += next;
            }
            return names;
        }

        /// <summary>Every version this object needs (.gnu.version_r), with the library it needs it from.</summary>
        public IReadOnlyList<VersionNeed> NeededVersions()
        {
            var needs = new List<VersionNeed>();
            Section verneed = SectionOfType(ShtGnuVerneed);
            if (verneed == null) return needs;
            Section strtab = Linked(verneed);
            long at = (long)verneed.Offset;
            for (uint i = 0; i < verneed.Info; i++)
            {
                CheckIn(verneed, at, 16, "a version need");
                ushort cnt = U16(at + 2);
                string file = CString(strtab, U32(at + 4));
                uint aux = U32(at + 8), next = U32(at + 12);
                long a = at + aux;
                for (int j = 0; j < cnt; j++)
                {
                    CheckIn(verneed, a, 16, "a version need's entry");
                    needs.Add(new VersionNeed(file, CString(strtab, U32(a + 8)), U16(a + 4), U16(a + 6), a));
                    uint anext = U32(a + 12);
                    if (anext == 0) break;
                    a += anext;
                }
                if (next == 0) break;
                at += next;
            }
            return needs;
        }

        /// <summary>The dynamic symbols whose .gnu.version entry is <paramref name="versionIndex"/>, and whether any relocation binds them.</summary>
        public IReadOnlyList<VersionedSymbol> SymbolsOfVersion(ushort versionIndex)
        {
            var result = new List<VersionedSymbol>();
            Section dynsym = SectionOfType(ShtDynsym), versym = SectionOfType(ShtGnuVersym);
            if (dynsym == null || versym == null) return result;
            Section dynstr = Linked(dynsym);
            ulong count = dynsym.Size / 24;
            if (versym.Size < count * 2) throw Invalid(".gnu.version has fewer entries than .dynsym");
            HashSet<ulong> relocated = RelocatedSymbols(dynsym);
            for (ulong i = 0; i < count; i++)
            {
                long v = (long)(versym.Offset + i * 2);
                if ((U16(v) & 0x7fff) != versionIndex) continue;
                string name = CString(dynstr, U32((long)(dynsym.Offset + i * 24)));
                result.Add(new VersionedSymbol(name, (int)i, v, relocated.Contains(i)));
            }
            return result;
        }

        private HashSet<ulong> RelocatedSymbols(Section dynsym)
        {
            var indexes = new HashSet<ulong>();
            foreach (Section s in _sections)
            {
                if ((s.Type != ShtRela && s.Type != ShtRel) || s.Link != dynsym.Index) continue;
                ulong entry = s.EntrySize != 0 ? s.EntrySize : (s.Type == ShtRela ? 24UL : 16UL);
                for (ulong at = s.Offset; at + entry <= s.Offset + s.Size; at += entry)
                    indexes.Add(U64((long)at + 8) >> 32);
            }
            return indexes;
        }

        public void WriteU16(long offset, ushort value)
        {
            _bytes[offset] = (byte)value;
            _bytes[offset + 1] = (byte)(value >> 8);
        }

        public Section SectionOfType(uint type) => _sections.FirstOrDefault(s => s.Type == type);

        private Section Linked(Section s)
        {
            if (s.Link == 0 || s.Link >= _sections.Count) throw Invalid("section " + s.Name + " links to no string table");
            return _sections[(int)s.Link];
        }

        private string CString(Section strtab, uint offset)
        {
            if (offset >= strtab.Size) throw Invalid("a name lies outside " + strtab.Name);
            long start = (long)strtab.Offset + offset, end = start;
            long limit = (long)(strtab.Offset + strtab.Size);
            while (end < limit && _bytes[end] != 0) end++;
            return Encoding.UTF8.GetString(_bytes, (int)start, (int)(end - start));
        }

        public ushort U16(long o) => (ushort)(_bytes[o] | _bytes[o + 1] << 8);
        public uint U32(long o) => (uint)(_bytes[o] | _bytes[o + 1] << 8 | _bytes[o + 2] << 16 | _bytes[o + 3] << 24);
        public ulong U64(long o) => U32(o) | (ulong)U32(o + 4) << 32;

        private void Check(ulong offset, ulong size, string what)
        {
            if (offset > (ulong)_bytes.Length || size > (ulong)_bytes.Length - offset)
                throw Invalid(what + " lies outside the file");
        }

        private void CheckIn(Section s, long at, long size, string what)
        {
            if (at < (long)s.Offset || at + size > (long)(s.Offset + s.Size))
                throw Invalid(what + " lies outside " + s.Name);
        }

        private InvalidDataException Invalid(string why) => new InvalidDataException(Description + ": " + why);

        public sealed class Section
        {
            public Section(int index, uint nameOffset, uint type, ulong offset, ulong size, uint link, uint info, ulong entrySize)
            {
                Index = index; NameOffset = nameOffset; Type = type; Offset = offset; Size = size; Link = link; Info = info; EntrySize = entrySize;
            }
            public int Index { get; }
            public uint NameOffset { get; }
            public string Name { get; internal set; } = "";
            public uint Type { get; }
            public ulong Offset { get; }
            public ulong Size { get; }
            public uint Link { get; }
            public uint Info { get; }
            public ulong EntrySize { get; }
        }
    }

    /// <summary>One Vernaux entry: version <see cref="Name"/> needed from <see cref="File"/>, index <see cref="Index"/> in .gnu.version.</summary>
    public sealed class VersionNeed
    {
        public VersionNeed(string file, string name, ushort flags, ushort index, long offset)
        {
            File = file; Name = name; Flags = flags; Index = index; Offset = offset;
        }
        public string File { get; }
        public string Name { get; }
        public ushort Flags { get; }
        public ushort Index { get; }
        /// <summary>File offset of the Vernaux entry; its vna_flags are at +4.</summary>
        public long Offset { get; }
        public bool IsWeak => (Flags & ElfImage.VerFlgWeak) != 0;
    }

    /// <summary>A .dynsym entry bound to a version; <see cref="Relocated"/> tells whether the loader would ever look it up.</summary>
    public sealed class VersionedSymbol
    {
        public VersionedSymbol(string name, int index, long versymOffset, bool relocated)
        {
            Name = name; Index = index; VersymOffset = versymOffset; Relocated = relocated;
        }
        public string Name { get; }
        public int Index { get; }
        public long VersymOffset { get; }
        public bool Relocated { get; }
    }

    /// <summary>What it takes for a library to load with a given libstdc++, decided from both files' version tables.</summary>
    public sealed class LibStdCxxCompatPlan
    {
        public const string LibStdCxxSoname = "libstdc++.so.6";

        private LibStdCxxCompatPlan(IReadOnlyList<VersionNeed> missing, IReadOnlyList<VersionedSymbol> symbols, IReadOnlyList<VersionedSymbol> blockers)
        {
            Missing = missing; Symbols = symbols; Blockers = blockers;
        }

        /// <summary>Versions the library needs from libstdc++ that the host's libstdc++ does not define.</summary>
        public IReadOnlyList<VersionNeed> Missing { get; }
        /// <summary>The library's symbols still bound to a missing version (their .gnu.version entries to clear).</summary>
        public IReadOnlyList<VersionedSymbol> Symbols { get; }
        /// <summary>Symbols of a missing version that a relocation binds: the library would really call them, so no patch can help.</summary>
        public IReadOnlyList<VersionedSymbol> Blockers { get; }

        /// <summary>The host defines everything the library needs: leave it alone.</summary>
        public bool HostIsNewEnough => Missing.Count == 0;
        public bool CanPatch => Missing.Count > 0 && Blockers.Count == 0;
        /// <summary>Every missing version is already weak and no symbol is bound to one: an earlier build patched it.</summary>
        public bool AlreadyPatched => CanPatch && Symbols.Count == 0 && Missing.All(m => m.IsWeak);

        public static LibStdCxxCompatPlan For(ElfImage library, ICollection<string> hostVersions)
        {
            var missing = library.NeededVersions()
                .Where(n => n.File == LibStdCxxSoname && !hostVersions.Contains(n.Name))
                .ToList();
            var symbols = missing.SelectMany(m => library.SymbolsOfVersion(m.Index)).ToList();
            return new LibStdCxxCompatPlan(missing, symbols, symbols.Where(s => s.Relocated).ToList());
        }

        /// <summary>Makes each missing version weak and unversions its symbols (VER_NDX_GLOBAL); returns whether a byte changed.</summary>
        public bool ApplyTo(ElfImage library)
        {
            if (!CanPatch) throw new InvalidOperationException(library.Description + ": cannot be patched; " + string.Join(", ", Blockers.Select(b => b.Name)) + " would be called");
            bool changed = false;
            foreach (VersionNeed need in Missing)
            {
                ushort flags = (ushort)(library.U16(need.Offset + 4) | ElfImage.VerFlgWeak);
                changed |= flags != library.U16(need.Offset + 4);
                library.WriteU16(need.Offset + 4, flags);
            }
            foreach (VersionedSymbol symbol in Symbols)
            {
                changed |= library.U16(symbol.VersymOffset) != ElfImage.VerNdxGlobal;
                library.WriteU16(symbol.VersymOffset, ElfImage.VerNdxGlobal);
            }
            return changed;
        }
    }

    /// <summary>Finds the libstdc++ a .NET process on this host uses, the one libLibTorchSharp.so will bind to.</summary>
    public static class HostLibStdCxx
    {
        /// <summary>
        /// The runtime itself links libstdc++, so the copy this (MSBuild) process mapped is the one every .NET process here loads;
        /// failing that, LD_LIBRARY_PATH and the usual library directories for the machine, as the loader searches them.
        /// </summary>
        public static string Locate(ushort machine)
        {
            string mapped = MappedLibStdCxx(machine);
            if (mapped != null) return mapped;
            var dirs = new List<string>();
            string ldLibraryPath = Environment.GetEnvironmentVariable("LD_LIBRARY_PATH");
            if (!string.IsNullOrEmpty(ldLibraryPath)) dirs.AddRange(ldLibraryPath.Split(':').Where(d => d.Length > 0));
            string triplet = machine == 183 ? "aarch64-linux-gnu" : "x86_64-linux-gnu";
            dirs.AddRange(new[] { "/lib/" + triplet, "/usr/lib/" + triplet, "/lib64", "/usr/lib64", "/lib", "/usr/lib" });
            foreach (string dir in dirs)
            {
                string path = Path.Combine(dir, LibStdCxxCompatPlan.LibStdCxxSoname);
                if (File.Exists(path) && IsFor(path, machine)) return path;
            }
            return null;
        }

        private static string MappedLibStdCxx(ushort machine)
        {
            try
            {
                foreach (string line in File.ReadLines("/proc/self/maps"))
                {
                    int slash = line.IndexOf('/');
                    if (slash < 0) continue;
                    string path = line.Substring(slash);
                    if (Path.GetFileName(path) == LibStdCxxCompatPlan.LibStdCxxSoname && File.Exists(path) && IsFor(path, machine)) return path;
                }
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
            return null;
        }

        private static bool IsFor(string path, ushort machine)
        {
            try
            {
                var header = new byte[20];
                using (var stream = File.OpenRead(path))
                {
                    if (stream.Read(header, 0, header.Length) != header.Length) return false;
                }
                return header[0] == 0x7f && header[4] == 2 && header[5] == 1 && (header[18] | header[19] << 8) == machine;
            }
            catch (IOException) { return false; }
        }
    }

    /// <summary>The decision and the patch for one file, with the sentence that tells the build log what happened and why.</summary>
    public static class LibStdCxxCompat
    {
        public enum Outcome { HostIsNewEnough, Patched, AlreadyPatched, CannotPatch }

        /// <summary>
        /// Patches <paramref name="libraryPath"/> in place (through a new file, so a hard link into the NuGet cache is never written)
        /// when <paramref name="hostLibStdCxx"/> lacks a version it needs and nothing would call the symbols bound to it.
        /// The file keeps its timestamp, so the SDK's copy step sees it unchanged and the next build finds it already patched.
        /// </summary>
        public static Outcome Run(string libraryPath, string hostLibStdCxx, out string message)
        {
            var library = ElfImage.Load(libraryPath);
            var hostVersions = new HashSet<string>(ElfImage.Load(hostLibStdCxx).DefinedVersions(), StringComparer.Ordinal);
            var plan = LibStdCxxCompatPlan.For(library, hostVersions);
            string missing = string.Join(", ", plan.Missing.Select(m => m.Name));
            string symbols = string.Join(", ", plan.Symbols.Select(s => s.Name).Distinct());
            if (plan.HostIsNewEnough)
            {
                message = "Sched.TorchSharp: " + libraryPath + " left as shipped: " + hostLibStdCxx + " defines every libstdc++ version it needs.";
                return Outcome.HostIsNewEnough;
            }
            if (!plan.CanPatch)
            {
                message = "Sched.TorchSharp: " + libraryPath + " will not load: " + hostLibStdCxx + " lacks " + missing
                    + ", and " + string.Join(", ", plan.Blockers.Select(b => b.Name).Distinct())
                    + " would really be called; install a newer libstdc++ (GCC 13 or later).";
                return Outcome.CannotPatch;
            }
            if (plan.AlreadyPatched)
            {
                message = "Sched.TorchSharp: " + libraryPath + " already loads with " + hostLibStdCxx + " (which lacks " + missing
                    + "): its requirement of " + missing + " is weak; nothing to do.";
                return Outcome.AlreadyPatched;
            }
            plan.ApplyTo(library);
            DateTime stamp = File.GetLastWriteTimeUtc(libraryPath);
            string temporary = libraryPath + ".sched-patch";
            File.WriteAllBytes(temporary, library.Bytes);
            File.SetLastWriteTimeUtc(temporary, stamp);
            File.Delete(libraryPath);
            File.Move(temporary, libraryPath);
            message = "Sched.TorchSharp: patched " + libraryPath + " to load with " + hostLibStdCxx + ", which lacks " + missing
                + ": made that requirement weak and unversioned " + symbols
                + ", which nothing relocates against (an iostream-init link anchor, never called). Only this build-output copy was changed.";
            return Outcome.Patched;
        }
    }

#if !SCHED_LIBSTDCXX_COMPAT_NO_TASK
    /// <summary>MSBuild task: runs <see cref="LibStdCxxCompat"/> over the build output's copies of libLibTorchSharp.so.</summary>
    public sealed class SchedLibStdCxxCompat : Microsoft.Build.Utilities.Task
    {
        /// <summary>Output copies of libLibTorchSharp.so; never files in the NuGet cache.</summary>
        [Microsoft.Build.Framework.Required]
        public Microsoft.Build.Framework.ITaskItem[] Libraries { get; set; }

        /// <summary>The libstdc++ to check against; empty: the one this host's .NET processes load.</summary>
        public string LibStdCxxPath { get; set; }

        public override bool Execute()
        {
            foreach (var item in Libraries)
            {
                string path = item.GetMetadata("FullPath");
                if (!File.Exists(path)) continue;
                try
                {
                    string host = string.IsNullOrEmpty(LibStdCxxPath) ? HostLibStdCxx.Locate(ElfImage.Load(path).Machine) : LibStdCxxPath;
                    if (host == null)
                    {
                        Log.LogWarning("Sched.TorchSharp: no libstdc++.so.6 found on this host; " + path + " left as shipped.");
                        continue;
                    }
                    string message;
                    switch (LibStdCxxCompat.Run(path, host, out message))
                    {
                        case LibStdCxxCompat.Outcome.CannotPatch:
                            Log.LogWarning(message);
                            break;
                        case LibStdCxxCompat.Outcome.HostIsNewEnough:
                            Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Normal, message);
                            break;
                        default:
                            Log.LogMessage(Microsoft.Build.Framework.MessageImportance.High, message);
                            break;
                    }
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is InvalidDataException)
                {
                    Log.LogWarning("Sched.TorchSharp: could not check or patch " + path + " for this host's libstdc++: " + e.Message);
                }
            }
            return !Log.HasLoggedErrors;
        }
    }
#endif
}
