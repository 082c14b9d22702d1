using System.Collections;
using System.Management.Automation;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Namespaces;

namespace ContainerPS.Commands;

/// <summary>Runs a command inside a running container, as docker exec does.</summary>
/// <remarks>
/// <para>
/// The command joins all of the container's namespaces, its cgroup, its root and its environment. Its stdout comes down
/// the pipeline as a native command's, its stderr goes to the host, and $LASTEXITCODE is set to its exit code.
/// </para>
/// <para>
/// Give the command after the container's name, as words or as an array. PowerShell reads a word that begins with a dash
/// as one of its own parameter names (sh -c fails: "parameter name 'c' is ambiguous"), so put -- before a command with
/// dash options, or pass an array to -Command. See about_ContainerPS.
/// </para>
/// </remarks>
/// <example>
/// <code>Invoke-ContainerCommand web hostname</code>
/// Prints web's hostname; plain words without dashes need nothing more.
/// </example>
/// <example>
/// <code>Invoke-ContainerCommand web -- sh -c 'echo hi from $(hostname)'</code>
/// Everything after -- is the command, -c included; the single quotes keep $(hostname) for the container's shell.
/// </example>
/// <example>
/// <code>Invoke-ContainerCommand web -Command sh,-c,'ls /etc | wc -l' -WorkingDirectory /tmp -Environment @{ LANG = 'C' }</code>
/// The array form, with a working directory and an extra variable.
/// </example>
/// <example>
/// <code>Get-Container -State Running | ForEach-Object { Invoke-ContainerCommand $_.Name -- ps -o pid,comm }</code>
/// Lists the processes of each running container.
/// </example>
/// <seealso cref="EnterContainerCommand"/>
/// <seealso cref="EnterNamespaceCommand"/>
/// <seealso cref="StartContainerCommand"/>
[Cmdlet(VerbsLifecycle.Invoke, "ContainerCommand", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.Name)]
[OutputType(typeof(string))]
public sealed class InvokeContainerCommandCommand : ContainerTargetCmdlet
{
    /// <summary>The command and its arguments: an array (sh,-c,'echo hi'), or the words that follow; put -- before words with dash options (-- sh -c 'echo hi').</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromRemainingArguments = true)]
    [ValidateNotNullOrEmpty]
    public string[] Command { get; set; } = [];

    /// <summary>Variables added to (or overriding) the container's environment.</summary>
    [Parameter]
    public Hashtable? Environment { get; set; }

    /// <summary>The directory inside the container the command starts in; by default the container's own.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? WorkingDirectory { get; set; }

    /// <summary>Start it and return at once; its output is discarded, as with docker exec -d.</summary>
    [Parameter]
    public SwitchParameter Detach { get; set; }

    /// <summary>The user it runs as, USER[:GROUP] (numbers, or names from the container's /etc/passwd and /etc/group); by default the container's own.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? User { get; set; }

    /// <summary>
    /// Descriptors of this PowerShell process the command gets at the same numbers (3 and up), as --preserve-fds hands
    /// on runc's; every other descriptor is closed before the command starts.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public int[] PreserveFd { get; set; } = [];

    private volatile bool _stopping;

    protected override void Process(Container container)
    {
        if (!ShouldProcess(container.Name, "Run " + string.Join(' ', Command)))
        {
            return;
        }
        var request = ContainerExec.Request(Store, container, Command, EnvironmentOf(Environment), WorkingDirectory, User, PreserveFd);
        RunInNamespaces(request, Detach ? ExecStdio.Detached : ExecStdio.Pipes, () => _stopping);
    }

    protected override void StopProcessing() => _stopping = true;
}
