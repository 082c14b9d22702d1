using System.Text;

namespace ContainerPS.Core.Interop;

/// <summary>
/// The bpf(2) commands the runtime uses: load a program (with the verifier's log kept for the error) and attach it to
/// a cgroup. union bpf_attr is laid out by hand, zeroed up to the size passed, as the kernel requires of unused fields.
/// </summary>
public static unsafe class Bpf
{
    private const long ProgLoad = 5, ProgAttach = 8;
    private const int AttrSize = 128, LogSize = 64 * 1024;

    /// <summary>Loads instructions (8 bytes each) as a program of the given type; a refusal carries the verifier's words.</summary>
    public static SafeFd LoadProgram(uint type, ReadOnlySpan<byte> instructions, uint expectedAttachType, string name)
    {
        var attr = stackalloc byte[AttrSize];
        new Span<byte>(attr, AttrSize).Clear();
        var log = new byte[LogSize];
        var license = "Apache-2.0\0"u8;
        fixed (byte* insns = instructions)
        fixed (byte* lic = license)
        fixed (byte* logBuffer = log)
        {
            *(uint*)(attr + 0) = type;
            *(uint*)(attr + 4) = (uint)(instructions.Length / 8);
            *(ulong*)(attr + 8) = (ulong)insns;
            *(ulong*)(attr + 16) = (ulong)lic;
            *(uint*)(attr + 24) = 1; // log_level: the log is written only when the verifier refuses
            *(uint*)(attr + 28) = LogSize;
            *(ulong*)(attr + 32) = (ulong)logBuffer;
            Encoding.ASCII.GetBytes(name.AsSpan(0, Math.Min(name.Length, 15)), new Span<byte>(attr + 48, 16));
            *(uint*)(attr + 68) = expectedAttachType;
            var fd = RawSyscall.Invoke(SyscallNumber.Bpf, ProgLoad, (long)attr, AttrSize);
            if (fd == -1)
            {
                var words = Encoding.ASCII.GetString(log, 0, Math.Max(0, Array.IndexOf(log, (byte)0))).Trim();
                Check.Result(fd, "bpf(BPF_PROG_LOAD)", words.Length == 0 ? name : $"{name}: {words}");
            }
            return new SafeFd((int)fd);
        }
    }

    /// <summary>Attaches a loaded program to the group open at <paramref name="cgroup"/>.</summary>
    public static void Attach(SafeFd cgroup, SafeFd program, uint attachType, uint flags, string target)
    {
        var attr = stackalloc byte[AttrSize];
        new Span<byte>(attr, AttrSize).Clear();
        *(uint*)(attr + 0) = (uint)cgroup.Value;
        *(uint*)(attr + 4) = (uint)program.Value;
        *(uint*)(attr + 8) = attachType;
        *(uint*)(attr + 12) = flags;
        Check.Result(RawSyscall.Invoke(SyscallNumber.Bpf, ProgAttach, (long)attr, AttrSize), "bpf(BPF_PROG_ATTACH)", target);
    }
}
