using System.Diagnostics;

namespace ContainerPS.Core.Containers;

/// <summary>
/// The cmdlet's side of a starting shim (a <see cref="SpareShim"/>, told its state directory on stdin). The shim
/// reads the spec and prepares the container's setup at once, but clones its process only after <see cref="Go"/>,
/// so the caller can make the cgroup meanwhile. Its one-line verdict ("created PID" or "error REASON MESSAGE")
/// follows; the shim detaches after writing it.
/// </summary>
public sealed class ShimLaunch : IDisposable
{
    private readonly Process _shim;
    private readonly string _container;
    private bool _told;

    private ShimLaunch(Process shim, string container)
    {
        _shim = shim;
        _container = container;
    }

    public static ShimLaunch Start(string stateDir, string runtimePath, string container)
    {
        if (!File.Exists(runtimePath))
        {
            throw new ContainerPSException("RuntimeHelperMissing", FailureKind.ResourceUnavailable,
                $"The runtime helper {runtimePath} is missing. Build the module (./build.sh build) so module/bin holds containerps-runtime.", runtimePath);
        }
        var shim = SpareShim.Take(runtimePath);
        try
        {
            shim.StandardInput.Write(stateDir + "\n");
            shim.StandardInput.Flush();
        }
        catch (IOException)
        {
            // It died between the check and the write; its verdict (none) says so at Go.
        }
        return new ShimLaunch(shim, container);
    }

    /// <summary>Says the cgroup is ready and returns the container process's pid once it waits in its namespaces; throws the shim's reason if not.</summary>
    public int Go()
    {
        _told = true;
        try
        {
            _shim.StandardInput.Write("go\n");
            _shim.StandardInput.Close();
        }
        catch (IOException)
        {
            // the shim already gave up; its verdict says why
        }
        var verdict = _shim.StandardOutput.ReadLine();
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

    private static FailureKind KindOf(string reason) => reason switch
    {
        "ExecutableNotFound" or "WorkingDirectoryNotFound" => FailureKind.ObjectNotFound,
        _ => FailureKind.InvalidOperation,
    };
}
