using ContainerPS.Bench;
using ContainerPS.Bench.Peers;

// `ContainerPS.Bench` runs the benchmark from the repository it was built in; `ContainerPS.Bench runner` is the
// peer runner the benchmark starts for itself (see PeerRunner).
if (args is ["runner"])
{
    return RunnerLoop.Run();
}
if (Environment.UserName != "root")
{
    Console.Error.WriteLine("The benchmark makes containers, cgroups and veths: run it as root (./build.sh bench).");
    return 2;
}
// `--only NAME` runs the cases whose class name contains NAME (`--only Seccomp`), for trying one case.
return BenchRun.Run(RepoRoot(), args is ["--only", var only] ? only : null);

static string RepoRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "ContainerPS.psd1")))
        {
            return dir.FullName;
        }
    }
    throw new InvalidOperationException("ContainerPS.psd1 not found above " + AppContext.BaseDirectory);
}
