using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace ContainerPS.Core.Interop;

/// <summary>A unix stream socket to a helper's API (slirp4netns): connect, and end what we send.</summary>
public static unsafe partial class Sys
{
    /// <summary>A stream socket connected to the AF_UNIX socket at <paramref name="path"/> (which must fit in sun_path).</summary>
    public static SafeFd ConnectUnix(string path)
    {
        var name = Utf8.Z(path)!;
        var fd = new SafeFd(Check.Result(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), "socket(AF_UNIX)", path));
        try
        {
            var address = new sockaddr_un { sun_family = (sa_family_t)AF_UNIX };
            if (name.Length > sockaddr_un.sun_path_length)
            {
                throw new NativeException("connect", path, (int)Errno.ENAMETOOLONG);
            }
            name.CopyTo(new Span<byte>(address.sun_path, name.Length));
            Check.Result(connect(fd.Value, (sockaddr*)&address, (socklen_t)sizeof(sockaddr_un)), "connect", path);
            return fd;
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    /// <summary>shutdown(SHUT_WR): the other side reads end-of-file, and may still answer.</summary>
    public static void ShutdownWrite(SafeFd socket) => Check.Result(shutdown(socket.Value, SHUT_WR), "shutdown");
}
