using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using ContainerPS.Bench.Host;
using ContainerPS.Bench.Peers;
using ContainerPS.Bench.Report;

namespace ContainerPS.Bench.Cases;

/// <summary>
/// Start-to-exit of /bin/true in a user namespace: as root, ContainerPS -UserNamespace against crun with the same
/// kind of map; as a user other than root, ContainerPS against rootless podman, both run by one user made for the run.
/// </summary>
/// <param name="psHome">The directory of the pwsh that started the bench ($PSHOME), copied for the user; build.ps1 sets it.</param>
public sealed class UserNamespaceCase(string? psHome) : IBenchCase
{
    private const int Warmup = 5, Count = 30;
    private const string SubordinateLine = "containerps:100000:6553600";
    private const string Pipeline = "param($RootFs, $Name) New-Container -RootFs $RootFs -Name $Name -UserNamespace -Command /bin/true | Start-Container -Attach";
    private const string Remove = "param($Name) Remove-Container $Name";

    public string Title => "Start-to-exit of /bin/true in a user namespace";

    public string Method =>
        $"{Count} containers per tool after {Warmup} warm-up rounds. As root: ContainerPS `New-Container -UserNamespace -Command /bin/true | " +
        "Start-Container -Attach` (a free block of 65536 ids from /etc/subuid, an id-mapped rootfs), then `Remove-Container` " +
        "outside the timed region and beside it in the second row, against `crun run` of a bundle with a user namespace " +
        "mapping 0 to 100000 (65536 ids; the rootfs is not id-mapped, so files show as nobody inside: less work for crun). " +
        $"As a user other than root made for the run ({BenchUser.Name}, no /etc/subuid range, so both map its own id alone): " +
        "ContainerPS in a warm pwsh of that user, each `New-Container | Start-Container -Attach` timed by a stopwatch in the " +
        "session, then `Remove-Container`; against `podman run --rm --network none --rootfs` with runc (crun refuses this " +
        "hybrid cgroup host) and cgroupfs, started and timed by a runner process of the same user. The rootless ContainerPS " +
        "rounds run in one batch in that session, the other rows interleaved. Checked first: each side's /bin/true runs " +
        "with a uid_map that is not the host's.";

    public void Run(BenchContext bench, CaseResult result)
    {
        if (psHome is null)
        {
            throw new InvalidOperationException("CPS_BENCH_PSHOME is not set: the rootless rows run a copy of pwsh as another user. Run the bench with ./build.sh bench, which sets it to $PSHOME.");
        }
        using var subordinate = new SubordinateIdLines(SubordinateLine);
        using var user = new BenchUser(bench.Host, bench.WorkDir, bench.RootFs, psHome);
        var podmanLog = Path.Combine(user.Dir, "runner-rootless.log");
        File.WriteAllText(podmanLog, "");
        bench.Host.Exit("chown", $"{BenchUser.Name}:{BenchUser.Name}", podmanLog);
        using var rootless = PeerRunner.AsUser(user.As, podmanLog);
        var bundle = UserNamespaceBundle(bench);
        string[] Podman(params string[] command) =>
            ["podman", "--root", Path.Combine(user.Home, "storage"), "--runroot", Path.Combine(user.RuntimeDir, "podman"), "--runtime", "/usr/sbin/runc",
             "--cgroup-manager", "cgroupfs", "--events-backend", "none", "run", "--rm", "--network", "none", "--rootfs", user.RootFs, .. command];
        Verify(bench, user, rootless, Podman("sh", "-c", "read a b c < /proc/self/uid_map; test \"$b\" != 0"));

        var ourRootless = RootlessSession(bench, user);
        var r = new Recorder();
        var ours = bench.Ours;
        r.Rounds(Warmup, Count,
            i =>
            {
                var name = $"{BenchContext.Prefix}userns-{i}";
                ours.LastExitCode = null;
                var run = r.Add("pipeline", ours.Time(Pipeline, ("RootFs", bench.RootFs), ("Name", name)));
                ours.RequireExitZero(name);
                r.Add("with removal", run + ours.Time(Remove, ("Name", name)));
            },
            i => r.Add("crun", bench.Crun.Time("crun", "run", "-b", bundle, $"{BenchContext.Prefix}crun-userns-{i}")),
            _ => r.Add("podman", rootless.Time(Podman("/bin/true"))));

        var pipeline = result.Add("ContainerPS -UserNamespace, as root", "ms", r["pipeline"]);
        var withRemoval = result.Add("ContainerPS -UserNamespace, as root, with `Remove-Container`", "ms", r["with removal"]);
        var crun = result.Peer("crun run, user namespace, as root", "ms", r["crun"], pipeline, withRemoval);
        var oursAsUser = result.Add($"ContainerPS as {BenchUser.Name}", "ms", ourRootless.Select(s => s.Run));
        var oursAsUserRemoved = result.Add($"ContainerPS as {BenchUser.Name}, with `Remove-Container`", "ms", ourRootless.Select(s => s.Run + s.Remove));
        var podman = result.Peer($"podman run --rm, rootless, as {BenchUser.Name}", "ms", r["podman"], oursAsUser, oursAsUserRemoved);
        result.Target("rootless start-to-exit no slower than rootless podman", oursAsUserRemoved, podman, 1.0);
        result.Target("-UserNamespace start-to-exit no slower than crun with a user namespace", withRemoval, crun, 1.0);
    }

