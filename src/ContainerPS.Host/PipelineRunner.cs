using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace ContainerPS.Host;

/// <summary>
/// Runs pipelines the way pwsh's console host does: every result, errors included, goes through Out-Default,
/// so objects are shown with their format views and errors with $ErrorView; a terminating error is shown
/// the same way; Ctrl-C stops the pipeline that is running, not the host.
/// </summary>
internal sealed class PipelineRunner
{
    private readonly ConsoleHost _host;
    private readonly Func<PowerShell> _createPowerShell;

    // Pipelines in progress, innermost last: a nested prompt runs pipelines inside a running one, and
    // Ctrl-C is meant for the one the user is looking at. Shared with the runners of nested prompts.
    private readonly List<PowerShell> _running;

    public PipelineRunner(ConsoleHost host, Runspace runspace)
        : this(host, () => PowerShell.Create(runspace), [])
    {
        Console.CancelKeyPress += OnCancelKeyPress;
    }

    private PipelineRunner(ConsoleHost host, Func<PowerShell> createPowerShell, List<PowerShell> running)
    {
        _host = host;
        _createPowerShell = createPowerShell;
        _running = running;
    }

    /// <summary>A runner for a nested prompt: its pipelines nest inside the one that is waiting for the prompt to end.</summary>
    public PipelineRunner ForNestedPrompt() =>
        new(_host, () => PowerShell.Create(RunspaceMode.CurrentRunspace), _running);

    /// <summary>Runs script text; false when a terminating error (already shown) or Ctrl-C ended it.</summary>
    public bool RunScript(string script, bool addToHistory = false) =>
        Run(ps => ps.AddScript(script), addToHistory);

    /// <summary>Runs the commands <paramref name="build"/> adds, followed by Out-Default; false as for <see cref="RunScript"/>.</summary>
    public bool Run(Action<PowerShell> build, bool addToHistory = false)
    {
        using PowerShell ps = _createPowerShell();
        build(ps);
        ps.Commands.Commands[0].MergeMyResults(PipelineResultTypes.Error, PipelineResultTypes.Output);
        ps.AddCommand("Out-Default");
        lock (_running)
        {
            _running.Add(ps);
        }

        try
        {
            ps.Invoke(null, new PSInvocationSettings { AddToHistory = addToHistory });
            return true;
        }
        catch (PipelineStoppedException)
        {
            // Ctrl-C: the user knows; pwsh prints nothing either.
            return false;
        }
        catch (Exception e)
        {
            // Anything the engine throws (a parse error, `throw`, a broken runspace) is shown, like pwsh does,
            // and the host goes on: the interactive loop must survive a failed command.
            ReportError(e is IContainsErrorRecord withRecord
                ? withRecord.ErrorRecord
                : new ErrorRecord(e, "ContainerPSHost.ReportException", ErrorCategory.NotSpecified, null));
            return false;
        }
        finally
        {
            lock (_running)
            {
                _running.Remove(ps);
            }

            _host.ConsoleUI.ResetProgress();
        }
    }

    /// <summary>
    /// $global:? as pwsh reads it for the process exit code: the status of the last statement of the last
    /// pipeline added to history (a pipeline outside history leaves it as it was).
    /// </summary>
    public bool LastStatementSucceeded()
    {
        using PowerShell ps = _createPowerShell();
        return ps.AddScript("$global:?").Invoke<bool>() is [true];
    }

    /// <summary>The text of the prompt function, as pwsh shows it; "PS> " when the function fails.</summary>
    public string EvaluatePrompt()
    {
        using PowerShell ps = _createPowerShell();
        try
        {
            return ps.AddCommand("prompt").Invoke<string>() is [{ } prompt] ? prompt : "PS> ";
        }
        catch (RuntimeException)
        {
            return "PS> ";
        }
    }

    /// <summary>
    /// Shows a terminating error as pwsh does: the ErrorRecord is formatted by Out-Default with $ErrorView. pwsh
    /// marks it as error-stream output so the text lands on stderr; that mark is internal to the engine, so the
    /// host sends this one formatting's output to stderr itself.
    /// </summary>
    private void ReportError(ErrorRecord error)
    {
        using PowerShell ps = _createPowerShell();
        _host.ConsoleUI.WithOutputOnStderr(() => ps.AddCommand("Out-Default").Invoke(new[] { error }));
    }

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        // The host survives Ctrl-C, as pwsh does; the pipeline in front of the user is stopped.
        e.Cancel = true;
        lock (_running)
        {
            if (_running.Count > 0)
            {
                _running[^1].BeginStop(null, null);
            }
        }
    }
}
