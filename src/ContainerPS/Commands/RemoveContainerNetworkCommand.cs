using System.Management.Automation;
using ContainerPS.Core.Network.ContainerNetworks;

namespace ContainerPS.Commands;

/// <summary>
/// Remove-ContainerNetwork: removes the bridge, the leases and the NAT rules; refuses while containers are attached
/// unless -Force, which disconnects them first (`docker network rm`).
/// </summary>
[Cmdlet(VerbsCommon.Remove, "ContainerNetwork", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class RemoveContainerNetworkCommand : ContainerPSCmdlet
{
    /// <summary>Network names; ContainerNetwork objects bind by their Name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.ContainerNetworkCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>Disconnect the containers still attached (their interface on this network is deleted; they keep running).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var name in Name)
        {
            try
            {
                // Refusals (no such network, containers attached without -Force) come before -WhatIf's answer.
                ContainerNetworkRemove.Check(Store, name, Force);
                if (ShouldProcess(name, Force ? "Disconnect its containers and remove container network" : "Remove container network"))
                {
                    ContainerNetworkRemove.Run(Store, name, Force);
                }
            }
            catch (Exception e) when (IsItemFailure(e))
            {
                WriteFailure(e, name);
            }
        }
    }
}
