namespace ContainerPS.Core.Network;

/// <summary>A software bridge: a switch in the kernel that links enslaved with <see cref="Link.SetMaster"/> join.</summary>
public static class Bridge
{
    /// <summary>Creates the bridge, down and with no ports.</summary>
    public static void Create(NetlinkSocket socket, string name)
    {
        InterfaceName.Validate(name);
        var message = new NetlinkMessageBuilder(stackalloc byte[128], NetlinkMessageType.NewLink, NetlinkFlags.Create | NetlinkFlags.Exclusive);
        message.AddHeader(new InterfaceInfoMessage());
        message.Add(LinkAttribute.Name, name);
        var info = message.BeginNested(LinkAttribute.LinkInfo);
        message.Add(LinkAttribute.InfoKind, "bridge");
        message.EndNested(info);
        socket.Request(message.Complete(), name);
    }
}
