using System.Runtime.InteropServices;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace ContainerPS.Core.Interop;

/// <summary>
/// The socket and namespace calls a netlink socket makes, each checked through <see cref="Check"/>: kept apart
/// from Sys because only Network's netlink client makes them.
/// </summary>
internal static unsafe class NetlinkCalls
{
    public const int NetlinkRoute = 0;
    private const int NetlinkCapAck = 10, NetlinkExtAck = 11;
    private const int DupCloseOnExec = 1030; // F_DUPFD_CLOEXEC

    /// <summary>An AF_NETLINK socket in the calling thread's network namespace, where it stays for life.</summary>
    public static SafeFd Socket(int protocol) =>
        new(Check.Result(socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol), "socket(AF_NETLINK)"));

    /// <summary>
    /// Asks for extended acks (the kernel's reason text and the offending attribute's offset) and for errors
    /// that echo only the request's header, so an error reply never outgrows the receive buffer.
    /// </summary>
    public static void EnableExtendedAcks(SafeFd socket)
    {
        SetOption(socket, NetlinkExtAck, "NETLINK_EXT_ACK");
        SetOption(socket, NetlinkCapAck, "NETLINK_CAP_ACK");
    }

    private static void SetOption(SafeFd socket, int option, string name)
    {
        var on = 1;
        Check.Result(setsockopt(socket.Value, SOL_NETLINK, option, &on, sizeof(int)), "setsockopt", name);
    }

    /// <summary>Binds with port id 0 so the kernel picks a unique one.</summary>
    public static void Bind(SafeFd socket)
    {
        var address = new NetlinkAddress { Family = (ushort)(int)AF_NETLINK };
        Check.Result(bind(socket.Value, (sockaddr*)&address, (uint)sizeof(NetlinkAddress)), "bind(AF_NETLINK)");
    }

    public static void Send(SafeFd socket, ReadOnlySpan<byte> message, string request)
    {
        fixed (byte* p = message)
        {
            while (true)
            {
                long sent = send(socket.Value, p, message.Length, 0);
                if (sent != -1 || Check.LastErrno != (int)Errno.EINTR)
                {
                    Check.Result(sent, "send", request);
                    return;
                }
            }
        }
    }

    /// <summary>Receives one datagram; returns its full length, which exceeds the buffer when it was cut (MSG_TRUNC).</summary>
    public static int Receive(SafeFd socket, Span<byte> buffer, string request)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                long received = recv(socket.Value, p, buffer.Length, MSG_TRUNC);
                if (received != -1 || Check.LastErrno != (int)Errno.EINTR)
                {
                    return (int)Check.Result(received, "recv", request);
                }
            }
        }
    }

    /// <summary>Moves the calling thread (only it: a network namespace is per thread) into another network namespace.</summary>
    public static void EnterNamespace(SafeFd ns, string target) =>
        Check.Result(setns(ns.Value, CLONE_NEWNET), "setns(CLONE_NEWNET)", target);

    /// <summary>A second descriptor of the same open file, for a caller's descriptor we must not close.</summary>
    public static SafeFd Duplicate(SafeFd fd) =>
        new(Check.Result(fcntl(fd.Value, DupCloseOnExec, 0), "fcntl(F_DUPFD_CLOEXEC)", fd.Value.ToString()));

    /// <summary>struct sockaddr_nl.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct NetlinkAddress
    {
        public ushort Family;
        public ushort Padding;
        public uint PortId;
        public uint Groups;
    }
}
