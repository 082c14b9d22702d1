using System.Runtime.InteropServices;

namespace ContainerPS.Core.Interop;

/// <summary>
/// libc calls declared here rather than taken from Tmds.LibC: those with a mode_t (its mode_t has no conversion
/// from a number); flock and a plain-argument ioctl, which it lacks; poll, which it declares without errno; the
/// *at calls a layer's unpacking makes that it lacks or types so (openat, mkdirat, fchmodat, linkat, mknodat, lsetxattr, lgetxattr);
/// setrlimit and umask, which it lacks.
/// </summary>
internal static unsafe partial class LibcCalls
{
    /// <summary>setrlimit with struct rlimit as two 64-bit numbers (soft, hard), as on every 64-bit Linux.</summary>
    [LibraryImport("libc.so.6", EntryPoint = "setrlimit", SetLastError = true)]
    public static partial int SetResourceLimit(int resource, ulong* limit);

    [LibraryImport("libc.so.6", EntryPoint = "umask")]
    public static partial uint Umask(uint mask);

    [LibraryImport("libc.so.6", EntryPoint = "open", SetLastError = true)]
    public static partial int Open(byte* path, int flags, uint mode);

    [LibraryImport("libc.so.6", EntryPoint = "mkfifo", SetLastError = true)]
    public static partial int MakeFifo(byte* path, uint mode);

    [LibraryImport("libc.so.6", EntryPoint = "flock", SetLastError = true)]
    public static partial int Flock(int fd, int operation);

    [LibraryImport("libc.so.6", EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, ulong request, nint argument);

    /// <summary>poll with errno kept: Tmds.LibC declares it without SetLastError, so an EINTR would read as errno 0.</summary>
    [LibraryImport("libc.so.6", EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(Tmds.Linux.pollfd* fds, ulong count, int timeout);

    [LibraryImport("libc.so.6", EntryPoint = "openat", SetLastError = true)]
    public static partial int OpenAt(int dirfd, byte* path, int flags, uint mode);

    [LibraryImport("libc.so.6", EntryPoint = "mkdirat", SetLastError = true)]
    public static partial int MakeDirectoryAt(int dirfd, byte* path, uint mode);

    [LibraryImport("libc.so.6", EntryPoint = "mknodat", SetLastError = true)]
    public static partial int MakeNodeAt(int dirfd, byte* path, uint mode, ulong device);

    [LibraryImport("libc.so.6", EntryPoint = "fchmodat", SetLastError = true)]
    public static partial int ChangeModeAt(int dirfd, byte* path, uint mode, int flags);

    [LibraryImport("libc.so.6", EntryPoint = "linkat", SetLastError = true)]
    public static partial int LinkAt(int olddirfd, byte* oldpath, int newdirfd, byte* newpath, int flags);

    [LibraryImport("libc.so.6", EntryPoint = "lsetxattr", SetLastError = true)]
    public static partial int SetLinkAttribute(byte* path, byte* name, byte* value, nuint size, int flags);

    [LibraryImport("libc.so.6", EntryPoint = "lgetxattr", SetLastError = true)]
    public static partial nint GetLinkAttribute(byte* path, byte* name, byte* value, nuint size);
}
