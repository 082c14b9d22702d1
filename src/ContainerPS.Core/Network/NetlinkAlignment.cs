namespace ContainerPS.Core.Network;

/// <summary>Netlink pads every message and attribute to 4 bytes (NLMSG_ALIGN, NLA_ALIGN).</summary>
internal static class NetlinkAlignment
{
    public const int HeaderSize = 16; // struct nlmsghdr
    public const int AttributeHeaderSize = 4; // struct nlattr / rtattr

    public static int Align(int length) => (length + 3) & ~3;
}
