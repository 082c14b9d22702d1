using System.Management.Automation;
using ContainerPS.Arguments;
using ContainerPS.Core.Network;

namespace ContainerPS.Commands;

/// <summary>Removes addresses from network links, as ip addr del does.</summary>
/// <remarks>
/// <para>Address objects piped in bind by their Cidr, link index and namespace.</para>
/// </remarks>
/// <example>
/// <code>Remove-NetworkAddress 10.200.0.1/24 -LinkName cps-vhost</code>
/// Removes the address from cps-vhost.
/// </example>
/// <example>
/// <code>Get-NetworkAddress cps-vhost | Remove-NetworkAddress</code>
/// Removes every address of cps-vhost.
/// </example>
/// <seealso cref="AddNetworkAddressCommand"/>
/// <seealso cref="GetNetworkAddressCommand"/>
[Cmdlet(VerbsCommon.Remove, "NetworkAddress", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.Name)]
[OutputType(typeof(void))]
public sealed class RemoveNetworkAddressCommand : NetworkCmdlet
{
    /// <summary>The address with its prefix length: 10.0.0.2/24; address objects bind by their Cidr.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Cidr")]
    [ValidateNotNullOrEmpty]
    public string Address { get; set; } = "";

    /// <summary>The link the address is on.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = ParameterSets.Name)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.NetworkLinkCompleter))]
    public string LinkName { get; set; } = "";

    /// <summary>The index of the link the address is on; address objects piped in bind here.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ParameterSets.Index, ValueFromPipelineByPropertyName = true)]
    public int LinkIndex { get; set; }

    /// <summary>The nsfs path of the namespace to act in; objects piped in carry the one they were read in.</summary>
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
