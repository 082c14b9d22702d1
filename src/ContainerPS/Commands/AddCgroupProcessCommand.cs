using System.Management.Automation;
using ContainerPS.Core.Cgroups;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Processes;

namespace ContainerPS.Commands;

/// <summary>
/// Add-CgroupProcess: moves processes into a group (echo PID > cgroup.procs), or with -Command runs a command
/// inside it as cgexec does; its stdout comes down the pipeline, its stderr to the host, $LASTEXITCODE is set.
/// </summary>
[Cmdlet(VerbsCommon.Add, "CgroupProcess", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.Name)]
[OutputType(typeof(void))]
[OutputType(typeof(string))]
public sealed class AddCgroupProcessCommand : CgroupTargetCmdlet
{
    [Parameter]
    [Alias("Pid")]
    public int[]? ProcessId { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Command { get; set; }

    protected override void BeginProcessing()
    {
        if (ProcessId is null == Command is null)
        {
            ThrowFailure(new ContainerPSException("ProcessOrCommandRequired", FailureKind.InvalidArgument,
                "Give either -ProcessId with the ids to move, or -Command with a command to run inside the cgroup.", null), null);
        }
    }

    protected override void Process(Cgroup cgroup)
    {
        foreach (var pid in ProcessId ?? [])
        {
            if (ProcStat.StartTime(pid) is null)
            {
                WriteFailure(new ContainerPSException("ProcessNotFound", FailureKind.ObjectNotFound, $"No process has the id {pid}.", pid), pid);
            }
            else if (ShouldProcess($"{pid}", $"Move process into {cgroup.Path}"))
            {
                cgroup.AddProcess(pid);
            }
        }
        if (Command is { } command && ShouldProcess(cgroup.Path, "Run " + string.Join(' ', command)))
        {
            SetExitCode(CgroupExec.Run(cgroup, command, SessionState.Path.CurrentFileSystemLocation.ProviderPath, WriteNativeLine));
        }
    }
}
