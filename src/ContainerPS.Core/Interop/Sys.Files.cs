using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace ContainerPS.Core.Interop;

/// <summary>
/// Calls relative to a directory descriptor, for writing a tree whose own entries must never lead a write outside
/// it (an image layer being unpacked): the directory is opened beneath the tree's root, the entry named in it.
/// </summary>
public static unsafe partial class Sys
{
    /// <summary>RESOLVE_BENEATH: a path that leaves the directory, by "..", an absolute path or a symlink, fails with EXDEV.</summary>
    public const ulong ResolveBeneath = 0x08;

    /// <summary>RESOLVE_IN_ROOT: ".." and absolute links stop at the directory, as if it were /.</summary>
    public const ulong ResolveInRoot = 0x10;

    /// <summary>RESOLVE_NO_MAGICLINKS: /proc/self/fd-style links are not followed.</summary>
    public const ulong ResolveNoMagicLinks = 0x02;

    /// <summary>openat2(2) of a path below <paramref name="dir"/>; throws with the path named, so EXDEV reads as "escapes".</summary>
    public static SafeFd OpenBeneath(SafeFd dir, string path, int flags, ulong resolve)
    {
        ulong* how = stackalloc ulong[3];
        how[0] = (ulong)(flags | O_CLOEXEC);
        how[1] = 0;
        how[2] = resolve;
        fixed (byte* p = Utf8.Z(path.Length == 0 ? "." : path))
        {
            while (true)
            {
                var fd = RawSyscall.Invoke(SyscallNumber.Openat2, dir.Value, (long)p, (long)how, 24, 0);
                if (fd != -1 || Check.LastErrno != (int)Errno.EINTR)
                {
                    return new SafeFd((int)Check.Result(fd, "openat2", path));
                }
            }
        }
    }

    /// <summary>Creates a regular file in <paramref name="dir"/> (never through a symlink there) and opens it for writing.</summary>
    public static SafeFd CreateFileAt(SafeFd dir, string name, uint mode)
    {
        fixed (byte* n = Utf8.Z(name))
        {
            return new SafeFd(Check.Result(LibcCalls.OpenAt(dir.Value, n, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode), "openat", name));
        }
    }

    /// <summary>Writes all of <paramref name="data"/>, however many write(2) calls that takes.</summary>
    public static void WriteAll(SafeFd fd, ReadOnlySpan<byte> data, string target)
    {
        while (data.Length > 0)
        {
            data = data[Write(fd, data, target)..];
        }
    }

    /// <summary>mkdirat(2); false when the name exists already.</summary>
    public static bool MakeDirectoryAt(SafeFd dir, string name, uint mode)
    {
        fixed (byte* n = Utf8.Z(name))
        {
            if (LibcCalls.MakeDirectoryAt(dir.Value, n, mode) == 0)
            {
                return true;
            }
            if (Check.LastErrno == (int)Errno.EEXIST)
            {
                return false;
            }
            throw new NativeException("mkdirat", name, Check.LastErrno);
        }
    }

    public static void MakeNodeAt(SafeFd dir, string name, uint mode, ulong device)
    {
        fixed (byte* n = Utf8.Z(name))
        {
            Check.Result(LibcCalls.MakeNodeAt(dir.Value, n, mode, device), "mknodat", name);
        }
    }

    public static void SymlinkAt(string target, SafeFd dir, string name)
    {
        fixed (byte* t = Utf8.Z(target), n = Utf8.Z(name))
        {
            Check.Result(symlinkat(t, dir.Value, n), "symlinkat", name);
        }
    }

    /// <summary>A hard link named <paramref name="name"/> in <paramref name="dir"/> to the file <paramref name="source"/> (an O_PATH descriptor) is.</summary>
    public static void LinkAt(SafeFd source, SafeFd dir, string name)
    {
        const int AT_EMPTY_PATH = 0x1000;
        fixed (byte* empty = Utf8.Z(""), n = Utf8.Z(name))
        {
            Check.Result(LibcCalls.LinkAt(source.Value, empty, dir.Value, n, AT_EMPTY_PATH), "linkat", name);
        }
    }

    /// <summary>unlinkat(2) of a file or an empty directory; false when there was none.</summary>
    public static bool TryUnlinkAt(SafeFd dir, string name, bool directory)
    {
        fixed (byte* n = Utf8.Z(name))
        {
            if (unlinkat(dir.Value, n, directory ? AT_REMOVEDIR : 0) == -1)
            {
                if (Check.LastErrno == (int)Errno.ENOENT)
                {
                    return false;
                }
                throw new NativeException("unlinkat", name, Check.LastErrno);
            }
            return true;
        }
    }

    /// <summary>fchownat(2) of the entry itself, a symlink included.</summary>
    public static void ChownAt(SafeFd dir, string name, uint uid, uint gid)
    {
        fixed (byte* n = Utf8.Z(name))
        {
            Check.Result(fchownat(dir.Value, n, uid, gid, AT_SYMLINK_NOFOLLOW), "fchownat", name);
        }
    }

    /// <summary>fchmodat(2); the caller names an entry it made, never a symlink (whose mode Linux does not keep).</summary>
    public static void ChmodAt(SafeFd dir, string name, uint mode)
    {
        fixed (byte* n = Utf8.Z(name))
        {
            Check.Result(LibcCalls.ChangeModeAt(dir.Value, n, mode, 0), "fchmodat", name);
        }
    }

    /// <summary>Sets the entry's access and modification times (a symlink's own) to <paramref name="time"/>.</summary>
    public static void SetTimesAt(SafeFd dir, string name, DateTimeOffset time)
    {
        var seconds = time.ToUnixTimeSeconds();
        var nanoseconds = (time.UtcTicks - DateTimeOffset.FromUnixTimeSeconds(seconds).UtcTicks) * 100;
        timespec* times = stackalloc timespec[2];
        times[0].tv_sec = (time_t)seconds;
        times[0].tv_nsec = (long_t)nanoseconds;
        times[1] = times[0];
        fixed (byte* n = Utf8.Z(name))
        {
            Check.Result(utimensat(dir.Value, n, times, AT_SYMLINK_NOFOLLOW), "utimensat", name);
        }
    }

    /// <summary>An extended attribute of the entry itself (lsetxattr through the directory's /proc/self/fd link).</summary>
    public static void SetAttributeAt(SafeFd dir, string name, string attribute, ReadOnlySpan<byte> value)
    {
        fixed (byte* p = Utf8.Z($"/proc/self/fd/{dir.Value}/{name}"), a = Utf8.Z(attribute), v = value)
        {
            Check.Result(LibcCalls.SetLinkAttribute(p, a, v, (nuint)value.Length, 0), "lsetxattr", $"{name} {attribute}");
        }
    }

    /// <summary>lstat(2) of a path, the link itself for a symlink; false when there is nothing there.</summary>
    public static bool TryLstat(string path, out stat st)
    {
        fixed (byte* p = Utf8.Z(path))
        fixed (stat* s = &st)
        {
            return lstat(p, s) == 0;
        }
    }

    /// <summary>An extended attribute of the path itself as text (lgetxattr), or null when it has none by that name.</summary>
    public static string? TryGetAttribute(string path, string attribute)
    {
        Span<byte> value = stackalloc byte[256];
        fixed (byte* p = Utf8.Z(path), a = Utf8.Z(attribute), v = value)
        {
            var length = LibcCalls.GetLinkAttribute(p, a, v, (nuint)value.Length);
            return length < 0 ? null : System.Text.Encoding.UTF8.GetString(value[..(int)length]);
        }
    }
}
