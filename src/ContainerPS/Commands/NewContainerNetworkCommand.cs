using System.Management.Automation;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Network.ContainerNetworks;

namespace ContainerPS.Commands;

/// <summary>
/// New-ContainerNetwork: a bridge with the gateway address, IPAM for the subnet, NAT to the outside (`docker network create`).
/// <code>New-ContainerNetwork backend -Subnet 10.88.0.0/24; New-Container $rootfs -Network backend -Publish 8080:80</code>
/// </summary>
[Cmdlet(VerbsCommon.New, "ContainerNetwork", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(ContainerNetwork))]
public sealed class NewContainerNetworkCommand : ContainerPSCmdlet
{
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
