using ContainerPS.Core.Interop;
using ContainerPS.Core.Processes;
using static Tmds.Linux.LibC;

namespace ContainerPS.Core.Containers;

/// <summary>
/// Starts a Created container: opening its exec fifo releases the container's process, which execs the user's command.
/// The fifo is opened without blocking and watched together with that process, so a container whose process died
/// fails the start instead of hanging it.
/// </summary>
public static class ContainerStart
{
    /// <summary>Throws ContainerNotCreated when <see cref="Run"/> would refuse: only a Created container starts. Changes nothing.</summary>
    public static void Check(Container container)
    {
        if (container.State != ContainerState.Created)
        {
            throw new ContainerPSException("ContainerNotCreated", FailureKind.InvalidOperation,
                $"Container '{container.Name}' is {container.State}; only a Created container can be started. Make a new one with New-Container.", container);
        }
    }

    public static Container Run(ContainerStore store, Container container)
    {
        Check(container);
        var state = store.ReadState(container.Id)!;
        var fifoPath = store.FifoPath(container.Id);
        using (var fifo = Sys.Open(fifoPath, O_RDONLY | O_NONBLOCK))
        {
            Span<byte> one = stackalloc byte[1];
            while (!Sys.PollReadable(fifo, 50))
            {
                if (!ProcStat.IsAlive(state.Pid, state.PidStartTime))
                {
                    throw new ContainerPSException("ContainerInitDied", FailureKind.InvalidOperation,
                        $"Container '{container.Name}' could not start: its process ({state.Pid}) is gone.", container);
                }
            }
            Sys.Read(fifo, one);
        }
        CrashPoint.Reach("start:released");
        File.Delete(fifoPath);
        CrashPoint.Reach("start:fifo-removed");
        store.UpdateState(container.Id, s => s with { StartedAt = DateTime.UtcNow });
        return store.Load(container.Id)!;
    }
}
