using ContainerPS.Bench.Report;

namespace ContainerPS.Bench.Cases;

/// <summary>100 /bin/true containers one after another, the way a script loops: the time for all 100.</summary>
public sealed class SequentialCase : IBenchCase
{
    private const int Containers = 100, Batches = 3;
    private const string Pipeline = "param($RootFs, $Name) New-Container -RootFs $RootFs -Name $Name -Command /bin/true | Start-Container -Attach";

    public string Title => $"{Containers} sequential containers";

    public string Method =>
        $"{Batches} batches per tool (after the start-to-exit case warmed everything); a batch is the sum of {Containers} start-to-exit " +
        "times of /bin/true, one pipeline or process per container. ContainerPS removes each batch's containers after the batch, untimed. " +
        "Each container must exit 0.";

    public void Run(BenchContext bench, CaseResult result)
    {
        var r = new Recorder();
        var names = new List<string>();
        r.Rounds(0, Batches,
            b =>
            {
                var total = 0.0;
                for (var i = 0; i < Containers; i++)
                {
                    var name = $"{BenchContext.Prefix}seq-{b}-{i}";
                    names.Add(name);
                    bench.Ours.LastExitCode = null;
                    total += bench.Ours.Time(Pipeline, ("RootFs", bench.RootFs), ("Name", name));
                    bench.Ours.RequireExitZero(name);
                }
                r.Add("ours", total);
                bench.Ours.Run("param($Name) Remove-Container $Name", ("Name", names.ToArray()));
                names.Clear();
            },
            b => r.Add("crun", Enumerable.Range(0, Containers).Sum(i =>
                bench.Crun.Time("crun", "run", "-b", bench.Bundle("true", "/bin/true"), $"{BenchContext.Prefix}crun-seq-{b}-{i}"))),
            b => r.Add("runc", Enumerable.Range(0, Containers).Sum(i =>
                bench.Host.Time("runc", "run", "-b", bench.Bundle("true", "/bin/true"), $"{BenchContext.Prefix}runc-seq-{b}-{i}"))));

        var ours = result.Add($"ContainerPS, {Containers} pipelines", "ms", r["ours"]);
        result.Peer($"crun run x {Containers}", "ms", r["crun"], ours);
        result.Peer($"runc run x {Containers}", "ms", r["runc"], ours);
    }
}
