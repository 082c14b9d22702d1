using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Network;

/// <summary>
/// Network interfaces of the socket's namespace: list, look up, change, move, delete. Changes take the link's
/// index, which (unlike its name) stays put across a rename. Creating links is <see cref="Veth"/>'s and
/// <see cref="Bridge"/>'s job.
/// </summary>
public static class Link
{
    private const int BufferSize = 128;
    private const uint InterfaceUp = (uint)LinkFlags.Up;
    private const int ENODEV = 19; // what RTM_GETLINK answers for a name no link has

    public static IReadOnlyList<NetworkLink> List(NetlinkSocket socket)
    {
        var message = new NetlinkMessageBuilder(stackalloc byte[BufferSize], NetlinkMessageType.GetLink, 0);
        message.AddHeader(new InterfaceInfoMessage());
        message.Add(LinkAttribute.ExtendedMask, LinkAttribute.SkipStatistics);
        return socket.Dump<NetworkLink>(message.Complete(), null, NetworkLink.Decode);
    }

    /// <summary>The link named <paramref name="name"/>; throws <see cref="NetlinkException"/> (ENODEV) when there is none.</summary>
    public static NetworkLink Get(NetlinkSocket socket, string name)
    {
        InterfaceName.Validate(name);
        var message = new NetlinkMessageBuilder(stackalloc byte[BufferSize], NetlinkMessageType.GetLink, 0);
        message.AddHeader(new InterfaceInfoMessage());
        message.Add(LinkAttribute.Name, name);
        message.Add(LinkAttribute.ExtendedMask, LinkAttribute.SkipStatistics);
        return socket.Query<NetworkLink>(message.Complete(), name, NetworkLink.Decode);
    }

    public static NetworkLink Get(NetlinkSocket socket, int index)
    {
        var message = new NetlinkMessageBuilder(stackalloc byte[BufferSize], NetlinkMessageType.GetLink, 0);
        message.AddHeader(new InterfaceInfoMessage { Index = RequireIndex(index) });
        message.Add(LinkAttribute.ExtendedMask, LinkAttribute.SkipStatistics);
        return socket.Query<NetworkLink>(message.Complete(), Describe(index), NetworkLink.Decode);
    }

    /// <summary>The link named <paramref name="name"/>, or null when there is none.</summary>
    public static NetworkLink? TryGet(NetlinkSocket socket, string name)
    {
        try
        {
            return Get(socket, name);
        }
        catch (NetlinkException e) when (e.Errno == ENODEV)
        {
            return null;
        }
    }

    public static void SetUp(NetlinkSocket socket, int index) => SetFlags(socket, index, InterfaceUp);

    public static void SetDown(NetlinkSocket socket, int index) => SetFlags(socket, index, 0);

    public static void SetMtu(NetlinkSocket socket, int index, int mtu)
    {
        if (mtu <= 0)
        {
            throw new ContainerPSException("InvalidMtu", FailureKind.InvalidArgument,
                $"-Mtu {mtu} is not valid: an MTU is a positive number of bytes (1500 for Ethernet; a veth takes 68 to 65535).", mtu);
        }
        var message = Change(stackalloc byte[BufferSize], index);
        message.Add(LinkAttribute.Mtu, mtu);
        socket.Request(message.Complete(), Describe(index));
    }

    /// <summary>Sets the link-layer address, "02:42:ac:11:00:02".</summary>
    public static void SetMacAddress(NetlinkSocket socket, int index, string macAddress)
    {
        var bytes = MacAddress.ParseEthernet(macAddress);
        var message = Change(stackalloc byte[BufferSize], index);
        message.Add(LinkAttribute.Address, bytes);
        socket.Request(message.Complete(), Describe(index));
    }

