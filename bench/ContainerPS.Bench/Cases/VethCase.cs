using ContainerPS.Bench.Report;

namespace ContainerPS.Bench.Cases;

/// <summary>A veth pair created and deleted: New-VethPair / Remove-NetworkLink (rtnetlink in-process) against `ip link` processes.</summary>
public sealed class VethCase : IBenchCase
{
    private const int Warmup = 5, Count = 50;
    private const string Create = "param($Name, $Peer) New-VethPair -Name $Name -PeerName $Peer";
    private const string Delete = "param($Name) Remove-NetworkLink -Name $Name";

    public string Title => "veth pair create + delete";

    public string Method =>
        $"{Count} pairs per tool after {Warmup} warm-up rounds, in the host's network namespace. ContainerPS: `New-VethPair -Name A -PeerName B`, " +
        "then `Remove-NetworkLink -Name A` (two pipelines); iproute2: `ip link add A type veth peer name B`, then `ip link del A` " +
        "(two processes). Checked every round, untimed: after the create both ends exist, after the delete neither does (deleting one end " +
        "removes its peer only for a veth pair). Deleting a veth waits for the kernel (an RCU grace period), so the create rows show the tool overhead best.";

    public void Run(BenchContext bench, CaseResult result)
    {
        var r = new Recorder();
        var available = bench.Ours.HasCommand("New-VethPair") && bench.Ours.HasCommand("Remove-NetworkLink");
        Action<int> byIp = i => Pair(r, "ip", $"cps-bx{i}", $"cps-by{i}",
            (a, b) => bench.Host.Time("ip", "link", "add", a, "type", "veth", "peer", "name", b),
            a => bench.Host.Time("ip", "link", "del", a));
        Action<int> byCmdlets = i => Pair(r, "ours", $"cps-bp{i}", $"cps-bq{i}",
            (a, b) => bench.Ours.Time(Create, ("Name", a), ("Peer", b)),
            a => bench.Ours.Time(Delete, ("Name", a)));
        r.Rounds(Warmup, Count, available ? [byCmdlets, byIp] : [byIp]);

        Row Ours(string tool, string row) => available ? result.Add(tool, "ms", r[row]) : result.Unavailable(tool, "not available yet (the module has no New-VethPair / Remove-NetworkLink)");
        var total = Ours("ContainerPS create + delete", "ours total");
        var ip = result.Peer("ip link add + ip link del", "ms", r["ip total"], total);
        result.Peer("ip link add", "ms", r["ip create"], Ours("ContainerPS `New-VethPair`", "ours create"));
        result.Peer("ip link del", "ms", r["ip delete"], Ours("ContainerPS `Remove-NetworkLink`", "ours delete"));
        result.Target("veth create+delete >= 20x faster than ip processes (ours/ip <= 0.05x)", total, ip, 0.05);
    }

    /// <summary>One create and one delete, each checked on the host; records both and their sum under the tool's name.</summary>
    private static void Pair(Recorder r, string tool, string a, string b, Func<string, string, double> create, Func<string, double> delete)
    {
        var created = create(a, b);
        RequireLinks(a, b, exist: true);
        var deleted = delete(a);
        RequireLinks(a, b, exist: false);
        r.Add(tool + " create", created);
        r.Add(tool + " delete", deleted);
        r.Add(tool + " total", created + deleted);
    }

    private static void RequireLinks(string a, string b, bool exist)
    {
        if (Directory.Exists($"/sys/class/net/{a}") != exist || Directory.Exists($"/sys/class/net/{b}") != exist)
        {
            throw new InvalidOperationException($"veth {a}/{b} should {(exist ? "exist" : "be gone")}.");
        }
    }
}
