using System.Collections;
using System.Management.Automation;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Namespaces;

namespace ContainerPS.Commands;

/// <summary>
/// Invoke-ContainerCommand: docker exec. The command joins all of the container's namespaces, its cgroup, its root
/// and its environment; stdout comes down the pipeline, stderr goes to the host, $LASTEXITCODE is set.
/// <code>Invoke-ContainerCommand web hostname</code>
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "ContainerCommand", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.Name)]
[OutputType(typeof(string))]
public sealed class InvokeContainerCommandCommand : ContainerTargetCmdlet
{
    /// <summary>The command and its arguments: an array (sh,-c,'...'), or the remaining words (echo hello world).</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromRemainingArguments = true)]
    [ValidateNotNullOrEmpty]
    public string[] Command { get; set; } = [];

    /// <summary>Variables added to (or overriding) the container's environment.</summary>
    [Parameter]
    public Hashtable? Environment { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? WorkingDirectory { get; set; }

    /// <summary>Start it and return at once; its output is discarded, as with docker exec -d.</summary>
    [Parameter]
    public SwitchParameter Detach { get; set; }

    private volatile bool _stopping;

    protected override void Process(Container container)
    {
        if (!ShouldProcess(container.Name, "Run " + string.Join(' ', Command)))
        {
            return;
        }
        var request = ContainerExec.Request(Store, container, Command, EnvironmentOf(Environment), WorkingDirectory);
        RunInNamespaces(request, Detach ? ExecStdio.Detached : ExecStdio.Pipes, () => _stopping);
    }

    protected override void StopProcessing() => _stopping = true;
}
