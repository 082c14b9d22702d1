using System.Runtime.InteropServices;
using ContainerPS.Core.Interop;
using static ContainerPS.Core.Network.NetlinkAlignment;

namespace ContainerPS.Core.Network;

/// <summary>
/// An rtnetlink (NETLINK_ROUTE) socket: sends requests, waits for the kernel's ack or reply matched by sequence
/// number, reads multipart dumps to NLMSG_DONE, and turns NLMSG_ERROR into a <see cref="NetlinkException"/> with
/// the kernel's extended ack. The socket lives in the network namespace it was opened in, whatever thread later
/// uses it; reuse one for many requests. Not thread-safe: one request at a time.
/// </summary>
public sealed class NetlinkSocket : IDisposable
{
    // The kernel fills a dump datagram up to 32 KiB at most; twice that leaves room for any single reply.
    private const int ReceiveBufferSize = 64 * 1024;
    // A dump the kernel marks interrupted (the table changed under it) is read again, this many times at most.
    private const int DumpAttempts = 5;
    private const int NlmsgerrAttrMessage = 1, NlmsgerrAttrOffset = 2;

    private readonly SafeFd _fd;
    private readonly byte[] _receive = GC.AllocateUninitializedArray<byte>(ReceiveBufferSize);
    private uint _sequence = (uint)Environment.TickCount;

    private NetlinkSocket(SafeFd fd) => _fd = fd;

    /// <summary>A socket in the calling thread's network namespace: the process's own, for every thread ContainerPS runs.</summary>
    public static NetlinkSocket Open() => Configure(NetlinkCalls.Socket(NetlinkCalls.NetlinkRoute));

    /// <summary>A socket inside another network namespace: every request on it acts there.</summary>
    public static NetlinkSocket Open(NetworkNamespace ns)
    {
        using var nsFd = ns.Open();
        return Configure(NetworkNamespaceThread.CreateIn(nsFd, ns.ToString(), () => NetlinkCalls.Socket(NetlinkCalls.NetlinkRoute)));
    }

    /// <summary>Sends a request (NLM_F_ACK is added) and waits for the kernel's ack; a refusal throws <see cref="NetlinkException"/>.</summary>
    public void Request(Span<byte> message, string? target) =>
        Exchange<object>(message, NetlinkFlags.Ack, target, null, null);

    /// <summary>Sends a request for one object (RTM_GETLINK by name) and decodes the reply.</summary>
    public T Query<T>(Span<byte> message, string? target, NetlinkDecoder<T> decode)
    {
        var results = new List<T>(1);
        Exchange(message, NetlinkFlags.Ack, target, decode, results);
        return results.Count > 0
            ? results[0]
            : throw new InvalidDataException($"{NetlinkMessageType.Name(TypeOf(message))} {target}: the kernel acknowledged without a reply");
    }

    /// <summary>Sends a dump request (NLM_F_DUMP is added) and decodes every reply up to NLMSG_DONE.</summary>
    public List<T> Dump<T>(Span<byte> message, string? target, NetlinkDecoder<T> decode)
    {
        var results = new List<T>();
        for (var attempt = 1; ; attempt++)
        {
            results.Clear();
            if (Exchange(message, NetlinkFlags.Dump, target, decode, results) || attempt == DumpAttempts)
            {
                return results;
            }
        }
    }

    public void Dispose() => _fd.Dispose();

    private static NetlinkSocket Configure(SafeFd fd)
    {
        try
        {
            NetlinkCalls.EnableExtendedAcks(fd);
            NetlinkCalls.Bind(fd);
            return new NetlinkSocket(fd);
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    /// <summary>
    /// One request and its answer. Returns false when a dump came back marked interrupted (inconsistent).
    /// Messages with another sequence number are leftovers of an earlier exchange that ended in an exception
    /// (a decoder that threw mid-dump) and are skipped.
    /// </summary>
    private bool Exchange<T>(Span<byte> message, ushort flags, string? target, NetlinkDecoder<T>? decode, List<T>? results)
    {
        var type = TypeOf(message);
        var allFlags = (ushort)(MemoryMarshal.Read<ushort>(message[6..]) | flags | NetlinkFlags.Request);
        var sequence = unchecked(++_sequence);
        MemoryMarshal.Write(message[6..], in allFlags);
        MemoryMarshal.Write(message[8..], in sequence);
        NetlinkCalls.Send(_fd, message, NetlinkMessageType.Name(type));

        var consistent = true;
        while (true)
        {
            var length = NetlinkCalls.Receive(_fd, _receive, NetlinkMessageType.Name(type));
            if (length > _receive.Length)
            {
                throw new InvalidDataException($"{NetlinkMessageType.Name(type)} {target}: a {length}-byte reply did not fit the {_receive.Length}-byte buffer");
            }
            ReadOnlySpan<byte> datagram = _receive.AsSpan(0, length);
            while (datagram.Length >= HeaderSize)
            {
                var reply = NetlinkMessage.Next(ref datagram);
                if (reply.Sequence != sequence)
                {
                    continue;
                }
                switch (reply.Type)
                {
                    case NetlinkMessageType.Error:
                        var errno = -MemoryMarshal.Read<int>(reply.Payload);
                        return errno == 0 ? consistent : throw Refusal(type, target, errno, reply);
                    case NetlinkMessageType.Done:
                        var status = reply.Payload.Length >= sizeof(int) ? -MemoryMarshal.Read<int>(reply.Payload) : 0;
                        return status == 0 ? consistent : throw Refusal(type, target, status, reply);
                    default:
                        consistent &= (reply.Flags & NetlinkFlags.DumpInterrupted) == 0;
                        if (decode is not null && decode(in reply, out var result))
                        {
                            results!.Add(result);
                        }
                        break;
                }
            }
        }
    }

    /// <summary>
    /// An NLMSG_ERROR (or a failed NLMSG_DONE): the int error, then (for NLMSG_ERROR) the echoed request's
    /// header and, unless capped, its payload; then, when NLM_F_ACK_TLVS is set, the extended-ack attributes.
    /// </summary>
    private static NetlinkException Refusal(ushort type, string? target, int errno, in NetlinkMessage reply)
    {
        string? text = null;
        int? offset = null;
        if ((reply.Flags & NetlinkFlags.AckAttributes) != 0)
        {
            var start = sizeof(int);
            if (reply.Type == NetlinkMessageType.Error)
            {
                var echoed = (int)MemoryMarshal.Read<uint>(reply.Payload[start..]);
                start += (reply.Flags & NetlinkFlags.Capped) != 0 ? HeaderSize : Align(echoed);
            }
            foreach (var attribute in new NetlinkAttributeReader(reply.Payload[Math.Min(start, reply.Payload.Length)..]))
            {
                switch (attribute.Type)
                {
                    case NlmsgerrAttrMessage:
                        text = attribute.ToText().Trim();
                        break;
                    case NlmsgerrAttrOffset:
                        offset = attribute.ToInt32();
                        break;
                }
            }
        }
        return new NetlinkException(NetlinkMessageType.Name(type), target, errno, string.IsNullOrEmpty(text) ? null : text, offset);
    }

    private static ushort TypeOf(ReadOnlySpan<byte> message) => MemoryMarshal.Read<ushort>(message[4..]);
}
