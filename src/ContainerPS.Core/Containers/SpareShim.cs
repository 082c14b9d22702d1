using System.Diagnostics;

namespace ContainerPS.Core.Containers;

/// <summary>
/// One started shim kept waiting per PowerShell process, so a container does not wait for a program start. A
/// NativeAOT process takes 1.3 ms to reach its Main, the largest single cost of New-Container; the spare has paid it
/// before anyone asks, and a new spare starts in the background as soon as one is taken.
/// <para>
/// A spare is `containerps-runtime spare`: it blocks reading the state directory of its container from stdin and then
/// runs as that container's shim. It holds nothing before that, and exits when its stdin closes: with this process,
/// at the latest. One that died meanwhile (Ctrl-C reaches the whole process group) is replaced by a fresh start.
/// </para>
/// </summary>
internal static class SpareShim
{
    private static readonly object Gate = new();
    private static Process? _spare;

    /// <summary>A started shim waiting for its state directory: the spare if it is alive (Spare), else a new one. Starts the next spare.</summary>
    public static (Process Shim, bool Spare) Take(string runtimePath)
    {
        Process? taken;
        lock (Gate)
        {
            taken = _spare;
            _spare = null;
        }
        ThreadPool.UnsafeQueueUserWorkItem(_ => Replenish(runtimePath), null);
        if (taken is null || taken.HasExited || taken.StartInfo.FileName != runtimePath)
        {
            taken?.Dispose();
            return (Start(runtimePath), false);
        }
        return (taken, true);
    }

    private static void Replenish(string runtimePath)
    {
        try
        {
            var next = Start(runtimePath);
            lock (Gate)
            {
                if (_spare is null)
                {
                    _spare = next;
                    return;
                }
            }
            // Another take raced us and a spare is there already: this one is not needed.
            next.StandardInput.Close();
            next.Dispose();
        }
        catch (Exception e) when (e is IOException or System.ComponentModel.Win32Exception)
        {
            // Only a head start: Take starts a shim itself when there is no spare.
        }
    }

    /// <summary>A shim started now, for when there is no spare or the one taken turned out dead.</summary>
    public static Process Start(string runtimePath)
    {
        var start = new ProcessStartInfo(runtimePath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("spare");
        return Process.Start(start)!;
    }
}