    /// <summary>Enslaves the link to a bridge (`ip link set X master BR`).</summary>
    public static void SetMaster(NetlinkSocket socket, int index, int masterIndex)
    {
        if (masterIndex <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(masterIndex), masterIndex, "A master is named by its positive ifindex; to leave one, use ClearMaster.");
        }
        SetMasterIndex(socket, index, masterIndex);
    }

    /// <summary>Releases the link from its bridge (`ip link set X nomaster`).</summary>
    public static void ClearMaster(NetlinkSocket socket, int index) => SetMasterIndex(socket, index, 0);

    public static void Rename(NetlinkSocket socket, int index, string newName)
    {
        InterfaceName.Validate(newName);
        var message = Change(stackalloc byte[BufferSize], index);
        message.Add(LinkAttribute.Name, newName);
        socket.Request(message.Complete(), $"{Describe(index)} to {newName}");
    }

    /// <summary>Moves the link into another network namespace; it gets a new index there, and is gone from this one.</summary>
    public static void MoveToNamespace(NetlinkSocket socket, int index, NetworkNamespace ns)
    {
        using var nsFd = ns.Open();
        var message = Change(stackalloc byte[BufferSize], index);
        message.Add(LinkAttribute.NamespaceFd, nsFd.Value);
        socket.Request(message.Complete(), $"{Describe(index)} to {ns}");
    }

    /// <summary>Deletes the link; for a veth, its peer goes too, wherever it is.</summary>
    public static void Delete(NetlinkSocket socket, int index)
    {
        var message = new NetlinkMessageBuilder(stackalloc byte[BufferSize], NetlinkMessageType.DeleteLink, 0);
        message.AddHeader(new InterfaceInfoMessage { Index = RequireIndex(index) });
        socket.Request(message.Complete(), Describe(index));
    }

    /// <summary>
    /// Deletes several links in one kernel batch. Deleting a link waits for RCU grace periods (about 16 ms on a
    /// small VM, for `ip link del` as much as for us), and a batch waits once for all of them. So the links are
    /// tagged with a link group no other link has, and the group is deleted in one request, as `ip link del group N`
    /// does. A link already gone (a veth whose peer was in the list) is skipped. If tagging or the delete fails
    /// (a link that cannot be deleted, such as lo, makes the kernel refuse the whole group), every link gets its
    /// own group back and nothing is deleted.
    /// </summary>
    public static void DeleteMany(NetlinkSocket socket, IEnumerable<int> indexes)
    {
        var groups = List(socket).ToDictionary(l => l.Index, l => l.Group);
        var group = UnusedGroup(groups.Values);
        var tagged = new List<int>();
        try
        {
            foreach (var index in indexes)
            {
                try
                {
                    SetGroup(socket, index, group);
                    tagged.Add(index);
                }
                catch (NetlinkException e) when (e.Errno == ENODEV)
                {
                    // already gone, which is what the caller wants
                }
            }
            if (tagged.Count > 0)
            {
                // The kernel checks that every link in the group can be deleted before it deletes any.
                var message = new NetlinkMessageBuilder(stackalloc byte[BufferSize], NetlinkMessageType.DeleteLink, 0);
                message.AddHeader(new InterfaceInfoMessage());
                message.Add(LinkAttribute.Group, group);
                socket.Request(message.Complete(), $"link group {group} ({tagged.Count} links)");
            }
        }
        catch
        {
            Untag(socket, tagged, groups);
            throw;
        }
    }

    public static void Delete(NetlinkSocket socket, string name)
    {
        InterfaceName.Validate(name);
        var message = new NetlinkMessageBuilder(stackalloc byte[BufferSize], NetlinkMessageType.DeleteLink, 0);
        message.AddHeader(new InterfaceInfoMessage());
        message.Add(LinkAttribute.Name, name);
        socket.Request(message.Complete(), name);
    }

    private static void SetFlags(NetlinkSocket socket, int index, uint flags)
    {
        var message = Change(stackalloc byte[BufferSize], index, flags, InterfaceUp);
        socket.Request(message.Complete(), Describe(index));
    }

    private static void Untag(NetlinkSocket socket, List<int> tagged, Dictionary<int, uint> groups)
    {
        foreach (var index in tagged)
        {
            try
            {
                SetGroup(socket, index, groups.GetValueOrDefault(index));
            }
            catch (NetlinkException e) when (e.Errno == ENODEV)
            {
                // gone meanwhile: nothing left to untag
            }
        }
    }

    private static void SetGroup(NetlinkSocket socket, int index, uint group)
    {
        var message = Change(stackalloc byte[BufferSize], index);
        message.Add(LinkAttribute.Group, group);
        socket.Request(message.Complete(), Describe(index));
    }

    /// <summary>A random group number in the upper half, none of <paramref name="used"/>; groups 0-255 are the ones people name.</summary>
    private static uint UnusedGroup(IEnumerable<uint> used)
    {
        var taken = used.ToHashSet();
        while (true)
        {
            var group = (uint)Random.Shared.Next(1 << 30, int.MaxValue);
            if (!taken.Contains(group))
            {
                return group;
            }
        }
    }

    private static void SetMasterIndex(NetlinkSocket socket, int index, int masterIndex)
    {
        var message = Change(stackalloc byte[BufferSize], index);
        message.Add(LinkAttribute.Master, masterIndex);
        socket.Request(message.Complete(), Describe(index));
    }

    /// <summary>An RTM_SETLINK for one link; <paramref name="change"/> says which IFF_* bits of <paramref name="flags"/> apply.</summary>
    private static NetlinkMessageBuilder Change(Span<byte> buffer, int index, uint flags = 0, uint change = 0)
    {
        var message = new NetlinkMessageBuilder(buffer, NetlinkMessageType.SetLink, 0);
        message.AddHeader(new InterfaceInfoMessage { Index = RequireIndex(index), Flags = flags, Change = change });
        return message;
    }

    private static int RequireIndex(int index) => index > 0
        ? index
        : throw new ArgumentOutOfRangeException(nameof(index), index, "A link is named by its positive ifindex (see Link.Get).");

    private static string Describe(int index) => $"ifindex {index}";
}
