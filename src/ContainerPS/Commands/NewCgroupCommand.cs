using System.Management.Automation;
using ContainerPS.Core.Cgroups;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Interop;

namespace ContainerPS.Commands;

/// <summary>Makes cgroups below containerps/, optionally with limits, as cgcreate and cgset do.</summary>
/// <remarks>
/// <para>
/// The group is made in every mounted hierarchy (each v1 controller and the v2 tree); each limit given (-Memory,
/// -CpuQuota, -Pids...) is written to the hierarchy that holds its controller, in that version's terms.
/// </para>
/// </remarks>
/// <example>
/// <code>New-Cgroup cps-batch -Memory 256MB -CpuQuota 0.5 -Pids 100</code>
/// The group containerps/cps-batch with 256 MB of memory, half a CPU and at most 100 processes.
/// </example>
/// <example>
/// <code>New-Cgroup cps-batch -Memory 64MB | Add-CgroupProcess -Command make,-j2</code>
/// Makes a group and runs make -j2 inside it, as cgcreate and cgexec do; the array form keeps -j2 for make.
/// </example>
/// <seealso cref="SetCgroupLimitCommand"/>
/// <seealso cref="AddCgroupProcessCommand"/>
/// <seealso cref="RemoveCgroupCommand"/>
/// <seealso cref="GetCgroupCommand"/>
[Cmdlet(VerbsCommon.New, "Cgroup", SupportsShouldProcess = true)]
[OutputType(typeof(CgroupInfo))]
public sealed class NewCgroupCommand : CgroupLimitCmdlet
{
    /// <summary>Group names, made below containerps/ (a/b makes a nested group).</summary>
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
