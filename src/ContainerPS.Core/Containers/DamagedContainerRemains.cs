using ContainerPS.Core.Cgroups;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Processes;

namespace ContainerPS.Core.Containers;

/// <summary>
/// What a container whose record cannot be read whole still holds on the host, found from the kernel rather than the
/// record: the processes in its cgroup (named by its id), the process and shim state.json names if that file still
/// reads and their start times still match (a pid alone may have been reused), and mounts under its directory.
/// </summary>
internal static class DamagedContainerRemains
{
    /// <summary>SIGKILLs the container's processes and its shim, and waits briefly for the shim, which writes its last state as it ends.</summary>
    public static void Kill(ContainerStore store, string id, Cgroup cgroup)
    {
        var state = RecordedState(store, id);
        if (state is not null)
        {
            ProcessSignal.Send(state.Pid, state.PidStartTime, 9);
        }
        cgroup.KillAll();
        if (state is not null && ProcessSignal.Send(state.ShimPid, state.ShimStartTime, 9))
        {
            ProcessExit.Wait(state.ShimPid, state.ShimStartTime, TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>Detaches anything mounted under the state directory in the host's mount namespace, so the directory can go.</summary>
    public static void UnmountUnder(string dir)
    {
        var mountPoints = File.ReadLines("/proc/self/mountinfo")
            .Select(line => line.Split(' ')[4])
            .Where(point => point.StartsWith(dir + "/", StringComparison.Ordinal))
            .OrderByDescending(point => point.Length); // the deepest first
        foreach (var point in mountPoints)
        {
            Sys.Unmount(point, 2 /* MNT_DETACH */);
        }
    }

    private static ContainerStateFile? RecordedState(ContainerStore store, string id)
    {
        try
        {
            return store.ReadState(id);
        }
        catch (RecordDamagedException)
        {
            return null; // the cgroup still finds the container's processes
        }
    }
}
