using System.Management.Automation;
using ContainerPS.Core.Containers;
using ContainerPS.Core.ContainerNetworks;
using ContainerPS.Core.Interop;

namespace ContainerPS.Commands;

/// <summary>Gives a container an interface on another container network.</summary>
/// <remarks>
/// <para>
/// As docker network connect: the container (Created, Running or Paused) gets eth1, eth2... with an address from the
/// network, and its published ports are forwarded to that address.
/// </para>
/// </remarks>
/// <example>
/// <code>Get-Container web | Connect-ContainerNetwork -Network frontend</code>
/// web gets an interface on frontend with the next free address.
/// </example>
/// <example>
/// <code>Connect-ContainerNetwork db -Network backend -IPAddress 10.88.0.10 -Publish 5432:5432</code>
/// db gets 10.88.0.10 on backend, with the host's port 5432 forwarded to it.
/// </example>
/// <seealso cref="DisconnectContainerNetworkCommand"/>
/// <seealso cref="NewContainerNetworkCommand"/>
[Cmdlet(VerbsCommunications.Connect, "ContainerNetwork", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = ParameterSets.Name)]
[OutputType(typeof(ContainerNetworkAttachment))]
public sealed class ConnectContainerNetworkCommand : ContainerTargetCmdlet
{
    /// <summary>The name of the container network to connect to.</summary>
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
