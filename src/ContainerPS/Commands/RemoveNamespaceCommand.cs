using System.Management.Automation;
using ContainerPS.Core.Namespaces;

namespace ContainerPS.Commands;

/// <summary>Removes persistent namespaces that New-Namespace made.</summary>
/// <remarks>
/// <para>
/// Unmounts the bind mounts under /run/containerps/ns/NAME/ and the /run/netns entry, as ip netns del does. The kernel
/// ends a namespace once nothing holds it, so one a process still runs in lives on until that process ends.
/// </para>
/// </remarks>
/// <example>
/// <code>Remove-Namespace cps-lab</code>
/// Removes the persistent namespaces named cps-lab.
/// </example>
/// <example>
/// <code>Get-Namespace -Name cps-* | Remove-Namespace</code>
/// Removes every persistent namespace whose name begins with cps-.
/// </example>
/// <seealso cref="NewNamespaceCommand"/>
/// <seealso cref="GetNamespaceCommand"/>
[Cmdlet(VerbsCommon.Remove, "Namespace", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class RemoveNamespaceCommand : ContainerPSCmdlet
{
    /// <summary>The names New-Namespace gave; namespace objects bind by their Name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.PersistentNamespaceCompleter))]
    public string[] Name { get; set; } = [];

    private readonly HashSet<string> _done = [];

    protected override void ProcessRecord()
    {
        // Get-Namespace -Name x emits one object per kind; the set is removed once.
        foreach (var name in Name.Where(_done.Add))
        {
            try
            {
                PersistentNamespace.CheckExists(name);
                if (ShouldProcess(PersistentNamespace.Dir(name), "Remove persistent namespace"))
                {
                    PersistentNamespace.Remove(name);
                }
            }
            catch (Exception e) when (IsItemFailure(e))
            {
                WriteFailure(e, name);
            }
        }
    }
}
