using ContainerPS.Core.Interop;
using static Tmds.Linux.LibC;

namespace ContainerPS.Core.Terminal;

/// <summary>A pseudo-terminal pair: we keep the master; the slave becomes the stdio of the process inside.</summary>
public sealed unsafe class Pty : IDisposable
{
    private const ulong TIOCSPTLCK = 0x40045431, TIOCGPTPEER = 0x5441, TIOCSWINSZ = 0x5414;

    private Pty(SafeFd master) => Master = master;

    public SafeFd Master { get; }

    /// <summary>
    /// Opens a pair from the given ptmx: a container's own (/proc/PID/root/dev/ptmx) makes the slave a /dev/pts/N of
    /// the container's devpts, so tty and ttyname work inside; the host's would be a path the container cannot see.
    /// </summary>
    public static Pty Open(string ptmx = "/dev/ptmx")
    {
        var master = Sys.Open(ptmx, O_RDWR | O_NOCTTY);
        int unlock = 0;
        Check.Result(LibcCalls.Ioctl(master.Value, TIOCSPTLCK, (nint)(&unlock)), "ioctl(TIOCSPTLCK)", ptmx);
        return new Pty(master);
    }

    /// <summary>The slave end, opened through the master (TIOCGPTPEER), so no /dev/pts path lookup can be raced.</summary>
    public SafeFd OpenSlave() =>
        new(Check.Result(LibcCalls.Ioctl(Master.Value, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC), "ioctl(TIOCGPTPEER)", "/dev/ptmx"));

    public void Resize(ushort rows, ushort columns)
    {
        var size = stackalloc ushort[4] { rows, columns, 0, 0 };
        Check.Result(LibcCalls.Ioctl(Master.Value, TIOCSWINSZ, (nint)size), "ioctl(TIOCSWINSZ)");
    }

    public void Dispose() => Master.Dispose();
}
