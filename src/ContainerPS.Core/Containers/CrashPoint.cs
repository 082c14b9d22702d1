using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Containers;

/// <summary>
/// Named places between the steps of a change to the host (create, start, connect, remove) where a test may have this
/// process killed with SIGKILL, as a kill -9 from outside would, to prove that the next command finds what was left and
/// finishes or removes it (tests/pester/CrashConsistency.Tests.ps1). Inert unless CONTAINERPS_CRASH_AT names a point.
/// </summary>
public static class CrashPoint
{
    // Read at each point, not once: a session may arm it after its first command.
    public static void Reach(string name)
    {
        if (Environment.GetEnvironmentVariable("CONTAINERPS_CRASH_AT") is { } armed && string.Equals(armed, name, StringComparison.Ordinal))
        {
            Sys.TryKill(Environment.ProcessId, 9);
        }
    }
}
