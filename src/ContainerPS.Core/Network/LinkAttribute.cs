namespace ContainerPS.Core.Network;

/// <summary>IFLA_* attribute types of RTM_*LINK messages, and those nested inside them.</summary>
internal static class LinkAttribute
{
    public const ushort Address = 1, Name = 3, Mtu = 4, Link = 5, Master = 10, OperState = 16, LinkInfo = 18,
        Group = 27, NamespaceFd = 28, ExtendedMask = 29, LinkNamespaceId = 37;

    /// <summary>Inside IFLA_LINKINFO: IFLA_INFO_KIND ("veth", "bridge") and IFLA_INFO_DATA (the kind's own attributes).</summary>
    public const ushort InfoKind = 1, InfoData = 2;

    /// <summary>Inside a veth's IFLA_INFO_DATA: VETH_INFO_PEER, an ifinfomsg and attributes describing the other end.</summary>
    public const ushort VethPeer = 1;

    /// <summary>IFLA_EXT_MASK value RTEXT_FILTER_SKIP_STATS: leave the counters out, they are most of a dump's bytes.</summary>
    public const uint SkipStatistics = 1 << 3;
}
