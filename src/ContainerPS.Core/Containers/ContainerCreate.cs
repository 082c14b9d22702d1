using System.Diagnostics;
using System.Security.Cryptography;
using ContainerPS.Core.Cgroups;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Network.ContainerNetworks;

namespace ContainerPS.Core.Containers;

/// <summary>
/// Creates a container: validates, records spec and name, makes the exec fifo and the cgroup, and starts the
/// shim, which reports once init waits in the new namespaces (state Created). On a container network, the address
/// is leased first and the veth made into init's net namespace once the shim has reported. Each step is recorded in a
/// <see cref="Rollback"/>; a failure anywhere removes all of it.
/// </summary>
public static class ContainerCreate
{
    public static Container Run(ContainerStore store, CreateOptions options, string runtimePath)
    {
        MigrationLockPrimer.Prime();
        var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
        var spec = SpecValidation.ToSpec(options, id);
        var network = ContainerNetworkRequest.For(store, options);
        using var rollback = new Rollback();

        store.ReserveName(spec.Name, id);
        rollback.Add("name " + spec.Name, () => store.ReleaseName(spec.Name));
        store.CreateDir(id);
        rollback.Add("state directory " + store.Dir(id), () => Directory.Delete(store.Dir(id), recursive: true));
        ContainerNetworkAttachment? lease = null;
        if (network is not null)
        {
            // The address is known before init starts, so /etc/hosts can name it; the veth follows once init exists.
            lease = ContainerNetworkConnect.Reserve(store, network, id, spec.Name, 0, rollback);
            var etc = ContainerEtcFiles.Create(store.Dir(id), spec.Name, spec.Hostname, [lease.IPAddress]);
            // A file the user mounts there themselves is theirs to give.
            spec = spec with { EtcFiles = etc.Where(e => !spec.Mounts.Any(m => m.Destination == e.Destination)).ToArray() };
        }
        store.WriteSpec(spec);
        Sys.MakeFifo(store.FifoPath(id), 0x180 /* 0600 */);

        var cgroup = Cgroup.ForContainer(id);
        cgroup.Create();
        rollback.Add("cgroup " + cgroup.Path, () =>
        {
            cgroup.KillAll();
            cgroup.Remove();
        });
        if (options.Limits is { } limits)
        {
            cgroup.Apply(limits);
        }

        var pid = StartShim(store.Dir(id), runtimePath, spec);
        if (lease is not null)
        {
            // init now waits on the exec fifo inside its namespaces: its net namespace gets the veth before anything runs.
            ContainerNetworkConnect.Wire(store, lease, pid, rollback);
        }
        rollback.Commit();
        return store.Load(id)!;
    }

    /// <summary>Starts the shim and reads its one-line verdict ("created PID"); the shim detaches itself after writing it.</summary>
    private static int StartShim(string stateDir, string runtimePath, ContainerSpec spec)
    {
        if (!File.Exists(runtimePath))
        {
            throw new ContainerPSException("RuntimeHelperMissing", FailureKind.ResourceUnavailable,
                $"The runtime helper {runtimePath} is missing. Build the module (./build.sh build) so module/bin holds containerps-runtime.", runtimePath);
        }
        var start = new ProcessStartInfo(runtimePath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("shim");
        start.ArgumentList.Add(stateDir);
        using var shim = Process.Start(start)!;
        shim.StandardInput.Close();
        var verdict = shim.StandardOutput.ReadLine();
        if (verdict is not null && verdict.StartsWith("created ", StringComparison.Ordinal))
        {
            return int.Parse(verdict["created ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        }
        if (verdict is not null && verdict.StartsWith("error ", StringComparison.Ordinal))
        {
            var parts = verdict.Split(' ', 3);
            shim.WaitForExit();
            throw new ContainerPSException(parts[1], KindOf(parts[1]), parts.Length > 2 ? parts[2] : parts[1], spec.Name);
        }
        shim.WaitForExit();
        throw new ContainerPSException("ContainerShimFailed", FailureKind.InvalidOperation,
            $"The container shim exited ({shim.ExitCode}) without creating the container: {shim.StandardError.ReadToEnd().Trim()}", spec.Name);
    }

    private static FailureKind KindOf(string reason) => reason switch
    {
        "ExecutableNotFound" or "WorkingDirectoryNotFound" => FailureKind.ObjectNotFound,
        _ => FailureKind.InvalidOperation,
    };
}
