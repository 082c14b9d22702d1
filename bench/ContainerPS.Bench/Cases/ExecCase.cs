using ContainerPS.Bench.Host;
using ContainerPS.Bench.Report;

namespace ContainerPS.Bench.Cases;

/// <summary>
/// Exec latency into a running `sleep` container: Invoke-ContainerCommand against `nsenter -a` (into the same
/// ContainerPS container), `crun exec` and `runc exec` (into containers of their own).
/// </summary>
public sealed class ExecCase : IBenchCase
{
    private const int Warmup = 5, Count = 50;
    private const string Exec = "param($Name, $Command) Invoke-ContainerCommand $Name $Command";

    public string Title => "Exec latency";

    public string Method =>
        $"{Count} runs of /bin/true per tool after {Warmup} warm-up rounds, into a running `sleep 1000` container: `Invoke-ContainerCommand` " +
        "and `nsenter -t PID -a /bin/true` into the same ContainerPS container, `crun exec` and `runc exec` into a container each of them " +
        "runs from the same rootfs. `crun exec` and `runc exec` also move the new process into the container's cgroups (see the cgroup " +
        "floor row of the start-to-exit table); `Invoke-ContainerCommand` puts it there too, without that wait (the process enters its " +
        "groups by itself); `nsenter` does not. Checked first: a probe run by each tool exits 0 only inside all of the target's namespaces, pid included.";

    public void Run(BenchContext bench, CaseResult result)
    {
        var ours = bench.Ours;
        var name = BenchContext.Prefix + "exec";
        var crunId = BenchContext.Prefix + "crun-exec";
        var runcId = BenchContext.Prefix + "runc-exec";
        var sleep = bench.Bundle("sleep", "sleep", "1000");
        try
        {
            var pid = (int)ours.Run("param($RootFs, $Name) (New-Container -RootFs $RootFs -Name $Name -Command sleep,1000 | Start-Container).Pid",
                ("RootFs", bench.RootFs), ("Name", name))[0].BaseObject;
            var crunPid = Detached(bench.Crun, "crun", sleep, crunId, bench.WorkDir);
            var runcPid = Detached(bench.Host, "runc", sleep, runcId, bench.WorkDir);

            ours.LastExitCode = null;
            ours.Run(Exec, ("Name", name), ("Command", NamespaceProbe.InsideOf(pid)));
            ours.RequireExitZero(name);
            bench.Host.Require(bench.Host.Exit(["nsenter", "-t", pid.ToString(), "-a", .. NamespaceProbe.InsideOf(pid)]) == 0, "nsenter -a: the namespace probe failed");
            bench.Crun.Require(bench.Crun.Exit(["crun", "exec", crunId, .. NamespaceProbe.InsideOf(crunPid)]) == 0, "crun exec: the namespace probe failed");
            bench.Host.Require(bench.Host.Exit(["runc", "exec", runcId, .. NamespaceProbe.InsideOf(runcPid)]) == 0, "runc exec: the namespace probe failed");

            var r = new Recorder();
            r.Rounds(Warmup, Count,
                _ =>
                {
                    ours.LastExitCode = null;
                    r.Add("ours", ours.Time(Exec, ("Name", name), ("Command", new[] { "/bin/true" })));
                    ours.RequireExitZero(name);
                },
                _ => r.Add("nsenter", bench.Host.Time("nsenter", "-t", pid.ToString(), "-a", "/bin/true")),
                _ => r.Add("crun", bench.Crun.Time("crun", "exec", crunId, "/bin/true")),
                _ => r.Add("runc", bench.Host.Time("runc", "exec", runcId, "/bin/true")));

            var invoke = result.Add("ContainerPS `Invoke-ContainerCommand`", "ms", r["ours"]);
            var nsenter = result.Peer("nsenter -t PID -a", "ms", r["nsenter"], invoke);
            result.Peer("crun exec", "ms", r["crun"], invoke);
            result.Peer("runc exec", "ms", r["runc"], invoke);
            result.Target("exec <= nsenter", invoke, nsenter, 1.0);
        }
        finally
        {
            ours.Run("param($Name) Get-Container -Name $Name | Remove-Container -Force", ("Name", name));
            bench.Crun.Exit("crun", "delete", "-f", crunId);
            bench.Host.Exit("runc", "delete", "-f", runcId);
        }
    }

    /// <summary>Runs a detached container with runc or crun and returns its process id from the pid file.</summary>
    public static int Detached(Peers.PeerRunner runner, string tool, string bundle, string id, string workDir)
    {
        var pidFile = Path.Combine(workDir, id + ".pid");
        runner.Require(runner.Exit(tool, "run", "-d", "--pid-file", pidFile, "-b", bundle, id) == 0, $"{tool} run -d {id} failed");
        return ProcFs.ReadPidFile(pidFile);
    }
}
