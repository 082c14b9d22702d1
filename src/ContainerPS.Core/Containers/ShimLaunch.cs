using System.Diagnostics;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Containers;

/// <summary>
/// The cmdlet's side of a starting shim (a <see cref="SpareShim"/>, told its state directory on stdin). The shim
/// reads the spec and prepares the container's setup at once, but clones its process only after <see cref="Go"/>,
/// so the caller can make the cgroup meanwhile. Its one-line verdict ("created PID" or "error REASON MESSAGE")
/// follows; the shim detaches after writing it.
/// </summary>
public sealed class ShimLaunch : IDisposable
{
    private readonly string _stateDir;
    private readonly string _runtimePath;
    private readonly string _container;
    private Process _shim;
    private bool _spare;
    private bool _told;

    private ShimLaunch((Process Shim, bool Spare) taken, string stateDir, string runtimePath, string container)
    {
        (_shim, _spare) = taken;
        _stateDir = stateDir;
        _runtimePath = runtimePath;
        _container = container;
        Send(_stateDir + "\n");
    }

    public static ShimLaunch Start(string stateDir, string runtimePath, string container)
    {
        RuntimeHelperFile.RequireExecutable(runtimePath);
        return new ShimLaunch(SpareShim.Take(runtimePath), stateDir, runtimePath, container);
    }

    /// <summary>Says the cgroup is ready and returns the container process's pid once it waits in its namespaces; throws the shim's reason if not.</summary>
    public int Go()
    {
        _told = true;
        Send("go\n");
        try
        {
            _shim.StandardInput.Close();
        }
        catch (IOException)
        {
            // the shim already gave up; its verdict says why
        }
        var verdict = _shim.StandardOutput.ReadLine();
        if (verdict is null && _spare)
        {
            // A spare that died while it waited (Ctrl-C reaches the whole process group; it may not have been reaped
            // when it was taken) made nothing, and its container's process, if any, ends with it: start a shim now.
            _shim.WaitForExit();
            _shim.Dispose();
            (_shim, _spare) = (SpareShim.Start(_runtimePath), false);
            Send(_stateDir + "\n");
            return Go();
        }
        if (verdict is not null && verdict.StartsWith("created ", StringComparison.Ordinal))
        {
            return int.Parse(verdict["created ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        }
        if (verdict is not null && verdict.StartsWith("error ", StringComparison.Ordinal))
        {
            var parts = verdict.Split(' ', 3);
            _shim.WaitForExit();
            throw new ContainerPSException(parts[1], KindOf(parts[1]), parts.Length > 2 ? parts[2] : parts[1], _container);
        }
        _shim.WaitForExit();
        throw new ContainerPSException("ContainerShimFailed", FailureKind.InvalidOperation,
            $"The container shim exited ({_shim.ExitCode}) without creating the container: {_shim.StandardError.ReadToEnd().Trim()}", _container);
    }

    /// <summary>
    /// Undoes a launch: before <see cref="Go"/>, closing stdin makes the shim exit before it clones anything; after it,
    /// the shim is killed (rollback has already ended the container's processes through the cgroup).
    /// </summary>
    public void Abort()
    {
        if (_told)
        {
            try
            {
                _shim.Kill();
            }
            catch (InvalidOperationException)
            {
                // already gone
            }
        }
        else
        {
            _shim.StandardInput.Close();
        }
        _shim.WaitForExit();
        _shim.Dispose();
    }

    public void Dispose() => _shim.Dispose();

    private void Send(string line)
    {
        try
        {
            _shim.StandardInput.Write(line);
            _shim.StandardInput.Flush();
        }
        catch (IOException)
        {
            // It died; its verdict (none) says so at Go.
        }
    }

    private static FailureKind KindOf(string reason) => reason switch
    {
        "ExecutableNotFound" or "WorkingDirectoryNotFound" => FailureKind.ObjectNotFound,
        _ => FailureKind.InvalidOperation,
    };
}
