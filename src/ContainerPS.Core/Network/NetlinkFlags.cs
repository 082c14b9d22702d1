namespace ContainerPS.Core.Network;

/// <summary>nlmsg_flags values (NLM_F_*). Several share a bit and mean different things by message kind.</summary>
public static class NetlinkFlags
{
    public const ushort Request = 0x01, Ack = 0x04, DumpInterrupted = 0x10;

    /// <summary>Modifiers of a GET request.</summary>
    public const ushort Dump = 0x300;

    /// <summary>Modifiers of a NEW request: fail with EEXIST rather than change an existing object; create it.</summary>
    public const ushort Exclusive = 0x200, Create = 0x400;

    /// <summary>Flags of an NLMSG_ERROR reply: the echoed request was cut to its header; extended-ack attributes follow.</summary>
    public const ushort Capped = 0x100, AckAttributes = 0x200;
}
