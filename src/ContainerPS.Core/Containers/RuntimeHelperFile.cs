using ContainerPS.Core.Interop;
namespace ContainerPS.Core.Containers;

/// <summary>
/// The containerps-runtime binary the module starts as each container's shim, checked before it is started. A
/// module installed by Install-PSResource arrives without its execute bit: a NuGet package records no Unix file
/// modes, so every file comes out 0644. Where this user owns the file (the installer made it), the bit comes back.
/// </summary>
public static class RuntimeHelperFile
{
    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>Returns when <paramref name="path"/> exists and is executable, making it so (x wherever it has r) if it was not.</summary>
    public static void RequireExecutable(string path)
    {
        UnixFileMode mode;
        try
        {
            mode = File.GetUnixFileMode(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ContainerPSException("RuntimeHelperMissing", FailureKind.ResourceUnavailable,
                $"The runtime helper {path} is missing. Build the module (./build.sh build) so module/bin/linux-x64 (or linux-arm64) holds containerps-runtime.", path, e);
        }
        if ((mode & AnyExecute) != 0)
        {
            return;
        }
        // Execute for whoever may read it, as the build made it (0755 from 0644).
        var executable = mode
            | (mode.HasFlag(UnixFileMode.UserRead) ? UnixFileMode.UserExecute : 0)
            | (mode.HasFlag(UnixFileMode.GroupRead) ? UnixFileMode.GroupExecute : 0)
            | (mode.HasFlag(UnixFileMode.OtherRead) ? UnixFileMode.OtherExecute : 0);
        try
        {
            File.SetUnixFileMode(path, executable);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ContainerPSException("RuntimeHelperNotExecutable", FailureKind.InvalidOperation,
                $"The runtime helper {path} is not executable (mode {Octal(mode)}) and this user may not change its mode. Run `chmod a+x {path}` as its owner.", path, e);
        }
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');
}
