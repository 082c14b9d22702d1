using System.Management.Automation;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Namespaces;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Rootfs;

namespace ContainerPS.Commands;

/// <summary>Runs a command in the namespaces of a process, a container or a persistent namespace, as nsenter does.</summary>
/// <remarks>
/// <para>
/// The target is a pid, a Container, the name of a namespace New-Namespace made, or Namespace objects from
/// Get-Namespace. -Kind chooses which of its namespaces to join; by default every one it does not share with this
/// process. Without -Command an interactive shell opens on a new pseudo-terminal.
/// </para>
/// <para>
/// The command's stdout comes down the pipeline and $LASTEXITCODE is set. Commands with dash options go after -- or in
/// the array form.
/// </para>
/// </remarks>
/// <example>
/// <code>Enter-Namespace -Target (Get-Container web) -Kind Net -Command ip,addr</code>
/// Runs the host's ip addr in web's network namespace only, so it lists web's interfaces.
/// </example>
/// <example>
/// <code>Enter-Namespace 1234 -Kind Net,Uts -- sh -c 'hostname; cat /proc/net/dev'</code>
/// Joins the network and UTS namespaces of process 1234 (nsenter -t 1234 -n -u).
/// </example>
/// <example>
/// <code>Get-Namespace -Name lab | Enter-Namespace</code>
/// A shell inside the persistent namespace lab.
/// </example>
/// <seealso cref="GetNamespaceCommand"/>
/// <seealso cref="NewNamespaceCommand"/>
/// <seealso cref="InvokeContainerCommandCommand"/>
[Cmdlet(VerbsCommon.Enter, "Namespace", SupportsShouldProcess = true)]
[OutputType(typeof(string))]
public sealed class EnterNamespaceCommand : ContainerPSCmdlet
{
    /// <summary>A pid, a Container, a persistent namespace name, or Namespace objects.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    public object Target { get; set; } = null!;

    /// <summary>The kinds to join; by default every kind the target does not share with us.</summary>
    [Parameter]
    public NamespaceKind[]? Kind { get; set; }

    /// <summary>The command and its arguments: an array (sh,-c,'echo hi'), or the words that follow; put -- before words with dash options (-- sh -c 'echo hi').</summary>
    [Parameter(Position = 1, ValueFromRemainingArguments = true)]
    [ValidateNotNullOrEmpty]
    public string[]? Command { get; set; }

    /// <summary>The directory the command starts in, as the joined mount namespace sees it.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? WorkingDirectory { get; set; }

    private volatile bool _stopping;

    protected override void ProcessRecord()
    {
        try
        {
            var (namespaces, root) = Resolve(Target is PSObject wrapped ? wrapped.BaseObject : Target);
            var command = Command ?? ["/bin/sh"];
            var environment = System.Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>().Select(e => $"{e.Key}={e.Value}").ToArray();
            var joinsMount = namespaces.Any(n => n.Kind == NamespaceKind.Mnt);
            var request = new ExecRequest
            {
                Namespaces = namespaces,
                Executable = ExecutableLookup.Find(joinsMount ? root : "/", command[0], environment, WorkingDirectory ?? "/"),
                Arguments = command,
                Environment = environment,
                // nsenter keeps the cwd unless the mount namespace changes; then the namespace's root is where we land.
                WorkingDirectory = WorkingDirectory ?? (joinsMount ? "/" : SessionState.Path.CurrentFileSystemLocation.ProviderPath),
                TerminalRoot = joinsMount && File.Exists(root + "/dev/ptmx") ? root : null,
            };
            if (ShouldProcess(string.Join(", ", namespaces.Select(n => n.Path)), "Run " + string.Join(' ', command)))
            {
                RunInNamespaces(request, Command is null ? ExecStdio.Terminal : ExecStdio.Pipes, () => _stopping);
            }
        }
        catch (Exception e) when (IsItemFailure(e))
        {
            WriteFailure(e, Target);
        }
    }

    protected override void StopProcessing() => _stopping = true;

    private NamespaceKind? Kinds => Kind?.Aggregate((NamespaceKind)0, (all, k) => all | k);

    /// <summary>The namespaces to join and the root the command's path is looked up in.</summary>
    private (IReadOnlyList<(NamespaceKind Kind, string Path)>, string Root) Resolve(object target)
    {
        switch (target)
        {
            case int or long or uint:
                var pid = Convert.ToInt32(target);
                return (NamespaceTarget.OfProcess(pid, Kinds), $"/proc/{pid}/root");
            case Container container:
                return ContainerNamespaces(container.Id);
            case NamespaceInfo single:
                return ([(single.Kind, single.Path)], single.Pid > 0 ? $"/proc/{single.Pid}/root" : "/");
            case object[] many when many.All(o => (o is PSObject p ? p.BaseObject : o) is NamespaceInfo):
                var infos = many.Select(o => (NamespaceInfo)(o is PSObject p ? p.BaseObject : o)).Where(n => Kinds is null || Kinds.Value.HasFlag(n.Kind)).ToArray();
                return (infos.Select(n => (n.Kind, n.Path)).ToArray(), infos.FirstOrDefault(n => n.Pid > 0) is { } owner ? $"/proc/{owner.Pid}/root" : "/");
            case string text when int.TryParse(text, out var number):
                return (NamespaceTarget.OfProcess(number, Kinds), $"/proc/{number}/root");
            case string name when PersistentNamespace.Exists(name):
                return (NamespaceTarget.OfPersistent(name, Kinds), "/");
            case string name:
                return ContainerNamespaces(ContainerQuery.Find(Store, name).Id);
            default:
                // A Container that came back through remoting has lost its type but kept its Id.
                if (PSObject.AsPSObject(target).Properties["Id"]?.Value is string id)
                {
                    return ContainerNamespaces(id);
                }
                throw new ContainerPSException("InvalidNamespaceTarget", FailureKind.InvalidArgument,
                    $"-Target '{target}' is not something with namespaces. Give a pid, a Container, a persistent namespace name, or objects from Get-Namespace.", target);
        }
    }

    private (IReadOnlyList<(NamespaceKind, string)>, string) ContainerNamespaces(string id)
    {
        var container = ContainerQuery.Find(Store, id);
        if (container.State != ContainerState.Running || container.Pid is not { } pid)
        {
            throw new ContainerPSException("ContainerNotRunning", FailureKind.InvalidOperation,
                $"Container '{container.Name}' is {container.State}; only a Running container's namespaces can be entered.", container);
        }
        return (NamespaceTarget.OfProcess(pid, Kinds), $"/proc/{pid}/root");
    }
}
