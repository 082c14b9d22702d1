using System.Management.Automation;
using ContainerPS.Arguments;
using ContainerPS.Core.Network;

namespace ContainerPS.Commands;

/// <summary>Remove-NetworkAddress: ip addr del CIDR dev LINK. Address objects piped in bind by Cidr, link index and namespace.</summary>
[Cmdlet(VerbsCommon.Remove, "NetworkAddress", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.Name)]
[OutputType(typeof(void))]
public sealed class RemoveNetworkAddressCommand : NetworkCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Cidr")]
    [ValidateNotNullOrEmpty]
    public string Address { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1, ParameterSetName = ParameterSets.Name)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.NetworkLinkCompleter))]
    public string LinkName { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = ParameterSets.Index, ValueFromPipelineByPropertyName = true)]
    public int LinkIndex { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? NamespacePath { get; set; }

    /// <summary>The network namespace to act in (a pid, a Container, a Net Namespace object, an ip netns name or an nsfs path); by default where a piped object was read, else the host's.</summary>
    [Parameter]
    [NetworkNamespaceTransformation]
    [ArgumentCompleter(typeof(Completion.NetworkNamespaceCompleter))]
    public NetworkNamespaceTarget? Namespace { get; set; }

    protected override void ProcessRecord() => ForItem(Address, () =>
    {
        var cidr = Cidr.Parse(Address);
        var (socket, path) = SocketFor(Namespace, NamespacePath);
        var index = ParameterSetName == ParameterSets.Index ? LinkIndex : FindLink(socket, LinkName, path).Index;
        if (ShouldProcess($"{cidr} on link {index}", "Remove address"))
        {
            Core.Network.Address.Delete(socket, index, cidr);
        }
    });
}
