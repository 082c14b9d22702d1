using System.Management.Automation;
using ContainerPS.Core.Containers;
using ContainerPS.Core.ContainerNetworks;
using ContainerPS.Core.Interop;

namespace ContainerPS.Commands;

/// <summary>Gets container networks with the containers attached to them.</summary>
/// <remarks>
/// <para>
/// As docker network ls and inspect: subnet, gateway, bridge, and each attachment (container, interface, address, host
/// veth, published ports).
/// </para>
/// </remarks>
/// <example>
/// <code>(Get-ContainerNetwork backend).Attachments</code>
/// What each container on backend got.
/// </example>
/// <seealso cref="NewContainerNetworkCommand"/>
/// <seealso cref="RemoveContainerNetworkCommand"/>
[Cmdlet(VerbsCommon.Get, "ContainerNetwork")]
[OutputType(typeof(ContainerNetwork))]
public sealed class GetContainerNetworkCommand : ContainerPSCmdlet
{
    /// <summary>Network names; wildcards are allowed.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.ContainerNetworkCompleter))]
    public string[]? Name { get; set; }

    protected override void ProcessRecord()
    {
        // A network whose record cannot be read is one error of its own (when asked for); the others are listed as usual.
        var damaged = new List<RecordDamagedException>();
        var all = ContainerNetworkQuery.All(Store, damaged.Add);
        foreach (var error in damaged)
        {
            var network = (string)error.Target!;
            if (Name is null || Name.Any(name => new WildcardPattern(name, WildcardOptions.IgnoreCase).IsMatch(network)))
            {
                WriteFailure(error, network);
            }
        }
        if (Name is null)
        {
            foreach (var network in all)
            {
                WriteObject(network);
            }
            return;
        }
        foreach (var name in Name)
        {
            var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
            var matches = all.Where(n => pattern.IsMatch(n.Name)).ToArray();
            if (matches.Length == 0 && !WildcardPattern.ContainsWildcardCharacters(name) && !damaged.Any(e => (string)e.Target! == name))
            {
                WriteFailure(new ContainerPSException("NetworkNotFound", FailureKind.ObjectNotFound,
                    $"No container network is named '{name}'. Get-ContainerNetwork with no arguments lists the networks there are.", name), name);
            }
            foreach (var network in matches)
            {
                WriteObject(network);
            }
        }
    }
}
