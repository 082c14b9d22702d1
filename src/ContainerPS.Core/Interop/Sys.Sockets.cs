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

    /// <summary>
    /// Sends <paramref name="descriptor"/> over a unix socket (SCM_RIGHTS) with <paramref name="name"/> as the data, as
    /// an OCI runtime hands a terminal's master to its engine's --console-socket.
    /// </summary>
    public static void SendDescriptor(SafeFd socket, int descriptor, string name)
    {
        var data = System.Text.Encoding.UTF8.GetBytes(name);
        // The kernel's 64-bit struct cmsghdr (size_t len, int level, int type) then one int, padded to
        // CMSG_SPACE(sizeof(int)); written by offset, since Tmds.LibC declares the length as a socklen_t.
        const int Header = 16, Space = Header + 8;
        var control = stackalloc byte[Space];
        new Span<byte>(control, Space).Clear();
        *(ulong*)control = Header + sizeof(int);
        *(int*)(control + 8) = SOL_SOCKET;
        *(int*)(control + 12) = SCM_RIGHTS;
        *(int*)(control + Header) = descriptor;
        fixed (byte* bytes = data)
        {
            var vector = new iovec { iov_base = bytes, iov_len = (size_t)data.Length };
            var message = new msghdr { msg_iov = &vector, msg_iovlen = 1, msg_control = control, msg_controllen = (socklen_t)Space };
            Check.Result((int)sendmsg(socket.Value, &message, 0), "sendmsg(SCM_RIGHTS)");
        }
    }

    /// <summary>shutdown(SHUT_WR): the other side reads end-of-file, and may still answer.</summary>
    public static void ShutdownWrite(SafeFd socket) => Check.Result(shutdown(socket.Value, SHUT_WR), "shutdown");
}
