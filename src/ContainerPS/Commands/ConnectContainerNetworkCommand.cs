using System.Management.Automation;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Network.ContainerNetworks;

namespace ContainerPS.Commands;

/// <summary>
/// Connect-ContainerNetwork: gives an existing container (Created, Running or Paused) an interface on another network,
/// eth1, eth2..., with an address from it (`docker network connect`).
/// <code>Get-Container web | Connect-ContainerNetwork -Network backend -IPAddress 10.88.0.10</code>
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "ContainerNetwork", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = ParameterSets.Name)]
[OutputType(typeof(ContainerNetworkAttachment))]
public sealed class ConnectContainerNetworkCommand : ContainerTargetCmdlet
{
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.ContainerNetworkCompleter))]
    public string Network { get; set; } = "";

    /// <summary>The address on the network, instead of the next free one.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? IPAddress { get; set; }

    /// <summary>hostPort:containerPort[/tcp|udp], forwarded from every host address to this container's address.</summary>
    [Parameter]
    public string[] Publish { get; set; } = [];

    private ContainerNetworkRequest? _request;

    protected override void BeginProcessing()
    {
        try
        {
            _request = ContainerNetworkRequest.Resolve(Store, Network, IPAddress, Publish);
        }
        catch (ContainerPSException e)
        {
            ThrowFailure(e, Network);
        }
    }

    protected override void Process(Container container)
    {
        if (ShouldProcess(container.Name, $"Connect to container network '{Network}'"))
        {
            WriteObject(ContainerNetworkConnect.Run(Store, container, _request!));
        }
    }
}
