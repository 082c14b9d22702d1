using System.Management.Automation;
using ContainerPS.Core.Containers;
using ContainerPS.Core.ContainerNetworks;

namespace ContainerPS.Commands;

/// <summary>Removes a container's interface on a container network.</summary>
/// <remarks>
/// <para>As docker network disconnect: the interface is deleted, and its address lease and published ports released.</para>
/// </remarks>
/// <example>
/// <code>Disconnect-ContainerNetwork web -Network frontend</code>
/// web leaves frontend; its other interfaces stay.
/// </example>
/// <seealso cref="ConnectContainerNetworkCommand"/>
[Cmdlet(VerbsCommunications.Disconnect, "ContainerNetwork", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ParameterSets.Name)]
[OutputType(typeof(void))]
public sealed class DisconnectContainerNetworkCommand : ContainerTargetCmdlet
{
    /// <summary>The name of the container network to leave.</summary>
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
