using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace ContainerPS.Cmdlets.Tests;

/// <summary>
/// A runspace on the real PowerShell engine with the built manifest imported, as a user's session would have it.
/// Scripts run exactly as typed; the result keeps output, errors and information records apart.
/// </summary>
public sealed class PowerShellSession : IDisposable
{
    public static readonly string RepoRoot = FindRepoRoot();
    public static readonly string Manifest = Path.Combine(RepoRoot, "ContainerPS.psd1");

    /// <summary>The pwsh a user runs: the one on PATH (./build.sh puts the pinned .NET tool's there).</summary>
    public static string Pwsh =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(dir => Path.Combine(dir, "pwsh")).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("pwsh is not on PATH: run the tests through ./build.sh test");

    private readonly Runspace _runspace;

    public PowerShellSession()
    {
        var state = InitialSessionState.CreateDefault2();
        _runspace = RunspaceFactory.CreateRunspace(state);
        _runspace.Open();
        Run($"Import-Module '{Manifest}' -ErrorAction Stop").ThrowOnError();
    }

    public Result Run(string script)
    {
        using var shell = PowerShell.Create();
        shell.Runspace = _runspace;
        shell.AddScript(script);
        Collection<PSObject> output;
        Exception? terminating = null;
        try
        {
            output = shell.Invoke();
        }
        catch (RuntimeException e)
        {
            output = [];
            terminating = e;
        }
        return new Result(output, shell.Streams.Error.ToArray(), shell.Streams.Information.ToArray(), terminating);
    }

    public void Dispose() => _runspace.Dispose();

    private static string FindRepoRoot()
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

    public sealed record Result(Collection<PSObject> Output, ErrorRecord[] Errors, InformationRecord[] Information, Exception? Terminating)
    {
        public string[] Lines => Output.Select(o => o.BaseObject.ToString() ?? "").ToArray();

        /// <summary>The one error the script should have produced: a written error or a terminating one.</summary>
        public ErrorRecord SingleError
        {
            get
            {
                var all = Errors.Concat(Terminating is RuntimeException { ErrorRecord: { } r } ? [r] : Array.Empty<ErrorRecord>()).ToArray();
                Assert.True(all.Length == 1, $"expected one error, got {all.Length}: {string.Join(" | ", all.Select(e => e.ToString()))}");
                return all[0];
            }
        }

        public Result ThrowOnError()
        {
            if (Terminating is not null)
            {
                throw Terminating;
            }
            if (Errors.Length > 0)
            {
                throw new InvalidOperationException(string.Join(Environment.NewLine, Errors.Select(e => $"{e.FullyQualifiedErrorId}: {e}")));
            }
            return this;
        }
    }
}
