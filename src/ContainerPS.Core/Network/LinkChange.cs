using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Network;

/// <summary>
/// What Set-NetworkLink changes on a link, made in this order: name, MTU, MAC address, bridge, network namespace, then
/// up or down. Moving takes the link down and gives it a new index in the other namespace, so up or down follows it
/// there.
/// </summary>
public sealed class LinkChange
{
    public string? NewName { get; init; }

    public int? Mtu { get; init; }

    public string? MacAddress { get; init; }

    /// <summary>The bridge to make it a port of, by name, in the namespace the link is in.</summary>
    public string? Master { get; init; }

    public bool NoMaster { get; init; }

    /// <summary>The namespace to move it into, and a socket open there to find it afterwards.</summary>
    public (NetworkNamespace Namespace, NetlinkSocket Socket)? MoveTo { get; init; }

    /// <summary>True brings it up, false down, null leaves it as it is.</summary>
    public bool? Up { get; init; }

    /// <summary>Makes the changes on <paramref name="link"/>; returns the socket and the link where it is afterwards.</summary>
    public (NetlinkSocket Socket, NetworkLink Link) Apply(NetlinkSocket socket, NetworkLink link)
    {
        var index = link.Index;
        if (NewName is not null)
        {
            InterfaceName.Validate(NewName);
            Link.Rename(socket, index, NewName);
        }
        if (Mtu is { } mtu)
        {
            Link.SetMtu(socket, index, mtu);
        }
        if (MacAddress is not null)
        {
            Link.SetMacAddress(socket, index, MacAddress);
        }
        if (Master is not null)
        {
            var bridge = Link.TryGet(socket, Master) ?? throw new ContainerPSException("LinkNotFound", FailureKind.ObjectNotFound,
                $"No network link is named '{Master}' beside '{link.Name}' to be its -Master. Get-NetworkLink lists the links there are.", Master);
            Link.SetMaster(socket, index, bridge.Index);
        }
        if (NoMaster)
        {
            Link.ClearMaster(socket, index);
        }
        if (MoveTo is var (ns, there))
        {
            Link.MoveToNamespace(socket, index, ns);
            socket = there;
            index = Link.Get(socket, NewName ?? link.Name).Index;
        }
        if (Up is true)
        {
            Link.SetUp(socket, index);
        }
        else if (Up is false)
        {
            Link.SetDown(socket, index);
        }
        return (socket, Link.Get(socket, index));
    }

    /// <summary>What -WhatIf and -Confirm say: the changes, in the order they are made.</summary>
    public string Describe(string? moveToName)
    {
        string?[] changes =
        [
            NewName is null ? null : $"rename to {NewName}",
            Mtu is null ? null : $"set MTU {Mtu}",
            MacAddress is null ? null : $"set MAC address {MacAddress}",
            Master is null ? null : $"enslave to {Master}",
            NoMaster ? "release from its master" : null,
            moveToName is null ? null : $"move to network namespace {moveToName}",
            Up is true ? "set up" : null,
            Up is false ? "set down" : null,
        ];
        var given = changes.OfType<string>().ToArray();
        return given.Length == 0 ? "Change nothing on link" : "Change link: " + string.Join(", ", given);
    }
}
