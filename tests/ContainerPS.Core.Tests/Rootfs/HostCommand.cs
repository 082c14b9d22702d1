using System.Diagnostics;

namespace ContainerPS.Core.Tests.Rootfs;

/// <summary>Runs a host command to check the builder against (chroot, ldd, gcc, busybox --list).</summary>
internal static class HostCommand
{
    public static (int ExitCode, string Output, string Error) Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within 60 s");
        }
        return (process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Runs a command inside a chroot of <paramref name="root"/> and returns its standard output; fails the test on a non-zero exit.</summary>
    public static string InChroot(string root, params string[] command)
    {
        var (exitCode, output, error) = Run("chroot", [root, .. command]);
        Assert.True(exitCode == 0, $"chroot {root} {string.Join(' ', command)} exited {exitCode}: {error}");
        return output;
    }

    /// <summary>
    /// Like <see cref="InChroot"/> with /proc mounted in the rootfs, as a container has it. The loader reads
    /// /proc/self/exe to expand $ORIGIN for the program itself. The mount is made in a private mount
    /// namespace, so it goes away with the command whatever happens to the test.
    /// </summary>
    public static string InChrootWithProc(string root, string program)
    {
        Skip.IfNot(Exists("unshare"), "needs unshare (util-linux) to mount /proc privately");
        var (exitCode, output, error) = Run("unshare", "--mount", "sh", "-c", "mount -t proc proc \"$0/proc\" && exec chroot \"$0\" \"$1\"", root, program);
        Assert.True(exitCode == 0, $"chroot {root} {program} with /proc exited {exitCode}: {error}");
        return output;
    }

    public static bool Exists(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':').Any(d => File.Exists(Path.Join(d, program)));

    public static void RequireRoot() =>
        Skip.IfNot(Tmds.Linux.LibC.geteuid() == 0, "needs root: chroot(2) requires CAP_SYS_CHROOT");

    public static string RequireBusybox()
    {
        Skip.IfNot(File.Exists("/bin/busybox"), "needs /bin/busybox: apt-get install -y busybox-static");
        return "/bin/busybox";
    }
}