    /// <summary>Each side runs once with its user namespace, and /bin/true exits 0 there.</summary>
    private static void Verify(BenchContext bench, BenchUser user, PeerRunner rootless, string[] podmanCheck)
    {
        var check = "read a b c < /proc/self/uid_map; test \"$b\" != 0";
        bench.Ours.LastExitCode = null;
        bench.Ours.Run("param($RootFs, $Name, $Check) New-Container -RootFs $RootFs -Name $Name -UserNamespace -Command sh, -c, $Check | Start-Container -Attach; Remove-Container $Name",
            ("RootFs", bench.RootFs), ("Name", BenchContext.Prefix + "userns-check"), ("Check", check));
        bench.Ours.RequireExitZero(BenchContext.Prefix + "userns-check");
        var checkBundle = OciBundle.Create(bench.Host, Path.Combine(bench.WorkDir, "bundle-userns-check"), bench.RootFs, "sh", "-c", check);
        AddUserNamespace(checkBundle);
        bench.Crun.Require(bench.Crun.Exit("crun", "run", "-b", checkBundle, BenchContext.Prefix + "crun-userns-check") == 0, "crun with a user namespace did not run with a mapped uid");
        rootless.Require(rootless.Exit(podmanCheck) == 0, "rootless podman did not run with a mapped uid");
        var asUser = RunAsUser(bench, user, $"New-Container -RootFs '{user.RootFs}' -Name {BenchContext.Prefix}rl-check -Command sh, -c, '{check.Replace("'", "''")}' -WarningAction SilentlyContinue | Start-Container -Attach; if ($LASTEXITCODE) {{ throw 'exit ' + $LASTEXITCODE }}; Remove-Container {BenchContext.Prefix}rl-check");
        rootless.Require(asUser.ExitCode == 0, $"ContainerPS as {BenchUser.Name} did not run with a mapped uid: {asUser.Output}");
    }

    private static string UserNamespaceBundle(BenchContext bench)
    {
        var dir = Path.Combine(bench.WorkDir, "bundle-userns-true");
        OciBundle.Create(bench.Host, dir, bench.RootFs, "/bin/true");
        AddUserNamespace(dir);
        return dir;
    }

    /// <summary>A user namespace in the bundle, root inside being host uid and gid 100000, 65536 ids.</summary>
    private static void AddUserNamespace(string dir)
    {
        var config = Path.Combine(dir, "config.json");
        var spec = JsonNode.Parse(File.ReadAllText(config))!;
        var linux = spec["linux"]!;
        linux["namespaces"]!.AsArray().Add(new JsonObject { ["type"] = "user" });
        JsonArray Map() => [new JsonObject { ["containerID"] = 0, ["hostID"] = 100000, ["size"] = 65536 }];
        linux["uidMappings"] = Map();
        linux["gidMappings"] = Map();
        File.WriteAllText(config, spec.ToJsonString());
    }

    /// <summary>The rootless rounds, in one pwsh of the user: each pipeline and each removal timed in the session.</summary>
    private static List<(double Run, double Remove)> RootlessSession(BenchContext bench, BenchUser user)
    {
        var script = $$"""
            for ($i = 0; $i -lt {{Warmup + Count}}; $i++) {
                $name = "{{BenchContext.Prefix}}rl-$i"
                $clock = [Diagnostics.Stopwatch]::StartNew()
                New-Container -RootFs '{{user.RootFs}}' -Name $name -Command /bin/true -WarningAction SilentlyContinue | Start-Container -Attach
                $run = $clock.Elapsed.TotalMilliseconds
                if ($LASTEXITCODE -ne 0) { throw "$name exited $LASTEXITCODE" }
                $clock.Restart()
                Remove-Container $name
                $remove = $clock.Elapsed.TotalMilliseconds
                if ($i -ge {{Warmup}}) { $run.ToString([cultureinfo]::InvariantCulture) + ' ' + $remove.ToString([cultureinfo]::InvariantCulture) }
            }
            """;
        var (exitCode, output) = RunAsUser(bench, user, script);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"The rootless ContainerPS session failed: {output}");
        }
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .Where(parts => parts.Length == 2 && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            .Select(parts => (double.Parse(parts[0], CultureInfo.InvariantCulture), double.Parse(parts[1], CultureInfo.InvariantCulture)))
            .ToList();
    }

    /// <summary>Runs a script in a fresh pwsh of the user with the module imported; its exit code and output.</summary>
    private static (int ExitCode, string Output) RunAsUser(BenchContext bench, BenchUser user, string script)
    {
        var file = Path.Combine(user.Dir, $"script-{Guid.NewGuid():N}.ps1");
        File.WriteAllText(file, $"$ErrorActionPreference = 'Stop'\nImport-Module '{bench.Manifest}'\n{script}\n");
        bench.Host.Exit("chmod", "0644", file);
        var start = new ProcessStartInfo(user.As[0]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in user.As[1..].Concat(["dotnet", user.Pwsh, "-NoProfile", "-NonInteractive", "-File", file]))
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output + error.Result);
    }
}
