using System.Management.Automation;
using ContainerPS.Core.Namespaces;

namespace ContainerPS.Commands;

/// <summary>
/// New-Namespace: namespaces that live with no process in them (unshare --net=FILE, ip netns add), bound under
/// /run/containerps/ns/&lt;name&gt;/; a net namespace also appears in `ip netns list`.
/// </summary>
[Cmdlet(VerbsCommon.New, "Namespace", SupportsShouldProcess = true)]
[OutputType(typeof(NamespaceInfo))]
public sealed class NewNamespaceCommand : ContainerPSCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public NamespaceKind[] Kind { get; set; } = [];

    protected override void ProcessRecord()
    {
        var kinds = Kind.Aggregate((NamespaceKind)0, (all, k) => all | k);
        if (!ShouldProcess(PersistentNamespace.Dir(Name), $"Create {kinds} namespace(s)"))
        {
            return;
        }
        try
        {
            PersistentNamespace.Create(Name, kinds);
            WriteObject(NamespaceScan.All().Where(n => n.Name == Name), enumerateCollection: true);
        }
        catch (Exception e) when (IsItemFailure(e))
        {
            ThrowFailure(e, Name);
        }
    }
}
