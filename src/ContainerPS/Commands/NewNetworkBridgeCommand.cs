using System.Management.Automation;
using ContainerPS.Arguments;
using ContainerPS.Core.Network;

namespace ContainerPS.Commands;

/// <summary>Makes a bridge link, as ip link add NAME type bridge does.</summary>
/// <remarks>
/// <para>Ports join it with Set-NetworkLink -Master. Container networks make their own bridges (New-ContainerNetwork).</para>
/// </remarks>
/// <example>
/// <code>New-NetworkBridge cps-br0 -Up; Set-NetworkLink cps-vhost -Master cps-br0</code>
/// A bridge, up, with cps-vhost as its port.
/// </example>
/// <seealso cref="SetNetworkLinkCommand"/>
/// <seealso cref="NewContainerNetworkCommand"/>
[Cmdlet(VerbsCommon.New, "NetworkBridge", SupportsShouldProcess = true)]
[OutputType(typeof(NetworkLink))]
public sealed class NewNetworkBridgeCommand : NetworkCmdlet
{
    /// <summary>The bridge's link name.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>The network namespace to act in (a pid, a Container, a Net Namespace object, an ip netns name or an nsfs path); by default the host's.</summary>
    [Parameter]
    [NetworkNamespaceTransformation]
    [ArgumentCompleter(typeof(Completion.NetworkNamespaceCompleter))]
    public NetworkNamespaceTarget? Namespace { get; set; }

    /// <summary>Bring the bridge up.</summary>
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
