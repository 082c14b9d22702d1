using System.Management.Automation;
using ContainerPS.Core.Namespaces;

namespace ContainerPS.Commands;

/// <summary>Makes namespaces that persist with no process in them, as unshare --net=FILE or ip netns add do.</summary>
/// <remarks>
/// <para>
/// Each is bound under /run/containerps/ns/NAME/; a network namespace also appears in ip netns list as NAME. Join them
/// with Enter-Namespace, New-Container -Namespace or the -Namespace parameter of the network cmdlets, and remove them
/// with Remove-Namespace.
/// </para>
/// </remarks>
/// <example>
/// <code>New-Namespace -Name cps-lab -Kind Net,Uts</code>
/// A persistent network and UTS namespace pair named cps-lab.
/// </example>
/// <example>
/// <code>New-Namespace cps-lab -Kind Net; New-VethPair cps-h0 cps-l0 -PeerNamespace cps-lab -Up</code>
/// A network namespace with one end of a veth pair inside it, as ip netns add and ip link add ... netns do.
/// </example>
/// <seealso cref="GetNamespaceCommand"/>
/// <seealso cref="RemoveNamespaceCommand"/>
/// <seealso cref="EnterNamespaceCommand"/>
[Cmdlet(VerbsCommon.New, "Namespace", SupportsShouldProcess = true)]
[OutputType(typeof(NamespaceInfo))]
public sealed class NewNamespaceCommand : ContainerPSCmdlet
{
    /// <summary>The name to find the namespaces by (and the ip netns name of a network namespace).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = "";

    /// <summary>The kinds to make: Net, Uts, Ipc, Mnt, Pid, Cgroup, Time, User.</summary>
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
