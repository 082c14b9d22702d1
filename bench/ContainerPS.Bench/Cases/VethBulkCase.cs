using ContainerPS.Bench.Report;

namespace ContainerPS.Bench.Cases;

/// <summary>
/// Many veth pairs made and removed at once, as a provisioning script does: one pipeline of cmdlets against one
/// `ip` process per operation (the comparison), and against `ip -batch` (one process, for honesty).
/// </summary>
public sealed class VethBulkCase : IBenchCase
{
    private const int Warmup = 1, Rounds = 5, Pairs = 100;

    private const string Pipeline =
        "param($Prefix, $Count) 1..$Count | ForEach-Object { New-VethPair -Name \"$Prefix`a$_\" -PeerName \"$Prefix`b$_\" } | " +
        "Where-Object Name -like \"$Prefix`a*\" | Remove-NetworkLink";

    public string Title => $"{Pairs} veth pairs created, then removed";

    public string Method =>
        $"{Rounds} rounds per tool after {Warmup} warm-up round; a round makes {Pairs} pairs and removes them, and the rows give the time per pair. " +
        $"ContainerPS: one pipeline, `1..{Pairs} | ForEach-Object {{ New-VethPair ... }} | Where-Object Name -like 'A*' | Remove-NetworkLink` " +
        "(the removal goes to the kernel as one request, as `ip link del group` does); iproute2: " +
        $"{Pairs} `ip link add` and {Pairs} `ip link del` processes, and the same {2 * Pairs} commands as one `ip -batch` process. " +
        "Checked every round, untimed: no pair is left.";

    public void Run(BenchContext bench, CaseResult result)
    {
        if (!bench.Ours.HasCommand("New-VethPair"))
        {
            result.Unavailable("ContainerPS pipeline", "not available yet (the module has no New-VethPair)");
            return;
        }
        var r = new Recorder();
        var batchFile = Path.Combine(Path.GetTempPath(), $"cps-bench-veth-{Environment.ProcessId}.batch");
        File.WriteAllLines(batchFile, Commands("cps-bk").Select(c => string.Join(' ', c.Skip(1))));
        try
        {
            Action<int> ours = _ => PerPair(r, "ours", "cps-bp", () => bench.Ours.Time(Pipeline, ("Prefix", "cps-bp"), ("Count", Pairs)));
            // One request per command: a runner batch starts its commands together, and a delete must follow its add.
            Action<int> processes = _ => PerPair(r, "ip", "cps-bi", () => Commands("cps-bi").Sum(c => bench.Host.Time(c)));
            Action<int> batch = _ => PerPair(r, "ip -batch", "cps-bk", () => bench.Host.Time("ip", "-batch", batchFile));
            r.Rounds(Warmup, Rounds, ours, processes, batch);
        }
        finally
        {
            File.Delete(batchFile);
        }
        var pipeline = result.Add("ContainerPS, one pipeline", "ms", r["ours"]);
        var ip = result.Peer("ip link add + ip link del processes", "ms", r["ip"], pipeline);
        result.Peer("ip -batch (one process)", "ms", r["ip -batch"], pipeline);
        result.Target($"veth create+delete >= 20x faster than ip processes, {Pairs} pairs at a time (ours/ip <= 0.05x)", pipeline, ip, 0.05);
    }

    private static IReadOnlyCollection<string[]> Commands(string prefix) =>
        Enumerable.Range(1, Pairs).Select(i => new[] { "ip", "link", "add", $"{prefix}a{i}", "type", "veth", "peer", "name", $"{prefix}b{i}" })
            .Concat(Enumerable.Range(1, Pairs).Select(i => new[] { "ip", "link", "del", $"{prefix}a{i}" })).ToArray();

    private static void PerPair(Recorder r, string row, string prefix, Func<double> round)
    {
        r.Add(row, round() / Pairs);
        if (Directory.EnumerateDirectories("/sys/class/net", prefix + "*").Any())
        {
            throw new InvalidOperationException($"{row} left {prefix}* links behind.");
        }
    }
}
