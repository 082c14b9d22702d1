using System.Management.Automation;
using ContainerPS.Core.ContainerNetworks;

namespace ContainerPS.Commands;

/// <summary>Removes container networks: bridge, leases and NAT rules.</summary>
/// <remarks>
/// <para>
/// As docker network rm. It refuses while containers are attached unless -Force, which disconnects them first (they keep
/// running). With the last network gone, ip_forward is put back as it was.
/// </para>
/// </remarks>
/// <example>
/// <code>Remove-ContainerNetwork backend</code>
/// Removes backend, which must have no containers attached.
/// </example>
/// <example>
/// <code>Get-ContainerNetwork cps-* | Remove-ContainerNetwork -Force</code>
/// Removes every cps- network, disconnecting their containers.
/// </example>
/// <seealso cref="NewContainerNetworkCommand"/>
/// <seealso cref="DisconnectContainerNetworkCommand"/>
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
