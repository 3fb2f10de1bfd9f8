// An MSBuild task (compiled by RoslynCodeTaskFactory from Directory.Build.targets).
//
// Why: TorchSharp 0.107.0's libLibTorchSharp.so was linked against GCC 15's libstdc++ and so asks for
// the symbol version GLIBCXX_3.4.32, but only for the marker symbol std::ios_base_library_init(),
// which nothing calls. Debian 12 and Ubuntu 22.04 ship libstdc++ up to GLIBCXX_3.4.30, so the loader
// refuses the library and TorchSharp reports a misleading "TypeInitializationException".
// Marking that one version requirement WEAK (VER_FLG_WEAK in the ELF .gnu.version_r section) lets the
// loader accept it. The task does nothing when the system libstdc++ already provides the version,
// on non-ELF files, or on files already patched (idempotent).
using System;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class WeakenGlibcxxRequirement : Task
{
    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlagWeak = 0x2;

    [Required] public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

    public string Version { get; set; } = "GLIBCXX_3.4.32";

    public override bool Execute()
    {
        if (SystemLibstdcxxProvides(Version)) return true;
        foreach (var item in Files)
        {
            var path = item.ItemSpec;
            if (!File.Exists(path)) continue;
            try
            {
                var bytes = File.ReadAllBytes(path);
                int changed = Weaken(bytes, Version);
                if (changed == 0) continue;
                // Write beside, then rename over: a reader (a running kernel, a parallel build) never sees half a file.
                var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
                File.WriteAllBytes(temporary, bytes);
                File.Replace(temporary, path, null);
                Log.LogMessage(MessageImportance.High, $"Marked the {Version} requirement weak in {path} (system libstdc++ is older).");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or IndexOutOfRangeException or OverflowException)
            {
                Log.LogWarning($"Could not patch {path} for this system's older libstdc++ ({e.Message}); TorchSharp may fail to load. See environment.md.");
            }
        }
        return true;
    }

    static bool SystemLibstdcxxProvides(string version)
    {
        string[] candidates =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
        };
        var lib = candidates.FirstOrDefault(File.Exists);
        if (lib is null) return true; // no libstdc++ where we can see it: do not touch anything
        var needle = Encoding.ASCII.GetBytes(version + "\0");
        var bytes = File.ReadAllBytes(lib);
        for (int i = 0; i + needle.Length <= bytes.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && bytes[i + j] == needle[j]) j++;
            if (j == needle.Length) return true;
        }
        return false;
    }

    static uint ElfHash(string name)
    {
        uint h = 0;
        foreach (char c in name)
        {
            h = (h << 4) + c;
            uint g = h & 0xF0000000;
            if (g != 0) h ^= g >> 24;
            h &= ~g;
        }
        return h;
    }

    /// <summary>Sets VER_FLG_WEAK on every Vernaux entry named <paramref name="version"/>; returns how many changed.</summary>
    static int Weaken(byte[] d, string version)
    {
        // 64-bit little-endian ELF only (the only kind TorchSharp ships for Linux).
        if (d.Length < 64 || d[0] != 0x7f || d[1] != (byte)'E' || d[2] != (byte)'L' || d[3] != (byte)'F' || d[4] != 2 || d[5] != 1) return 0;
        uint hash = ElfHash(version);
        long shoff = BitConverter.ToInt64(d, 0x28);
        int shentsize = BitConverter.ToUInt16(d, 0x3A), shnum = BitConverter.ToUInt16(d, 0x3C);
        int changed = 0;
        for (int i = 0; i < shnum; i++)
        {
            int sh = checked((int)(shoff + (long)i * shentsize));
            if (BitConverter.ToUInt32(d, sh + 4) != ShtGnuVerneed) continue;
            long sectionOffset = BitConverter.ToInt64(d, sh + 24);
            int link = (int)BitConverter.ToUInt32(d, sh + 40), count = (int)BitConverter.ToUInt32(d, sh + 44);
            long strtab = BitConverter.ToInt64(d, checked((int)(shoff + (long)link * shentsize)) + 24);
            long need = sectionOffset;
            for (int n = 0; n < count; n++)
            {
                int auxCount = BitConverter.ToUInt16(d, (int)need + 2);
                long aux = need + BitConverter.ToUInt32(d, (int)need + 8);
                for (int k = 0; k < auxCount; k++)
                {
                    uint h = BitConverter.ToUInt32(d, (int)aux);
                    ushort flags = BitConverter.ToUInt16(d, (int)aux + 4);
                    int nameStart = (int)(strtab + BitConverter.ToUInt32(d, (int)aux + 8)), nameEnd = nameStart;
                    while (d[nameEnd] != 0) nameEnd++;
                    if (h == hash && (flags & VerFlagWeak) == 0 && Encoding.ASCII.GetString(d, nameStart, nameEnd - nameStart) == version)
                    {
                        d[aux + 4] = (byte)(flags | VerFlagWeak);
                        changed++;
                    }
                    aux += BitConverter.ToUInt32(d, (int)aux + 12);
                }
                uint next = BitConverter.ToUInt32(d, (int)need + 12);
                if (next == 0) break;
                need += next;
            }
        }
        return changed;
    }
}
