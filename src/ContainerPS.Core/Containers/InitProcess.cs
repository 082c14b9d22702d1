using ContainerPS.Core.Interop;
using ContainerPS.Core.Namespaces;
using ContainerPS.Core.Rootfs;
using ContainerPS.Core.Security;
using static Tmds.Linux.LibC;

namespace ContainerPS.Core.Containers;

/// <summary>
/// `containerps-runtime init`: PID 1 of the new namespaces until it becomes the user's process. It builds the
/// filesystem, sets the hostname, limits capabilities, tells the shim it is ready, and blocks on the exec fifo
/// until Start-Container opens it; then it execs the command, which keeps PID 1.
/// </summary>
public static class InitProcess
{
    public static int Run(string stateDir)
    {
        var report = new SafeFd(InitReport.Fd);
        Sys.SetCloseOnExec(InitReport.Fd); // the user's process must not inherit the pipes to the shim
        string executable;
        ContainerSpec spec;
        SafeFd fifo;
        try
        {
            var store = new ContainerStore(Path.GetDirectoryName(stateDir)!);
            var id = Path.GetFileName(stateDir);
            spec = store.ReadSpec(id) ?? throw new ContainerPSException("ContainerSpecMissing", FailureKind.ObjectNotFound, $"No spec.json in {stateDir}.");
            // Opened by path before pivot_root hides the state directory; reopened for writing through /proc later.
            fifo = Sys.Open(store.FifoPath(id), O_PATH);

            ContainerFilesystem.Enter(spec, stateDir);
            if (spec.Namespaces.HasFlag(NamespaceKind.Net))
            {
                Loopback.BringUp();
            }
            if (spec.Namespaces.HasFlag(NamespaceKind.Uts) && spec.Hostname is not null)
            {
                Sys.SetHostname(spec.Hostname);
            }
            executable = ExecutableLookup.Find("/", spec.Command[0], spec.Environment, spec.WorkingDirectory);
            if (!Directory.Exists(spec.WorkingDirectory))
            {
                throw new ContainerPSException("WorkingDirectoryNotFound", FailureKind.ObjectNotFound,
                    $"The working directory '{spec.WorkingDirectory}' does not exist inside the container's root filesystem.");
            }
            if (!spec.Privileged)
            {
                Capabilities.LimitTo(Capabilities.ContainerDefault);
            }
        }
        catch (ContainerPSException e)
        {
            InitReport.Failed(report, e.Reason, e.Message);
            return 1;
        }
        catch (Exception e)
        {
            InitReport.Failed(report, "ContainerSetupFailed", $"Setting up the container failed: {e.Message}");
            return 1;
        }
        InitReport.Ready(report);
        report.Dispose();

        // Blocks until Start-Container opens the fifo for reading: the Created -> Running transition.
        using (var start = Sys.Open($"/proc/self/fd/{fifo.Value}", O_WRONLY))
        {
            Sys.Write(start, "0"u8);
        }
        fifo.Dispose();
        try
        {
            Sys.ChangeDirectory(spec.WorkingDirectory);
            Sys.Exec(executable, spec.Command, spec.Environment);
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"containerps: cannot run {spec.Command[0]}: {e.Message}");
        }
        return 127;
    }
}
