using System.Management.Automation;
using ContainerPS.Core.Namespaces;

namespace ContainerPS.Commands;

/// <summary>Remove-Namespace: unmounts a persistent namespace's bind mounts (and its /run/netns entry); it ends once nothing else holds it.</summary>
[Cmdlet(VerbsCommon.Remove, "Namespace", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class RemoveNamespaceCommand : ContainerPSCmdlet
{
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
