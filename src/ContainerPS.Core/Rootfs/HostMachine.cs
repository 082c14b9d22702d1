using System.Runtime.InteropServices;

namespace ContainerPS.Core.Rootfs;

/// <summary>
/// The machine the host's programs are built for, which every ELF object copied into a rootfs must match, and where
/// Debian's multiarch layout keeps its libraries.
/// </summary>
internal static class HostMachine
{
    private static readonly bool Arm64 = RuntimeInformation.ProcessArchitecture == Architecture.Arm64;

    /// <summary>e_machine: EM_X86_64 (62) or EM_AARCH64 (183).</summary>
    public static ushort ElfMachine => Arm64 ? (ushort)183 : (ushort)62;

    public static string Name => Arm64 ? "AArch64" : "x86-64";

    /// <summary>The GNU triplet that names the multiarch library directories (/usr/lib/TRIPLET).</summary>
    public static string Triplet => Arm64 ? "aarch64-linux-gnu" : "x86_64-linux-gnu";
}
