using ContainerPS.Core.Interop;
using static Tmds.Linux.LibC;

namespace ContainerPS.Core.Cgroups;

/// <summary>
/// What a new process needs to enter a group by itself, opened before it is cloned: each v1 hierarchy's `tasks`
/// file, into which the single-threaded child writes "0", and the cgroup2 directory for clone3's CLONE_INTO_CGROUP.
/// <para>
/// Why not write the child's pid to cgroup.procs from the parent, as the obvious way goes: moving another process
/// takes the kernel's global threadgroup lock for writing, and its first writer after a quiet spell waits a whole
/// RCU grace period (4-16 ms here). A thread that moves only itself, and a process born into its group, take no
/// such lock. For a process with one thread, moving that thread is moving the process.
/// </para>
/// </summary>
public sealed class CgroupEntry : IDisposable
{
    private readonly List<SafeFd> _tasks;

    private CgroupEntry(List<SafeFd> tasks, SafeFd? unified)
    {
        _tasks = tasks;
        UnifiedDirectory = unified;
    }

    /// <summary>Open v1 `tasks` files; the child writes "0" to each.</summary>
    public IReadOnlyList<SafeFd> TaskFiles => _tasks;

    /// <summary>The open cgroup2 directory for CLONE_INTO_CGROUP, or null where no cgroup2 tree is mounted.</summary>
    public SafeFd? UnifiedDirectory { get; }

    public static CgroupEntry Open(Cgroup group)
    {
        var tasks = new List<SafeFd>();
        SafeFd? unified = null;
        try
        {
            foreach (var driver in group.Drivers)
            {
                var dir = driver.FullPath(group.Path);
                if (driver.Version == 2)
                {
                    unified = Sys.Open(dir, O_RDONLY | O_DIRECTORY);
                }
                else
                {
                    tasks.Add(Sys.Open(Path.Combine(dir, "tasks"), O_WRONLY));
                }
            }
            return new CgroupEntry(tasks, unified);
        }
        catch
        {
            tasks.ForEach(fd => fd.Dispose());
            unified?.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _tasks.ForEach(fd => fd.Dispose());
        UnifiedDirectory?.Dispose();
    }
}
