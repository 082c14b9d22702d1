using System.Management.Automation;
using ContainerPS.Arguments;
using System.Net.Sockets;
using ContainerPS.Core.Network;

namespace ContainerPS.Commands;

/// <summary>Get-NetworkAddress: ip addr show, for all links or those named, in our namespace or another.</summary>
[Cmdlet(VerbsCommon.Get, "NetworkAddress")]
[OutputType(typeof(NetworkAddress))]
public sealed class GetNetworkAddressCommand : NetworkCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(Completion.NetworkLinkCompleter))]
    public string? LinkName { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? NamespacePath { get; set; }

    /// <summary>The network namespace to act in (a pid, a Container, a Net Namespace object, an ip netns name or an nsfs path); by default where a piped object was read, else the host's.</summary>
    [Parameter]
    [NetworkNamespaceTransformation]
    [ArgumentCompleter(typeof(Completion.NetworkNamespaceCompleter))]
    public NetworkNamespaceTarget? Namespace { get; set; }

    [Parameter]
    public AddressFamily? Family { get; set; }

    protected override void ProcessRecord() => ForItem(LinkName, () =>
    {
        var (socket, path) = SocketFor(Namespace, NamespacePath);
        var pattern = new WildcardPattern(LinkName ?? "*", WildcardOptions.IgnoreCase);
        var links = Link.List(socket).Where(l => pattern.IsMatch(l.Name)).Select(l => l.Index).ToHashSet();
        if (links.Count == 0 && LinkName is not null && !WildcardPattern.ContainsWildcardCharacters(LinkName))
        {
            FindLink(socket, LinkName, path);
        }
        var addresses = Address.List(socket).Where(a => links.Contains(a.LinkIndex) && (Family is null || a.Family == Family));
        WriteObject(addresses.Select(a => a with { NamespacePath = path }), enumerateCollection: true);
    });
}
