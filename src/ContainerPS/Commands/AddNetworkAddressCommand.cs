using System.Management.Automation;
using ContainerPS.Arguments;
using ContainerPS.Core.Network;

namespace ContainerPS.Commands;

/// <summary>
/// Add-NetworkAddress: ip addr add CIDR dev LINK, IPv4 or IPv6. Links piped in bind by name and namespace.
/// <code>Get-NetworkLink c0 -Namespace (Get-Container web) | Add-NetworkAddress 10.200.0.2/24</code>
/// </summary>
[Cmdlet(VerbsCommon.Add, "NetworkAddress", SupportsShouldProcess = true)]
[OutputType(typeof(NetworkAddress))]
public sealed class AddNetworkAddressCommand : NetworkCmdlet
{
    /// <summary>Addresses with their prefix length: 10.0.0.2/24, fd00::2/64.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string[] Address { get; set; } = [];

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.NetworkLinkCompleter))]
    public string LinkName { get; set; } = "";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? NamespacePath { get; set; }

    /// <summary>The network namespace to act in (a pid, a Container, a Net Namespace object, an ip netns name or an nsfs path); by default where a piped object was read, else the host's.</summary>
    [Parameter]
    [NetworkNamespaceTransformation]
    [ArgumentCompleter(typeof(Completion.NetworkNamespaceCompleter))]
    public NetworkNamespaceTarget? Namespace { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var text in Address)
        {
            ForItem(text, () =>
            {
                var cidr = Cidr.Parse(text);
                var (socket, path) = SocketFor(Namespace, NamespacePath);
                var link = FindLink(socket, LinkName, path);
                if (!ShouldProcess($"{cidr} on {LinkName}", "Add address"))
                {
                    return;
                }
                Core.Network.Address.Add(socket, link.Index, cidr);
                var added = Core.Network.Address.List(socket, link.Index).First(a => a.Address.Equals(cidr.Address) && a.PrefixLength == cidr.PrefixLength);
                WriteObject(added with { NamespacePath = path });
            });
        }
    }
}
