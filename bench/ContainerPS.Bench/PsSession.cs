using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace ContainerPS.Bench;

/// <summary>
/// Our side: a warm PowerShell session, the built module already imported, in which each timed pipeline is one
/// script as a user would type it. Parameters are passed, not spliced into the text, so every run of a script
/// is the same text and the engine parses it once.
/// </summary>
public sealed class PsSession : IDisposable
{
    private readonly Runspace _runspace;

    public PsSession(string manifest)
    {
        _runspace = RunspaceFactory.CreateRunspace(State(manifest));
        _runspace.Open();
    }

    /// <summary>The session state of every runspace the bench opens: the default engine with the built module imported.</summary>
    public static InitialSessionState State(string manifest)
    {
        var state = InitialSessionState.CreateDefault2();
        state.ImportPSModule(manifest);
        return state;
    }

    /// <summary>Runs a script; any error fails the case, since then the work was not done.</summary>
    public Collection<PSObject> Run(string script, params (string Name, object Value)[] parameters)
    {
        using var shell = Shell(script, parameters);
        return Invoke(shell, script);
    }

    /// <summary>Milliseconds for the whole pipeline, from building the command to its last output.</summary>
    public double Time(string script, params (string Name, object Value)[] parameters)
    {
        var clock = Stopwatch.StartNew();
        using var shell = Shell(script, parameters);
        Invoke(shell, script);
        return clock.Elapsed.TotalMilliseconds;
    }

    public bool HasCommand(string name) => Run("param($Name) [bool](Get-Command $Name -ErrorAction Ignore)", ("Name", name))[0].BaseObject is true;

    /// <summary>$LASTEXITCODE as the cmdlets set it (Start-Container -Attach, Invoke-ContainerCommand).</summary>
    public object? LastExitCode
    {
        get => _runspace.SessionStateProxy.GetVariable("LASTEXITCODE");
        set => _runspace.SessionStateProxy.SetVariable("LASTEXITCODE", value);
    }

    /// <summary>Fails unless the last container command exited 0 (set <see cref="LastExitCode"/> to null before it).</summary>
    public void RequireExitZero(string container)
    {
        if (!Equals(LastExitCode, 0))
        {
            throw new InvalidOperationException($"Container {container} did not exit 0 ($LASTEXITCODE = {LastExitCode ?? "unset"}).");
        }
    }

    public void Dispose() => _runspace.Dispose();

    /// <summary>Fails on any error a finished pipeline wrote; also used for pipelines that ran in a runspace pool.</summary>
    public static void ThrowIfFailed(PowerShell shell, string script)
    {
        if (shell.HadErrors)
        {
            var errors = shell.Streams.Error.Select(e => $"{e.FullyQualifiedErrorId}: {e}");
            throw new InvalidOperationException($"'{script}' failed: {string.Join("; ", errors)}");
        }
    }

    private static Collection<PSObject> Invoke(PowerShell shell, string script)
    {
        var output = shell.Invoke();
        ThrowIfFailed(shell, script);
        return output;
    }

    private PowerShell Shell(string script, (string Name, object Value)[] parameters)
    {
        var shell = PowerShell.Create();
        shell.Runspace = _runspace;
        shell.AddScript(script);
        foreach (var (name, value) in parameters)
        {
            shell.AddParameter(name, value);
        }
        return shell;
    }
}
