using System.Management.Automation;
using ContainerPS.Core.Containers;
using ContainerPS.Core.ContainerNetworks;
using ContainerPS.Core.Interop;

namespace ContainerPS.Commands;

/// <summary>Makes a container network: a bridge with a gateway address, address management and NAT.</summary>
/// <remarks>
/// <para>
/// As docker network create: a bridge (cps-br-NAME) holding the gateway address, a lease file for the subnet under
/// /run/containerps/networks/NAME/, and nftables rules that masquerade the subnet's traffic out of the host.
/// Containers join it with New-Container -Network or Connect-ContainerNetwork.
/// </para>
/// <para>The subnet is IPv4, /8 to /30, and may overlap no other network, no address of the host and no host route.</para>
/// </remarks>
/// <example>
/// <code>New-ContainerNetwork backend -Subnet 10.88.0.0/24</code>
/// The network backend: bridge cps-br-backend with 10.88.0.1, NAT out.
/// </example>
/// <example>
/// <code>
/// New-ContainerNetwork backend -Subnet 10.88.0.0/24
/// New-Container /tmp/cps-rootfs -Name web -Network backend -Publish 8080:80 -Command httpd,-f,-p,80 | Start-Container
/// </code>
/// A web server on backend, reachable from the host at port 8080 (127.0.0.1 too).
/// </example>
/// <example>
/// <code>New-ContainerNetwork frontend -Subnet 10.89.0.0/24 -Gateway 10.89.0.254 -BridgeName cps-front</code>
/// A network whose gateway and bridge name are chosen.
/// </example>
/// <seealso cref="GetContainerNetworkCommand"/>
/// <seealso cref="ConnectContainerNetworkCommand"/>
/// <seealso cref="RemoveContainerNetworkCommand"/>
/// <seealso cref="NewContainerCommand"/>
[Cmdlet(VerbsCommon.New, "ContainerNetwork", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(ContainerNetwork))]
public sealed class NewContainerNetworkCommand : ContainerPSCmdlet
{
    /// <summary>The network's name, used by New-Container -Network and Connect-ContainerNetwork.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>An IPv4 network, /8 to /30, that no other network and nothing of the host's uses: 10.88.0.0/24.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Subnet { get; set; } = "";

    /// <summary>The bridge's address, the containers' default route; the subnet's first address unless given.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Gateway { get; set; }

    /// <summary>The bridge's link name; cps-br-NAME (or cps-br- and a hash of a long name) unless given.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? BridgeName { get; set; }

    protected override void ProcessRecord()
    {
        var bridge = BridgeName ?? NetworkNames.BridgeFor(Name);
        if (!ShouldProcess(Name, $"Create container network {Subnet} (bridge {bridge}, NAT in nftables table ip {NatRules.Table})"))
        {
            return;
        }
        try
        {
            WriteObject(ContainerNetworkCreate.Run(Store, Name, Subnet, Gateway, BridgeName));
        }
        catch (ContainerPSException e) when (e.Kind == FailureKind.InvalidArgument)
        {
            ThrowFailure(e, Name);
        }
        catch (Exception e) when (IsItemFailure(e))
        {
            WriteFailure(e, Name);
        }
    }
}
