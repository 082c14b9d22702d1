using System.Management.Automation;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Interop;

namespace ContainerPS;

/// <summary>
/// A cmdlet that acts on containers named by -Name (position 0; a Container object passed there binds by its
/// name) or by -Id, which binds from the pipeline by property name: Container objects, and deserialized ones
/// that came back from remoting, pipe straight in.
/// </summary>
public abstract class ContainerTargetCmdlet : ContainerPSCmdlet
{
    /// <summary>Container names or ids (an unambiguous id prefix of 4 or more characters will do); a Container object given here binds by its name.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ParameterSets.Name)]
    [Alias("Container")]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.ContainerNameCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>Container ids; Container objects piped in bind here by their Id.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ParameterSets.Id, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.ContainerIdCompleter))]
    public string[] Id { get; set; } = [];

    /// <summary>
    /// The state store to look in: the --root an OCI engine gave containerps-runtime (containerd:
    /// /run/containerd/runc/NAMESPACE), instead of /run/containerps. Container objects piped in bind theirs.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Root { get; set; }

    protected override string? StoreRoot => Root;

    /// <summary>Whether this cmdlet acts on a Damaged container (a create that never finished); only a removal does.</summary>
    protected virtual bool AcceptsDamaged => false;

    /// <summary>Whether a record whose files cannot be read is found as a Damaged container rather than refused as ContainerRecordDamaged.</summary>
    protected virtual bool AcceptsUnreadable => false;

    protected override void ProcessRecord()
    {
        var byId = ParameterSetName == ParameterSets.Id;
        foreach (var key in byId ? Id : Name)
        {
            Container container;
            try
            {
                container = byId ? ContainerQuery.FindById(Store, key, AcceptsUnreadable) : ContainerQuery.Find(Store, key, AcceptsUnreadable);
                if (container.State == ContainerState.Damaged && !AcceptsDamaged)
                {
                    throw new ContainerPSException("ContainerDamaged", FailureKind.InvalidOperation,
                        $"Container '{container.Name}' ({container.ShortId}) is Damaged: its record was never finished, so {MyInvocation.MyCommand.Name} cannot act on it. Remove-Container {container.Name} removes it.", container);
                }
            }
            catch (ContainerPSException e)
            {
                WriteFailure(e, key);
                continue;
            }
            try
            {
                Process(container);
            }
            catch (Exception e) when (IsItemFailure(e))
            {
                WriteFailure(e, container);
            }
        }
    }

    protected abstract void Process(Container container);
}
