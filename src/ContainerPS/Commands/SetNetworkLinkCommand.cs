using System.Management.Automation;
using ContainerPS.Core.Network;

namespace ContainerPS.Commands;

/// <summary>
/// Set-NetworkLink: ip link set. Up/down, MTU, MAC, master bridge, rename, and -Namespace to move the link into
/// another network namespace (seed 000's `ip link set veth_container netns PID`).
/// <code>New-VethPair h0 c0 | Where-Object Name -eq c0 | Set-NetworkLink -Namespace (Get-Container web) -Up</code>
/// </summary>
[Cmdlet(VerbsCommon.Set, "NetworkLink", SupportsShouldProcess = true)]
[OutputType(typeof(NetworkLink))]
public sealed class SetNetworkLinkCommand : NetworkCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>Where the link is now (piped links carry it); by default the host's namespace.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? NamespacePath { get; set; }

    [Parameter]
    public SwitchParameter Up { get; set; }

    [Parameter]
    public SwitchParameter Down { get; set; }

    /// <summary>Move the link into this network namespace.</summary>
    [Parameter]
    public object? Namespace { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
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
            ThrowFailure(new Core.Containers.ContainerPSException("ConflictingParameters", Core.Containers.FailureKind.InvalidArgument,
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
        var (socket, path) = SocketFor(null, NamespacePath);
        var link = FindLink(socket, name, path);
        if (!ShouldProcess(name, "Change link"))
        {
            return;
        }
        if (NewName is not null)
        {
            InterfaceName.Validate(NewName);
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
        if (Namespace is not null)
        {
            // Moving takes the link down and gives it a new index there; up/down and the output follow it.
            var (target, targetPath) = SocketFor(Namespace);
            Link.MoveToNamespace(socket, link.Index, NetworkNamespaceArgument.FromPath(targetPath)!);
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
}
