using System.Management.Automation;
using ContainerPS.Arguments;
using ContainerPS.Core.Network;
using ContainerPS.Core.Interop;

namespace ContainerPS.Commands;

/// <summary>Gets network links, in this network namespace or another, as ip link show does.</summary>
/// <remarks>
/// <para>
/// Each NetworkLink carries the namespace it was read in, so piping it to Set-NetworkLink, Add-NetworkAddress or
/// Remove-NetworkLink acts in that namespace.
/// </para>
/// </remarks>
/// <example>
/// <code>Get-NetworkLink -Kind veth</code>
/// The host's veth links.
/// </example>
/// <example>
/// <code>Get-NetworkLink eth0 -Namespace (Get-Container web) | Get-NetworkAddress</code>
/// web's eth0 and its addresses.
/// </example>
/// <seealso cref="SetNetworkLinkCommand"/>
/// <seealso cref="RemoveNetworkLinkCommand"/>
/// <seealso cref="NewVethPairCommand"/>
[Cmdlet(VerbsCommon.Get, "NetworkLink")]
[OutputType(typeof(NetworkLink))]
public sealed class GetNetworkLinkCommand : NetworkCmdlet
{
    /// <summary>Link names; wildcards are allowed (cps-*).</summary>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.NetworkLinkCompleter))]
    public string[]? Name { get; set; }

    /// <summary>The network namespace to act in (a pid, a Container, a Net Namespace object, an ip netns name or an nsfs path); by default the host's.</summary>
    [Parameter]
    [NetworkNamespaceTransformation]
    [ArgumentCompleter(typeof(Completion.NetworkNamespaceCompleter))]
    public NetworkNamespaceTarget? Namespace { get; set; }

    /// <summary>Only links of this kind: veth, bridge, dummy, ...</summary>
    [Parameter]
    public string? Kind { get; set; }

    protected override void ProcessRecord() => ForItem(Namespace, () =>
    {
        var (socket, path) = SocketFor(Namespace);
        var links = Link.List(socket).Where(l => Kind is null || string.Equals(l.Kind, Kind, StringComparison.OrdinalIgnoreCase)).ToArray();
        foreach (var name in Name ?? ["*"])
        {
            var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
            var matches = links.Where(l => pattern.IsMatch(l.Name)).ToArray();
            if (matches.Length == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
            {
                WriteFailure(new Core.Interop.ContainerPSException("LinkNotFound", Core.Interop.FailureKind.ObjectNotFound,
                    $"No network link is named '{name}'{(path is null ? " in this network namespace" : $" in {path}")}. A link moved into a container is listed with -Namespace (Get-Container NAME).", name), name);
            }
            WriteObject(matches.Select(l => l with { NamespacePath = path }), enumerateCollection: true);
        }
    });
}
