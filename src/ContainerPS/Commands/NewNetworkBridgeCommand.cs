using System.Management.Automation;
using ContainerPS.Core.Network;

namespace ContainerPS.Commands;

/// <summary>New-NetworkBridge: ip link add NAME type bridge; enslave links with Set-NetworkLink -Master.</summary>
[Cmdlet(VerbsCommon.New, "NetworkBridge", SupportsShouldProcess = true)]
[OutputType(typeof(NetworkLink))]
public sealed class NewNetworkBridgeCommand : NetworkCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter]
    public object? Namespace { get; set; }

    [Parameter]
    public SwitchParameter Up { get; set; }

    protected override void ProcessRecord() => ForItem(Name, () =>
    {
        InterfaceName.Validate(Name);
        var (socket, path) = SocketFor(Namespace);
        if (!ShouldProcess(Name, "Create bridge"))
        {
            return;
        }
        Bridge.Create(socket, Name);
        var bridge = Link.Get(socket, Name);
        if (Up)
        {
            Link.SetUp(socket, bridge.Index);
        }
        WriteLink(socket, path, bridge.Index);
    });
}
