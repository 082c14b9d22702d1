using ContainerPS.Core.Interop;
using static Tmds.Linux.LibC;

namespace ContainerPS.Core.Rootfs;

/// <summary>
/// Brings up lo in a new network namespace (which starts with it down), as docker and podman do, so the
/// container's processes can talk to each other over 127.0.0.1. One SIOCSIFFLAGS ioctl; no netlink needed.
/// </summary>
public static unsafe class Loopback
{
    private const ulong SIOCGIFFLAGS = 0x8913, SIOCSIFFLAGS = 0x8914;
    private const short IFF_UP = 0x1;

    public static void BringUp()
    {
        using var socket = new SafeFd(Check.Result(Tmds.Linux.LibC.socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), "socket(AF_INET)"));
        var request = stackalloc byte[40]; // struct ifreq: 16-byte name, then the flags union
        "lo"u8.CopyTo(new Span<byte>(request, 16));
        Check.Result(LibcCalls.Ioctl(socket.Value, SIOCGIFFLAGS, (nint)request), "ioctl(SIOCGIFFLAGS)", "lo");
        *(short*)(request + 16) |= IFF_UP;
        Check.Result(LibcCalls.Ioctl(socket.Value, SIOCSIFFLAGS, (nint)request), "ioctl(SIOCSIFFLAGS)", "lo");
    }
}
