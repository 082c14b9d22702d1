using System.Management.Automation;
using ContainerPS.Core.Cgroups;
using ContainerPS.Core.Containers;

namespace ContainerPS.Commands;

/// <summary>New-Cgroup: makes a group below containerps/ in every mounted hierarchy (cgcreate), optionally with limits.</summary>
[Cmdlet(VerbsCommon.New, "Cgroup", SupportsShouldProcess = true)]
[OutputType(typeof(CgroupInfo))]
public sealed class NewCgroupCommand : CgroupLimitCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.CgroupNameCompleter))]
    public string[] Name { get; set; } = [];

    protected override void ProcessRecord()
    {
        foreach (var name in Name)
        {
            try
            {
                var cgroup = new Cgroup(CgroupQuery.Validate(name));
                if (cgroup.Exists())
                {
                    throw new ContainerPSException("CgroupExists", FailureKind.ResourceExists,
                        $"The cgroup '{cgroup.Name}' already exists ({cgroup.Path}). Use Set-CgroupLimit to change it, or another -Name.", name);
                }
                if (!ShouldProcess(cgroup.Path, Limits is null ? "Create cgroup" : "Create cgroup with limits " + string.Join(", ", Limits.Controllers())))
                {
                    continue;
                }
                cgroup.Create();
                try
                {
                    if (Limits is not null)
                    {
                        cgroup.Apply(Limits);
                    }
                }
                catch
                {
                    cgroup.Remove();
                    throw;
                }
                WriteObject(CgroupQuery.Describe(cgroup, Store));
            }
            catch (Exception e) when (IsItemFailure(e))
            {
                WriteFailure(e, name);
            }
        }
    }
}
