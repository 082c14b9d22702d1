using ContainerPS.Core.Cgroups;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Processes;
using ContainerPS.Core.Terminal;
using static Tmds.Linux.LibC;

namespace ContainerPS.Core.Namespaces;

/// <summary>
/// Starts a command inside existing namespaces: the clone child enters the cgroup, joins them (user first; pid and
/// time through the cloning thread), and execs. setns into mnt and user namespaces happens
/// only there, in the single-threaded child, never in the PowerShell process.
/// </summary>
public static class NamespaceExec
{
    public static ExecProcess Start(ExecRequest request, ExecStdio stdio)
    {
        var opened = new List<SafeFd>();
        try
        {
            var join = new List<(int, NamespaceKind)>();
            foreach (var (kind, path) in request.Namespaces)
            {
                var fd = Sys.TryOpen(path, O_RDONLY) ?? throw new ContainerPS.Core.Interop.ContainerPSException("NamespaceGone", ContainerPS.Core.Interop.FailureKind.ObjectNotFound,
                    $"The {kind} namespace at {path} is gone (its process exited).", path);
                opened.Add(fd);
                join.Add((fd.Value, kind));
            }
            return stdio switch
            {
                ExecStdio.Terminal => StartOnTerminal(request, join),
                ExecStdio.Detached => StartDetached(request, join),
                ExecStdio.Inherited => new ExecProcess(Launch(request, join, [(0, Borrowed(0)), (1, Borrowed(1)), (2, Borrowed(2))], terminal: false), null, null, null),
                _ => StartWithPipes(request, join),
            };
        }
        finally
        {
            foreach (var fd in opened)
            {
                fd.Dispose();
            }
        }
    }

    private static SafeFd Borrowed(int fd) => new(fd, ownsHandle: false);

    private static ExecProcess StartWithPipes(ExecRequest request, List<(int, NamespaceKind)> join)
    {
        var (outRead, outWrite) = Sys.Pipe();
        var (errRead, errWrite) = Sys.Pipe();
        using var devNull = Sys.Open("/dev/null", O_RDONLY);
        using (outWrite)
        using (errWrite)
        {
            var pid = Launch(request, join, [(0, devNull), (1, outWrite), (2, errWrite)], terminal: false);
            return new ExecProcess(pid, outRead, errRead, null);
        }
    }

    private static ExecProcess StartOnTerminal(ExecRequest request, List<(int, NamespaceKind)> join)
    {
        var pty = request.TerminalRoot is { } root ? Pty.OpenInRoot(root) : Pty.Open();
        using (var slave = pty.OpenSlave())
        {
            var pid = Launch(request, join, [(0, slave), (1, slave), (2, slave)], terminal: true);
            return new ExecProcess(pid, null, null, pty);
        }
    }

    private static ExecProcess StartDetached(ExecRequest request, List<(int, NamespaceKind)> join)
    {
        using var devNull = Sys.Open("/dev/null", O_RDWR);
        var pid = Launch(request, join, [(0, devNull), (1, devNull), (2, devNull)], terminal: false);
        // Someone must reap it; a background wait does, and if this process ends first, init adopts it.
        var process = new ExecProcess(pid, null, null, null);
        Task.Factory.StartNew(() => process.Wait(), TaskCreationOptions.LongRunning);
        return process;
    }

    private static int Launch(ExecRequest request, List<(int, NamespaceKind)> join, (int, SafeFd)[] descriptors, bool terminal)
    {
        using var cgroup = request.Cgroup is null ? null : CgroupEntry.Open(request.Cgroup);
        var clone = new CloneRequest
        {
            Join = join,
            Cgroup = cgroup,
            Executable = request.Executable,
            Arguments = request.Arguments,
            Environment = request.Environment,
            WorkingDirectory = request.WorkingDirectory,
            // The session's own descriptors, named by number: borrowed, never closed here.
            Descriptors = [.. descriptors, .. request.PreserveFds.Select(fd => (fd, new SafeFd(fd, ownsHandle: false)))],
            KeepCapabilities = request.KeepCapabilities,
            NoNewPrivileges = request.NoNewPrivileges,
            ControllingTerminal = terminal,
            Seccomp = request.Seccomp,

            User = request.User,
            // Joined from outside, we keep our host ids, which a mapped user namespace may not map: become its root.
            BecomeRoot = join.Any(j => j.Item2 == NamespaceKind.User),
            // Root may join a pid namespace from a thread of ours; anyone else only from inside its user namespace. A
            // time namespace takes a single-threaded joiner (EUSERS otherwise), which a thread of ours never is.
            ForkAfterJoin = join.Any(j => j.Item2 == NamespaceKind.Time)
                || (!Sys.IsRoot && join.Any(j => j.Item2 == NamespaceKind.User) && join.Any(j => ChildrenNamespaces.IsForChildren(j.Item2))),
        };
        if (VforkSpawn.CanRun(clone))
        {
            return VforkSpawn.Start(clone);
        }
        using var child = CloneChild.Start(clone);
        try
        {
            child.Release();
            return child.Pid;
        }
        catch
        {
            child.Kill();
            throw;
        }
    }
}
