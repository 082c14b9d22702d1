using ContainerPS.Bench.Host;
using ContainerPS.Bench.Report;

namespace ContainerPS.Bench.Cases;

/// <summary>
/// Resident memory of the per-container monitor, ContainerPS's shim against conmon holding a runc container
/// (how podman runs one), and of a whole idle container: monitor plus container process.
/// </summary>
public sealed class FootprintCase : IBenchCase
{
    private const int Containers = 5;
    private const int SettleMs = 1000;

    public string Title => "Footprint";

    public string Method =>
        $"{Containers} running `sleep 1000` containers per side, read {SettleMs} ms after the last one started: VmRSS of ContainerPS's shim " +
        "(`containerps-runtime shim`, NativeAOT) and of conmon 2.1 holding a runc container (`conmon --runtime runc`, then `runc start`, " +
        "as podman does it), and of the idle container as a whole: monitor + the container's process (busybox sleep on both sides). " +
        "VmRSS counts the pages of the monitor's binary and libraries too, which further monitors share; RssAnon is the private heap " +
        "and stacks each further container adds. " +
        "Checked first: each container's process is alive, runs sleep, and is in a pid namespace of its own.";

    public void Run(BenchContext bench, CaseResult result)
    {
        var ours = new List<(int Shim, int Process)>();
        var theirs = new List<(int Conmon, int Process, string Id)>();
        try
        {
            for (var i = 0; i < Containers; i++)
            {
                var started = bench.Ours.Run("param($RootFs, $Name) New-Container -RootFs $RootFs -Name $Name -Command sleep,1000 | Start-Container",
                    ("RootFs", bench.RootFs), ("Name", $"{BenchContext.Prefix}fp-{i}"))[0];
                ours.Add((ContainerTraces.ShimPid((string)started.Properties["Id"].Value), (int)started.Properties["Pid"].Value));
                theirs.Add(Conmon(bench, $"{BenchContext.Prefix}conmon-{i}"));
            }
            Thread.Sleep(SettleMs);
            foreach (var pid in ours.Select(o => o.Process).Concat(theirs.Select(t => t.Process)))
            {
                RequireIsolatedSleep(pid);
            }

            var shim = result.Add("ContainerPS shim, VmRSS", "MB", ours.Select(o => Rss(o.Shim)));
            var conmon = result.Peer("conmon (holding runc), VmRSS", "MB", theirs.Select(t => Rss(t.Conmon)), shim);
            var shimAnon = result.Add("ContainerPS shim, RssAnon only", "MB", ours.Select(o => Rss(o.Shim, "RssAnon")));
            result.Peer("conmon, RssAnon only", "MB", theirs.Select(t => Rss(t.Conmon, "RssAnon")), shimAnon);
            var idle = result.Add("ContainerPS idle container: shim + sleep", "MB", ours.Select(o => Rss(o.Shim) + Rss(o.Process)));
            result.Peer("conmon + runc idle container: conmon + sleep", "MB", theirs.Select(t => Rss(t.Conmon) + Rss(t.Process)), idle);
            result.Add("the container's process (sleep), ContainerPS", "MB", ours.Select(o => Rss(o.Process)));
            result.Add("the container's process (sleep), runc", "MB", theirs.Select(t => Rss(t.Process)));
            result.Target("shim RSS <= conmon", shim, conmon, 1.0);
        }
        finally
        {
            bench.Ours.Run("param($Pattern) Get-Container -Name $Pattern | Remove-Container -Force", ("Pattern", BenchContext.Prefix + "fp-*"));
            foreach (var (conmonPid, _, id) in theirs)
            {
                bench.Host.Exit("runc", "delete", "-f", id);
                // conmon exits once its container is gone; stop one that did not, by its own pid.
                if (ProcFs.Alive(conmonPid) && !SpinUntil(() => !ProcFs.Alive(conmonPid)))
                {
                    bench.Host.Exit("kill", conmonPid.ToString());
                }
            }
        }
    }

    /// <summary>
    /// conmon runs `runc create` and stays as the container's monitor; `runc start` then runs the process. The
    /// conmon we start returns at once (its child monitors), so the container's pid file says when create is done.
    /// </summary>
    private static (int Conmon, int Process, string Id) Conmon(BenchContext bench, string id)
    {
        var dir = Directory.CreateDirectory(Path.Combine(bench.WorkDir, id)).FullName;
        bench.Host.Require(bench.Host.Exit("conmon", "--cid", id, "--cuuid", id, "--name", id, "--runtime", "/usr/sbin/runc",
            "--bundle", bench.Bundle("sleep", "sleep", "1000"), "--log-path", Path.Combine(dir, "ctr.log"),
            "--container-pidfile", Path.Combine(dir, "ctr.pid"), "--conmon-pidfile", Path.Combine(dir, "conmon.pid"),
            "--exit-dir", dir, "--socket-dir-path", dir) == 0, $"conmon for {id} failed");
        var created = Path.Combine(dir, "ctr.pid");
        bench.Host.Require(SpinUntil(() => File.Exists(created) && new FileInfo(created).Length > 0), $"conmon for {id}: runc create did not finish");
        var conmon = ProcFs.ReadPidFile(Path.Combine(dir, "conmon.pid"));
        bench.Host.Require(bench.Host.Exit("runc", "start", id) == 0, $"runc start {id} failed");
        return (conmon, ProcFs.ReadPidFile(created), id);
    }

    private static void RequireIsolatedSleep(int pid)
    {
        if (!ProcFs.Cmdline(pid).StartsWith("sleep", StringComparison.Ordinal) || ProcFs.Namespace(pid.ToString(), "pid") == ProcFs.Namespace("self", "pid"))
        {
            throw new InvalidOperationException($"Process {pid} should be an isolated sleep; it is '{ProcFs.Cmdline(pid)}'.");
        }
    }

    private static double Rss(int pid, string field = "VmRSS") => ProcFs.RssMb(pid, field) ?? throw new InvalidOperationException($"Process {pid} is gone.");

    private static bool SpinUntil(Func<bool> condition) => SpinWait.SpinUntil(condition, TimeSpan.FromSeconds(5));
}
