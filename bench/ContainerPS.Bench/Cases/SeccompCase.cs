using ContainerPS.Bench.Peers;
using ContainerPS.Bench.Report;

namespace ContainerPS.Bench.Cases;

/// <summary>
/// What the hardening costs a start-to-exit: ContainerPS with Docker's default seccomp profile and no_new_privs
/// (its default) against -SeccompProfile Unconfined, and crun with the same profile in its config.json against
/// crun without one, in one run. The cost is each tool's difference of medians.
/// </summary>
public sealed class SeccompCase(string repoRoot) : IBenchCase
{
    private const int Warmup = 5, Count = 50;
    private const string Hardened = "param($RootFs, $Name) New-Container -RootFs $RootFs -Name $Name -Command /bin/true | Start-Container -Attach";
    private const string Unconfined = "param($RootFs, $Name) New-Container -RootFs $RootFs -Name $Name -SeccompProfile Unconfined -Command /bin/true | Start-Container -Attach";
    private const string Remove = "param($Name) Remove-Container $Name";

    public string Title => "Start-to-exit of /bin/true with the default seccomp profile";

    public string Method =>
        $"{Count} containers per variant after {Warmup} warm-up rounds, interleaved. ContainerPS: `New-Container | Start-Container -Attach` " +
        "as it is by default (Docker's profile compiled by the shim and installed last before execve, no_new_privs) and with " +
        "`-SeccompProfile Unconfined`; `Remove-Container` outside the timed region. crun: `crun run` with the bundle's config.json " +
        "carrying Docker's profile in linux.seccomp (the rules kept for the bundle's capabilities, as Docker hands them to a runtime; " +
        "crun compiles it with libseccomp) and the same bundle without it. The hardening's cost is each tool's median difference.";

    public void Run(BenchContext bench, CaseResult result)
    {
        var plainBundle = bench.Bundle("true", "/bin/true");
        var hardenedBundle = bench.Bundle("true-seccomp", "/bin/true");
        OciSeccomp.AddDefaultProfile(hardenedBundle, repoRoot);
        var r = new Recorder();
        var ours = bench.Ours;
        void Ours(string row, string pipeline, int i)
        {
            var name = $"{BenchContext.Prefix}sec-{row}-{i}";
            ours.LastExitCode = null;
            r.Add(row, ours.Time(pipeline, ("RootFs", bench.RootFs), ("Name", name)));
            ours.RequireExitZero(name);
            ours.Run(Remove, ("Name", name));
        }
        r.Rounds(Warmup, Count,
            i => Ours("hardened", Hardened, i),
            i => Ours("unconfined", Unconfined, i),
            i => r.Add("crun hardened", bench.Crun.Time("crun", "run", "-b", hardenedBundle, $"{BenchContext.Prefix}crun-sec-{i}")),
            i => r.Add("crun plain", bench.Crun.Time("crun", "run", "-b", plainBundle, $"{BenchContext.Prefix}crun-plain-{i}")));

        var hardened = result.Add("ContainerPS, default profile + no_new_privs", "ms", r["hardened"]);
        var unconfined = result.Add("ContainerPS, `-SeccompProfile Unconfined`", "ms", r["unconfined"]);
        var crunHardened = result.Peer("crun run, Docker's profile in config.json", "ms", r["crun hardened"], hardened);
        var crunPlain = result.Peer("crun run, no seccomp section", "ms", r["crun plain"], unconfined);
        var ourCost = hardened.Values!.Median - unconfined.Values!.Median;
        var theirCost = crunHardened.Values!.Median - crunPlain.Values!.Median;
        result.Targets.Add(new Target("the hardening costs ContainerPS less than it costs crun",
            $"{CaseResult.Format(ourCost, "ms")} vs {CaseResult.Format(theirCost, "ms")} (median differences)", ourCost < theirCost));
    }
}
