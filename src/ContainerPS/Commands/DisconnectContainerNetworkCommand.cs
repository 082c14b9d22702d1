using System.Management.Automation;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Network.ContainerNetworks;

namespace ContainerPS.Commands;

/// <summary>
/// Disconnect-ContainerNetwork: deletes the container's interface on a network and releases its address and published
/// ports (`docker network disconnect`).
/// </summary>
[Cmdlet(VerbsCommunications.Disconnect, "ContainerNetwork", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ParameterSets.Name)]
[OutputType(typeof(void))]
public sealed class DisconnectContainerNetworkCommand : ContainerTargetCmdlet
{
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.ContainerNetworkCompleter))]
    public string Network { get; set; } = "";

    protected override void Process(Container container)
    {
        if (ShouldProcess(container.Name, $"Disconnect from container network '{Network}'"))
        {
            ContainerNetworkDisconnect.Run(Store, container, Network);
        }
    }
}
