using System.Management.Automation;
using ContainerPS.Arguments;
using ContainerPS.Core.Network;
using ContainerPS.Core.Interop;

namespace ContainerPS.Commands;

/// <summary>Changes network links: up or down, MTU, MAC address, bridge, name, or network namespace.</summary>
/// <remarks>
/// <para>
/// As ip link set. -Namespace says where the link is, as on every network cmdlet (links piped in are changed in the
/// namespace they were read in); -MoveToNamespace moves a link into another network namespace, as seed 000's
/// ip link set veth_container netns PID does.
/// </para>
/// </remarks>
/// <example>
/// <code>Set-NetworkLink cps-vhost -Master cps-br0 -Mtu 1400 -Up</code>
/// Makes cps-vhost a port of cps-br0 with an MTU of 1400 and brings it up.
/// </example>
/// <example>
/// <code>New-VethPair cps-h0 cps-c0 | Where-Object Name -eq cps-c0 | Set-NetworkLink -MoveToNamespace (Get-Container web) -Up</code>
/// Moves one end of a new pair into web's network namespace and brings it up there.
/// </example>
/// <example>
/// <code>Set-NetworkLink cps-c0 -Namespace (Get-Container web) -Mtu 1400</code>
/// Changes the MTU of cps-c0 inside web's network namespace.
/// </example>
/// <example>
/// <code>Get-NetworkLink cps-old | Set-NetworkLink -NewName cps-new -PassThru</code>
/// Renames a link and shows it.
/// </example>
/// <seealso cref="GetNetworkLinkCommand"/>
/// <seealso cref="NewVethPairCommand"/>
/// <seealso cref="NewNetworkBridgeCommand"/>
[Cmdlet(VerbsCommon.Set, "NetworkLink", SupportsShouldProcess = true)]
[OutputType(typeof(NetworkLink))]
public sealed class SetNetworkLinkCommand : NetworkCmdlet
{
    /// <summary>The names of the links to change; NetworkLink objects bind by their Name.</summary>
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

    /// <summary>Bring the links up.</summary>
    [Parameter]
    public SwitchParameter Up { get; set; }

    /// <summary>Bring the links down.</summary>
    [Parameter]
    public SwitchParameter Down { get; set; }

    /// <summary>Move the link into this network namespace (ip link set DEV netns NS); -Up and the output follow it there.</summary>
    [Parameter]
    [NetworkNamespaceTransformation]
    [ArgumentCompleter(typeof(Completion.NetworkNamespaceCompleter))]
    public NetworkNamespaceTarget? MoveToNamespace { get; set; }

    /// <summary>The bridge to make the links ports of.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.NetworkLinkCompleter))]
    public string? Master { get; set; }

    /// <summary>Take the links off their bridge.</summary>
    [Parameter]
    public SwitchParameter NoMaster { get; set; }

    /// <summary>The MTU, 68 to 65535.</summary>
    [Parameter]
    [ValidateRange(68, 65535)]
    public int? Mtu { get; set; }

    /// <summary>The MAC address: six hex pairs separated by colons (02:42:ac:11:00:02).</summary>
    [Parameter]
    [ValidatePattern("^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$")]
    public string? MacAddress { get; set; }

    /// <summary>Rename the link (one link only).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? NewName { get; set; }

    /// <summary>Emit the links as they are afterwards.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void BeginProcessing()
    {
        if (Up && Down || Master is not null && NoMaster)
        {
            ThrowFailure(new Core.Interop.ContainerPSException("ConflictingParameters", Core.Interop.FailureKind.InvalidArgument,
                "-Up and -Down, and -Master and -NoMaster, exclude each other: give one of each pair."), Up && Down ? "-Up -Down" : "-Master -NoMaster");
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
        // Resolved before asking, so -WhatIf refuses a target that does not exist as the real call would.
        var (target, targetPath) = MoveToNamespace is null ? (null, null) : SocketFor(MoveToNamespace);
        var change = new LinkChange
        {
            NewName = NewName,
            Mtu = Mtu,
            MacAddress = MacAddress,
            Master = Master,
            NoMaster = NoMaster,
            MoveTo = target is null ? null : (NetworkNamespaceTarget.FromPath(targetPath)!, target),
            Up = Up ? true : Down ? false : null,
        };
        if (!ShouldProcess(path is null ? name : $"{name} in {path}", change.Describe(MoveToNamespace?.ToString())))
        {
            return;
        }
        var (after, changed) = change.Apply(socket, link);
        if (PassThru)
        {
            WriteLink(after, target is null ? path : targetPath, changed.Index);
        }
    }
}
