using static Tmds.Linux.LibC;

namespace ContainerPS.Core.Interop;

/// <summary>
/// The open(2) flags and openat2(2) resolution a step list passes by value. O_DIRECTORY and O_NOFOLLOW are not the
/// same number on x86-64 and arm64, so the flags come from Tmds.LibC's build for the running architecture, never
/// from a literal.
/// </summary>
internal static class OpenFlags
{
    public static long WriteOnly => O_WRONLY;
    public static long Create => O_CREAT;
    public static long Exclusive => O_EXCL;
    public static long NoFollow => O_NOFOLLOW;
    public static long PathOnly => O_PATH;
    public static long Directory => O_DIRECTORY;
    public static long CloseOnExec => O_CLOEXEC;

    /// <summary>
    /// struct open_how (flags, mode, resolve) for a path resolved inside the directory descriptor's tree, as if it were
    /// the root (".." and absolute symlinks stop there: RESOLVE_IN_ROOT), refusing magic links (/proc/PID/fd/N, cwd
    /// and root name directories wherever they are, outside the tree too: RESOLVE_NO_MAGICLINKS).
    /// </summary>
    public static byte[] InRoot(long flags)
    {
        var how = new byte[24];
        BitConverter.TryWriteBytes(how.AsSpan(0, 8), flags);
        BitConverter.TryWriteBytes(how.AsSpan(16, 8), Sys.ResolveInRoot | Sys.ResolveNoMagicLinks);
        return how;
    }
}
