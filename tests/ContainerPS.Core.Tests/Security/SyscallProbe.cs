using System.Diagnostics;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Namespaces;
using ContainerPS.Core.Security.Seccomp;

namespace ContainerPS.Core.Tests.Security;

/// <summary>
/// tests/probes/syscall-probe.c built once with gcc -static, and run in a clone child with or without a filter:
/// the kernel itself answers what a compiled profile lets through.
/// </summary>
internal static class SyscallProbe
{
    private static readonly Lazy<string> Binary = new(Build);

    public static string Path => Binary.Value;

    public static void Require()
    {
        RootOnly.Require();
        Skip.If(!File.Exists("/usr/bin/gcc"), "needs gcc to build the syscall probe");
    }

    /// <summary>call (NAME or NAME:ARG0) -> errno (0: the call succeeded) for each call, made by a child with <paramref name="filter"/> installed.</summary>
    public static Dictionary<string, int> Run(SeccompFilter? filter, params string[] calls)
    {
        var args = calls.Select(c =>
        {
            var parts = c.Split(':');
            var number = SyscallNumber.Of(parts[0]) ?? throw new ArgumentException($"no x86-64 call {parts[0]}");
            return parts.Length > 1 ? $"{parts[0]}:{number}:{parts[1]}" : $"{parts[0]}:{number}";
        });
        var (read, write) = Sys.Pipe();
        using var _ = read;
        CloneChild child;
        using (write)
        {
            child = CloneChild.Start(new CloneRequest
            {
                NewNamespaces = NamespaceKind.Ipc, // a message queue or semaphore a probe makes dies with it
                Executable = Path,
                Arguments = ["syscall-probe", .. args],
                Environment = [],
                Descriptors = [(1, write)],
                NoNewPrivileges = true,
                Seccomp = filter,
            });
        }
        using (child)
        {
            child.Release();
        }
        Sys.Wait(child.Pid, block: true);
        var output = new StreamReader(new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(read.DangerousGetHandle(), false), FileAccess.Read)).ReadToEnd();
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' '))
            .ToDictionary(p => p[0], p => int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    private static string Build()
    {
        var source = SourceFile();
        var output = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"cps-probe-{Environment.ProcessId}");
        using var gcc = Process.Start(new ProcessStartInfo("gcc", ["-static", "-O1", "-o", output, source]) { RedirectStandardError = true })!;
        var errors = gcc.StandardError.ReadToEnd();
        gcc.WaitForExit();
        Assert.True(gcc.ExitCode == 0, $"gcc failed on {source}: {errors}");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => File.Delete(output);
        return output;
    }

    private static string SourceFile()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "tests", "probes", "syscall-probe.c");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException("tests/probes/syscall-probe.c above " + AppContext.BaseDirectory);
    }
}
