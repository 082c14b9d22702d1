using System.Management.Automation;
using ContainerPS.Arguments;
using ContainerPS.Core.Network;

namespace ContainerPS.Commands;

/// <summary>
/// Set-NetworkLink: ip link set. Up/down, MTU, MAC, master bridge, rename, and -MoveToNamespace to move the link into
/// another network namespace (seed 000's `ip link set veth_container netns PID`). -Namespace says where the link is,
/// as on every network cmdlet.
/// <code>New-VethPair h0 c0 | Where-Object Name -eq c0 | Set-NetworkLink -MoveToNamespace (Get-Container web) -Up</code>
/// <code>Set-NetworkLink c0 -Namespace (Get-Container web) -Mtu 1400</code>
/// </summary>
[Cmdlet(VerbsCommon.Set, "NetworkLink", SupportsShouldProcess = true)]
[OutputType(typeof(NetworkLink))]
public sealed class SetNetworkLinkCommand : NetworkCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.NetworkLinkCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>Where the link is now, as piped links carry it; by default the host's namespace.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? NamespacePath { get; set; }

    /// <summary>The network namespace the link is in (a pid, a Container, a Net Namespace object, an ip netns name or an nsfs path); by default where a piped link was read, else the host's.</summary>
    [Parameter]
    [NetworkNamespaceTransformation]
    [ArgumentCompleter(typeof(Completion.NetworkNamespaceCompleter))]
    public NetworkNamespaceTarget? Namespace { get; set; }

    [Parameter]
    public SwitchParameter Up { get; set; }

    [Parameter]
    public SwitchParameter Down { get; set; }

    /// <summary>Move the link into this network namespace (ip link set DEV netns NS); -Up and the output follow it there.</summary>
    [Parameter]
    [NetworkNamespaceTransformation]
    [ArgumentCompleter(typeof(Completion.NetworkNamespaceCompleter))]
    public NetworkNamespaceTarget? MoveToNamespace { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.NetworkLinkCompleter))]
    public string? Master { get; set; }

    [Parameter]
    public SwitchParameter NoMaster { get; set; }

    [Parameter]
    [ValidateRange(68, 65535)]
    public int? Mtu { get; set; }

    [Parameter]
    [ValidatePattern("^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$")]
    public string? MacAddress { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? NewName { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void BeginProcessing()
    {
        if (Up && Down || Master is not null && NoMaster)
        {
            ThrowFailure(new ArgumentException("-Up and -Down, and -Master and -NoMaster, exclude each other: give one of each pair."), null);
        }
    }

    protected override void ProcessRecord()
    {
        foreach (var name in Name)
        {
            ForItem(name, () => Change(name));
        }
    }

    private void Change(string name)
    {
        var (socket, path) = SocketFor(Namespace, NamespacePath);
        var link = FindLink(socket, name, path);
        if (!ShouldProcess(path is null ? name : $"{name} in {path}", Changes()))
        {
            return;
        }
        if (NewName is not null)
        {
            InterfaceName.Validate(NewName, nameof(NewName));
            Link.Rename(socket, link.Index, NewName);
        }
        if (Mtu is { } mtu)
        {
            Link.SetMtu(socket, link.Index, mtu);
        }
        if (MacAddress is not null)
        {
            Link.SetMacAddress(socket, link.Index, MacAddress);
        }
        if (Master is not null)
        {
            Link.SetMaster(socket, link.Index, FindLink(socket, Master, path).Index);
        }
        if (NoMaster)
        {
            Link.ClearMaster(socket, link.Index);
        }
        var finalName = NewName ?? name;
        if (MoveToNamespace is not null)
        {
            // Moving takes the link down and gives it a new index there; up/down and the output follow it.
            var (target, targetPath) = SocketFor(MoveToNamespace);
            Link.MoveToNamespace(socket, link.Index, NetworkNamespaceTarget.FromPath(targetPath)!);
            (socket, path) = (target, targetPath);
            link = FindLink(socket, finalName, path);
        }
        if (Up)
        {
            Link.SetUp(socket, link.Index);
        }
        if (Down)
        {
            Link.SetDown(socket, link.Index);
        }
        if (PassThru)
        {
            WriteLink(socket, path, link.Index);
        }
    }

    /// <summary>What -WhatIf and -Confirm say: the changes, in the order they are made.</summary>
    private string Changes()
    {
        string?[] changes =
        [
            NewName is null ? null : $"rename to {NewName}",
            Mtu is null ? null : $"set MTU {Mtu}",
            MacAddress is null ? null : $"set MAC address {MacAddress}",
            Master is null ? null : $"enslave to {Master}",
            NoMaster ? "release from its master" : null,
            MoveToNamespace is null ? null : $"move to network namespace {MoveToNamespace}",
            Up ? "set up" : null,
            Down ? "set down" : null,
        ];
        var given = changes.OfType<string>().ToArray();
        return given.Length == 0 ? "Change nothing on link" : "Change link: " + string.Join(", ", given);
    }
}
