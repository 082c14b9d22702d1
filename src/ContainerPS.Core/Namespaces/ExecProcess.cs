using ContainerPS.Core.Interop;
using ContainerPS.Core.Processes;
using ContainerPS.Core.Terminal;

namespace ContainerPS.Core.Namespaces;

/// <summary>A command started by <see cref="NamespaceExec"/>: its pid, its output pipes or terminal, and its exit.</summary>
public sealed class ExecProcess(int pid, SafeFd? stdout, SafeFd? stderr, Pty? terminal) : IDisposable
{
    private readonly object _gate = new();
    private int? _exitCode;

    public int Pid { get; } = pid;
    public Pty? Terminal { get; } = terminal;

    /// <summary>Hands each output line to <paramref name="onLine"/> until the command closes its output.</summary>
    public void RelayOutput(Action<string, string> onLine)
    {
        if (stdout is not null && stderr is not null)
        {
            ProcessOutput.Relay(stdout, stderr, onLine);
        }
    }

    /// <summary>Waits for the command to exit and returns its exit code (128+signal for a signal).</summary>
    public int Wait()
    {
        lock (_gate)
        {
            _exitCode ??= ExitStatus.Decode(Sys.Wait(Pid, block: true).Status).Code;
            return _exitCode.Value;
        }
    }

    public void Dispose()
    {
        stdout?.Dispose();
        stderr?.Dispose();
        Terminal?.Dispose();
    }
}
