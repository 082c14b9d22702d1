using System.Management.Automation;
using ContainerPS.Arguments;
using ContainerPS.Core.Network;

namespace ContainerPS.Commands;

/// <summary>Adds IPv4 or IPv6 addresses to a network link, as ip addr add does.</summary>
/// <remarks>
/// <para>Links piped in bind by name and by the namespace they were read in, so the address is added there.</para>
/// </remarks>
/// <example>
/// <code>Add-NetworkAddress 10.200.0.1/24 -LinkName cps-vhost</code>
/// Adds 10.200.0.1/24 to the host's cps-vhost.
/// </example>
/// <example>
/// <code>Get-NetworkLink cps-vcont -Namespace (Get-Container web) | Add-NetworkAddress 10.200.0.2/24</code>
/// Adds the address to cps-vcont inside web's network namespace.
/// </example>
/// <seealso cref="GetNetworkAddressCommand"/>
/// <seealso cref="RemoveNetworkAddressCommand"/>
/// <seealso cref="AddNetworkRouteCommand"/>
[Cmdlet(VerbsCommon.Add, "NetworkAddress", SupportsShouldProcess = true)]
[OutputType(typeof(NetworkAddress))]
public sealed class AddNetworkAddressCommand : NetworkCmdlet
{
    /// <summary>Addresses with their prefix length: 10.0.0.2/24, fd00::2/64.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string[] Address { get; set; } = [];

    /// <summary>The link to add the addresses to; NetworkLink objects bind by their Name.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.NetworkLinkCompleter))]
    public string LinkName { get; set; } = "";

    /// <summary>The nsfs path of the namespace to act in; objects piped in carry the one they were read in.</summary>
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
