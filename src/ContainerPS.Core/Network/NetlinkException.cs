using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Network;

/// <summary>
/// The kernel refused a netlink request. Carries the request (as <see cref="NativeException.Syscall"/>), the
/// object it was about, the errno, and the kernel's extended ack when it gave one:
/// "RTM_SETLINK ifindex 7: EINVAL (Invalid argument): mtu less than device minimum".
/// </summary>
public sealed class NetlinkException : NativeException
{
    public NetlinkException(string request, string? target, int errno, string? extendedAck, int? attributeOffset)
        : base(request, target, errno)
    {
        ExtendedAck = extendedAck;
        AttributeOffset = attributeOffset;
    }

    /// <summary>The kernel's own reason (NLMSGERR_ATTR_MSG), or null when it gave none.</summary>
    public string? ExtendedAck { get; }

    /// <summary>Byte offset, from the start of the request, of the attribute the kernel objected to (NLMSGERR_ATTR_OFFS).</summary>
    public int? AttributeOffset { get; }

    public override string Message =>
        (ExtendedAck is null ? base.Message : $"{base.Message}: {ExtendedAck}") + (Errno == (int)Interop.Errno.EPERM ? PrivilegeHint : "");

    /// <summary>Why the kernel says EPERM to a change: the one capability every netlink change asks for.</summary>
    private static string PrivilegeHint =>
        $". Changing links, addresses and routes needs CAP_NET_ADMIN over the network namespace{(!Sys.IsRoot ? $", and this process runs as uid {Sys.EffectiveUid}: run pwsh as root" : "")}";
}
