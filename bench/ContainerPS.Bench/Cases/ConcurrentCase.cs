using System.Diagnostics;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using ContainerPS.Bench.Report;

namespace ContainerPS.Bench.Cases;

/// <summary>
/// 100 /bin/true containers created at once: pipelines on a runspace pool (what ThreadJob and ForEach-Object
/// -Parallel use) against 100 crun and runc processes started together.
/// </summary>
public sealed class ConcurrentCase : IBenchCase
{
    private const int Containers = 100, Batches = 3, PoolSize = 8;
    private const string Pipeline = "param($RootFs, $Name) New-Container -RootFs $RootFs -Name $Name -Command /bin/true | Start-Container -Attach";

    public string Title => $"{Containers} concurrent containers";

    public string Method =>
        $"{Batches} batches per tool after one warm-up batch; a batch is the wall time from the first start to the last exit of " +
        $"{Containers} /bin/true containers. ContainerPS: {Containers} `New-Container | Start-Container -Attach` pipelines queued on a " +
        $"pool of {PoolSize} runspaces (module imported, opened before timing); crun and runc: {Containers} processes started together. " +
        "Every container must exit 0 (ContainerPS: checked with Get-Container before the untimed removal).";

    public void Run(BenchContext bench, CaseResult result)
    {
        using var pool = RunspaceFactory.CreateRunspacePool(PsSession.State(bench.Manifest));
        pool.SetMaxRunspaces(PoolSize);
        pool.SetMinRunspaces(PoolSize);
        pool.Open();
        var r = new Recorder();
        r.Rounds(1, Batches,
            b => r.Add("ours", Ours(bench, pool, b)),
            b => r.Add("crun", Peers(bench.Crun, b, "crun", bench.Bundle("true", "/bin/true"))),
            b => r.Add("runc", Peers(bench.Host, b, "runc", bench.Bundle("true", "/bin/true"))));

        var ours = result.Add($"ContainerPS, {Containers} pipelines on {PoolSize} runspaces", "ms", r["ours"]);
        result.Peer($"{Containers} crun run processes", "ms", r["crun"], ours);
        result.Peer($"{Containers} runc run processes", "ms", r["runc"], ours);
    }

    private static double Ours(BenchContext bench, RunspacePool pool, int batch)
    {
        var prefix = $"{BenchContext.Prefix}par-{batch}-";
        var shells = Enumerable.Range(0, Containers).Select(i =>
        {
            var shell = PowerShell.Create();
            shell.RunspacePool = pool;
            shell.AddScript(Pipeline).AddParameter("RootFs", bench.RootFs).AddParameter("Name", prefix + i);
            return shell;
        }).ToArray();
        try
        {
            var clock = Stopwatch.StartNew();
            var pending = shells.Select(s => s.BeginInvoke()).ToArray();
            for (var i = 0; i < shells.Length; i++)
            {
                shells[i].EndInvoke(pending[i]);
            }
            var wall = clock.Elapsed.TotalMilliseconds;
            foreach (var shell in shells)
            {
                PsSession.ThrowIfFailed(shell, Pipeline);
            }
            var exits = bench.Ours.Run("param($Pattern) Get-Container -Name $Pattern | ForEach-Object ExitCode", ("Pattern", prefix + "*"));
            if (exits.Count != Containers || exits.Any(e => !Equals(e.BaseObject, 0)))
            {
                throw new InvalidOperationException($"{Containers} containers {prefix}* should have exited 0; exit codes: {string.Join(",", exits)}");
            }
            return wall;
        }
        finally
        {
            foreach (var shell in shells)
            {
                shell.Dispose();
            }
            bench.Ours.Run("param($Pattern) Get-Container -Name $Pattern | Remove-Container -Force", ("Pattern", prefix + "*"));
        }
    }

    private static double Peers(Peers.PeerRunner runner, int batch, string tool, string bundle)
    {
        var response = runner.Batch(Enumerable.Range(0, Containers)
            .Select(i => new[] { tool, "run", "-b", bundle, $"{BenchContext.Prefix}{tool}-par-{batch}-{i}" }).ToArray());
        runner.Require(response.ExitCodes.All(c => c == 0), $"{tool}: exit codes {string.Join(",", response.ExitCodes.Distinct())} in a concurrent batch");
        return response.WallMs;
    }
}
