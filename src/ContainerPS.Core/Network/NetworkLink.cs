using System.Diagnostics.CodeAnalysis;
namespace ContainerPS.Core.Network;

/// <summary>A network interface as RTM_GETLINK describes it; plain data, so it serializes and re-binds.</summary>
/// <param name="Index">ifindex, unique within its namespace.</param>
/// <param name="Kind">IFLA_INFO_KIND: "veth", "bridge", ...; null for a physical device or loopback.</param>
/// <param name="MacAddress">The link-layer address, "02:42:ac:11:00:02"; null when the link has none.</param>
/// <param name="MasterIndex">The bridge (or bond) this link is enslaved to.</param>
/// <param name="LinkIndex">IFLA_LINK: a veth's peer index, in the namespace <paramref name="LinkNamespaceId"/> names when set.</param>
/// <param name="LinkNamespaceId">IFLA_LINK_NETNSID: this namespace's id for the namespace the peer lives in.</param>
/// <param name="Group">IFLA_GROUP: the link group, 0 ("default") unless set.</param>
public sealed record NetworkLink(
    int Index,
    string Name,
    string? Kind,
    int Mtu,
    string? MacAddress,
    OperationalState OperationalState,
    LinkFlags Flags,
    int? MasterIndex,
    int? LinkIndex,
    int? LinkNamespaceId,
    uint Group)
{
    /// <summary>Where the object was read: the namespace path it was listed in (/proc/PID/ns/net, /run/netns/NAME), null for ours; cmdlets bind it by property name to act there again.</summary>
    public string? NamespacePath { get; init; }

    public bool IsUp => Flags.HasFlag(LinkFlags.Up);

    /// <summary>The carrier is there: for a veth, its peer is up too.</summary>
    public bool IsLowerUp => Flags.HasFlag(LinkFlags.LowerUp);

    internal static bool Decode(in NetlinkMessage message, [MaybeNullWhen(false)] out NetworkLink link)
    {
        link = null;
        if (message.Type != NetlinkMessageType.NewLink)
        {
            return false;
        }
        var header = message.Header<InterfaceInfoMessage>();
        string? name = null, kind = null, mac = null;
        int mtu = 0;
        int? master = null, peer = null, peerNamespace = null;
        uint group = 0;
        var state = OperationalState.Unknown;
        foreach (var attribute in message.Attributes<InterfaceInfoMessage>())
        {
            switch (attribute.Type)
            {
                case LinkAttribute.Name: name = attribute.ToText(); break;
                case LinkAttribute.Mtu: mtu = attribute.ToInt32(); break;
                case LinkAttribute.Address: mac = Network.MacAddress.Format(attribute.Value); break;
                case LinkAttribute.OperState: state = (OperationalState)attribute.ToByte(); break;
                case LinkAttribute.Master: master = attribute.ToInt32(); break;
                case LinkAttribute.Link: peer = attribute.ToInt32(); break;
                case LinkAttribute.LinkNamespaceId: peerNamespace = attribute.ToInt32(); break;
                case LinkAttribute.Group: group = attribute.ToUInt32(); break;
                case LinkAttribute.LinkInfo:
                    foreach (var info in attribute.Nested())
                    {
                        if (info.Type == LinkAttribute.InfoKind)
                        {
                            kind = info.ToText();
                        }
                    }
                    break;
            }
        }
        link = new NetworkLink(header.Index, name ?? "", kind, mtu, mac, state, (LinkFlags)header.Flags, master, peer, peerNamespace, group);
        return true;
    }
}
