using System.Management.Automation;
using ContainerPS.Core.Containers;

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

    protected override void ProcessRecord()
    {
        foreach (var key in ParameterSetName == ParameterSets.Id ? Id : Name)
        {
            Container container;
            try
            {
                container = ContainerQuery.Find(Store, key);
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
