using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace ContainerPS.Core.Interop;

/// <summary>Executable memory, for the clone trampoline.</summary>
public static unsafe partial class Sys
{
    /// <summary>
    /// A private page holding <paramref name="code"/>, made executable and no longer writable; 0 where the host
    /// refuses executable memory (a hardened kernel may). Never unmapped: its one user keeps it for the process's life.
    /// On arm64 the kernel cleans the data cache and invalidates the instruction cache for a page as it becomes
    /// executable, so no cache maintenance is needed here.
    /// </summary>
    public static nint TryMapExecutable(ReadOnlySpan<byte> code)
    {
        const int PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4, MAP_PRIVATE = 2, MAP_ANONYMOUS = 0x20;
        var length = Environment.SystemPageSize;
        if (code.Length > length)
        {
            throw new ArgumentException($"{code.Length} bytes of code do not fit in one {length}-byte page.", nameof(code));
        }
        var page = mmap(null, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (page == (void*)-1)
        {
            return 0;
        }
        code.CopyTo(new Span<byte>(page, code.Length));
        if (mprotect(page, length, PROT_READ | PROT_EXEC) != 0)
        {
            munmap(page, length);
            return 0;
        }
        return (nint)page;
    }
}
