namespace ContainerPS.Core.Network;

/// <summary>A virtual Ethernet pair: two links joined back to back, the usual cable between a host and a container.</summary>
public static class Veth
{
    /// <summary>
    /// Creates <paramref name="name"/> here and <paramref name="peerName"/> either here or directly inside
    /// <paramref name="peerNamespace"/>, in one request: the peer never exists in this namespace, so its name
    /// cannot clash with a host link. Both ends start down.
    /// </summary>
    public static void Create(NetlinkSocket socket, string name, string peerName, NetworkNamespace? peerNamespace = null)
    {
        InterfaceName.Validate(name);
        InterfaceName.Validate(peerName);
        using var peerNamespaceFd = peerNamespace?.Open();

        var message = new NetlinkMessageBuilder(stackalloc byte[256], NetlinkMessageType.NewLink, NetlinkFlags.Create | NetlinkFlags.Exclusive);
        message.AddHeader(new InterfaceInfoMessage());
        message.Add(LinkAttribute.Name, name);
        var info = message.BeginNested(LinkAttribute.LinkInfo);
        message.Add(LinkAttribute.InfoKind, "veth");
        var data = message.BeginNested(LinkAttribute.InfoData);
        var peer = message.BeginNested(LinkAttribute.VethPeer);
        message.AddHeader(new InterfaceInfoMessage());
        message.Add(LinkAttribute.Name, peerName);
        if (peerNamespaceFd is not null)
        {
            message.Add(LinkAttribute.NamespaceFd, peerNamespaceFd.Value);
        }
        message.EndNested(peer);
        message.EndNested(data);
        message.EndNested(info);
        socket.Request(message.Complete(), peerNamespace is null ? $"{name} (peer {peerName})" : $"{name} (peer {peerName} in {peerNamespace})");
    }
}
