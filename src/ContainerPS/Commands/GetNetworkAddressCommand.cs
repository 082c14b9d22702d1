using System.Management.Automation;
using ContainerPS.Arguments;
using System.Net.Sockets;
using ContainerPS.Core.Network;

namespace ContainerPS.Commands;

/// <summary>Gets the addresses of network links, as ip addr show does.</summary>
/// <remarks>
/// <para>For every link, or those named or piped in, in this network namespace or another.</para>
/// </remarks>
/// <example>
/// <code>Get-NetworkAddress -Family InterNetwork</code>
/// The host's IPv4 addresses.
/// </example>
/// <example>
/// <code>Get-NetworkAddress eth0 -Namespace (Get-Container web)</code>
/// The addresses of web's eth0.
/// </example>
/// <seealso cref="AddNetworkAddressCommand"/>
/// <seealso cref="RemoveNetworkAddressCommand"/>
[Cmdlet(VerbsCommon.Get, "NetworkAddress")]
[OutputType(typeof(NetworkAddress))]
public sealed class GetNetworkAddressCommand : NetworkCmdlet
{
    /// <summary>Only the addresses of this link; NetworkLink objects bind by their Name.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(Completion.NetworkLinkCompleter))]
    public string? LinkName { get; set; }

    /// <summary>The nsfs path of the namespace to act in; objects piped in carry the one they were read in.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? NamespacePath { get; set; }

    /// <summary>The network namespace to act in (a pid, a Container, a Net Namespace object, an ip netns name or an nsfs path); by default where a piped object was read, else the host's.</summary>
    [Parameter]
    [NetworkNamespaceTransformation]
    [ArgumentCompleter(typeof(Completion.NetworkNamespaceCompleter))]
    public NetworkNamespaceTarget? Namespace { get; set; }

    /// <summary>Only this address family: InterNetwork (IPv4) or InterNetworkV6 (IPv6).</summary>
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
