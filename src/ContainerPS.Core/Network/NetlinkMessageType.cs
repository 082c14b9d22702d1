namespace ContainerPS.Core.Network;

/// <summary>
/// nlmsg_type values: netlink's own control messages and the rtnetlink requests this layer sends.
/// </summary>
public static class NetlinkMessageType
{
    public const ushort Error = 2, Done = 3;
    public const ushort NewLink = 16, DeleteLink = 17, GetLink = 18, SetLink = 19;
    public const ushort NewAddress = 20, DeleteAddress = 21, GetAddress = 22;
    public const ushort NewRoute = 24, DeleteRoute = 25, GetRoute = 26;

    /// <summary>The kernel's name for a request, as errors show it: "RTM_NEWLINK".</summary>
    public static string Name(ushort type) => type switch
    {
        NewLink => "RTM_NEWLINK",
        DeleteLink => "RTM_DELLINK",
        GetLink => "RTM_GETLINK",
        SetLink => "RTM_SETLINK",
        NewAddress => "RTM_NEWADDR",
        DeleteAddress => "RTM_DELADDR",
        GetAddress => "RTM_GETADDR",
        NewRoute => "RTM_NEWROUTE",
        DeleteRoute => "RTM_DELROUTE",
        GetRoute => "RTM_GETROUTE",
        _ => $"netlink message {type}",
    };
}
