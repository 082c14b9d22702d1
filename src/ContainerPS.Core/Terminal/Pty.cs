using ContainerPS.Core.Interop;
using static Tmds.Linux.LibC;

namespace ContainerPS.Core.Terminal;

/// <summary>A pseudo-terminal pair: we keep the master; the slave becomes the stdio of the process inside.</summary>
public sealed unsafe class Pty : IDisposable
{
    private const ulong TIOCSPTLCK = 0x40045431, TIOCGPTPEER = 0x5441, TIOCSWINSZ = 0x5414, TIOCGPTN = 0x80045430;

    private Pty(SafeFd master) => Master = master;

    public SafeFd Master { get; }

    /// <summary>A pair from the host's ptmx (a command that stays in the host's mount namespace, an engine's console).</summary>
    public static Pty Open() => Unlocked(Sys.Open("/dev/ptmx", O_RDWR | O_NOCTTY), "/dev/ptmx");

    /// <summary>
    /// A pair from the ptmx of another root (a container's /proc/PID/root): the slave is a /dev/pts/N of the container's
    /// devpts, so tty and ttyname work inside, where the host's would be a path it cannot see. Its /dev is the
    /// container's to change, so
    /// the path is resolved inside that root only (openat2 RESOLVE_IN_ROOT, no magic links: a link /dev/ptmx ->
    /// /dev/watchdog stays in the container), and what opens must be a ptmx (character device 5:2), or nothing is used.
    /// </summary>
    public static Pty OpenInRoot(string root)
    {
        using var dir = Sys.Open(root, O_PATH | O_DIRECTORY);
        // Non-blocking, so a fifo put in its place could not hang the open; blocking again once it is known a ptmx.
        var master = Sys.OpenBeneath(dir, "dev/ptmx", O_RDWR | O_NOCTTY | O_NONBLOCK, Sys.ResolveInRoot | Sys.ResolveNoMagicLinks);
        if (!Sys.TryStat(master, out var st) || (st.st_mode & S_IFMT) != S_IFCHR || st.st_rdev != PtmxDevice)
        {
            master.Dispose();
            throw new ContainerPSException("TerminalDeviceInvalid", FailureKind.InvalidData,
                $"{root}/dev/ptmx is not a pseudo-terminal multiplexer (character device 5:2): the container has replaced it, so no terminal is opened from it.", root);
        }
        Sys.SetBlocking(master);
        return Unlocked(master, root + "/dev/ptmx");
    }

    // makedev(5, 2) as glibc encodes it in st_rdev.
    private const ulong PtmxDevice = (5 << 8) | 2;

    private static Pty Unlocked(SafeFd master, string what)
    {
        int unlock = 0;
        Check.Result(LibcCalls.Ioctl(master.Value, TIOCSPTLCK, (nint)(&unlock)), "ioctl(TIOCSPTLCK)", what);
        return new Pty(master);
    }

    /// <summary>The slave end, opened through the master (TIOCGPTPEER), so no /dev/pts path lookup can be raced.</summary>
    public SafeFd OpenSlave() =>
        new(Check.Result(LibcCalls.Ioctl(Master.Value, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC), "ioctl(TIOCGPTPEER)", "/dev/ptmx"));

    /// <summary>The slave's number N, as /dev/pts/N of the devpts the master came from.</summary>
    public int Number()
    {
        int number = 0;
        Check.Result(LibcCalls.Ioctl(Master.Value, TIOCGPTN, (nint)(&number)), "ioctl(TIOCGPTN)");
        return number;
    }

    public void Resize(ushort rows, ushort columns)
    {
        var size = stackalloc ushort[4] { rows, columns, 0, 0 };
        Check.Result(LibcCalls.Ioctl(Master.Value, TIOCSWINSZ, (nint)size), "ioctl(TIOCSWINSZ)");
    }

    public void Dispose() => Master.Dispose();
}
