namespace ContainerPS.Cmdlets.Tests;

/// <summary>
/// The runbooks in examples/ run as users would run them, in a session with only the engine's Core cmdlets (their
/// Pester tests run too where Pester is installed; here there is none, so this is what keeps them working).
/// </summary>
public sealed class ExampleTests : IDisposable
{
    private readonly PowerShellSession _ps = new();

    private static string Example(string name) => Path.Combine(PowerShellSession.RepoRoot, "examples", name);

    [SkippableFact]
    public void Limited_batch_job_reports_output_and_accounting_and_leaves_nothing()
    {
        RootOnly.Require();
        var before = HostResidue.Now();
        var result = _ps.Run($"& '{Example("limited-batch-job.ps1")}'").ThrowOnError().Output.Single();
        Assert.Equal(0, result.Properties["ExitCode"].Value);
        Assert.Contains("step 5", ((object[])result.Properties["Output"].Value).Select(o => o.ToString()));
        Assert.True((long)result.Properties["MemoryPeak"].Value > 0);
        HostResidue.Now().AssertSameAs(before);
    }

    [SkippableFact]
    public void Limited_batch_job_reports_an_oom_kill()
    {
        RootOnly.Require();
        var result = _ps.Run($"& '{Example("limited-batch-job.ps1")}' -Command awk,'BEGIN {{ s = \"x\"; while (1) s = s s }}' -Memory 16MB").ThrowOnError().Output.Single();
        Assert.True((bool)result.Properties["OomKilled"].Value);
        Assert.Equal(137, result.Properties["ExitCode"].Value);
    }

    [SkippableFact]
    public void Shared_network_pod_client_reaches_the_server_on_loopback()
    {
        RootOnly.Require();
        var before = HostResidue.Now();
        var result = _ps.Run($"& '{Example("shared-network-pod.ps1")}'").ThrowOnError().Output.Single(o => o.Properties["Pod"] is not null);
        Assert.Equal(0, result.Properties["ClientExitCode"].Value);
        Assert.Equal(["hello from the client"], ((object[])result.Properties["Received"].Value).Select(o => o.ToString()));
        HostResidue.Now().AssertSameAs(before);
    }

    public void Dispose() => _ps.Dispose();
}
