using System.Collections.Concurrent;
using System.Text;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Namespaces;
using ContainerPS.Core.Processes;

namespace ContainerPS.Core.Cgroups;

/// <summary>
/// Runs a host command inside a group, as cgexec does: the child is cloned, moved into the group while it waits
/// on the sync pipe, and only then execs, so not one instruction of the command runs outside the group.
/// </summary>
public static class CgroupExec
{
    /// <summary>Runs to completion, handing each output line to <paramref name="onLine"/> ("stdout"/"stderr", text); returns the exit code.</summary>
    public static int Run(Cgroup cgroup, IReadOnlyList<string> command, string workingDirectory, Action<string, string> onLine)
    {
        var executable = ExecutableLookup.Find("/", command[0], [$"PATH={Environment.GetEnvironmentVariable("PATH") ?? ExecutableLookup.DefaultPath}"], workingDirectory);
        var (outRead, outWrite) = Sys.Pipe();
        var (errRead, errWrite) = Sys.Pipe();
        using var devNull = Sys.Open("/dev/null", Tmds.Linux.LibC.O_RDONLY);
        CloneChild child;
        using (outWrite)
        using (errWrite)
        {
            child = CloneChild.Start(new CloneRequest
            {
                Executable = executable,
                Arguments = command,
                Environment = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>().Select(e => $"{e.Key}={e.Value}").ToArray(),
                Descriptors = [(0, devNull.Value), (1, outWrite.Value), (2, errWrite.Value)],
                WorkingDirectory = workingDirectory,
            });
        }
        using (child)
        {
            try
            {
                cgroup.AddProcess(child.Pid);
                child.Release();
            }
            catch
            {
                Sys.TryKill(child.Pid, 9);
                Sys.Wait(child.Pid, block: true);
                outRead.Dispose();
                errRead.Dispose();
                throw;
            }
        }
        var lines = new BlockingCollection<(string Stream, string Text)>();
        var readers = new[] { Pump(outRead, "stdout", lines), Pump(errRead, "stderr", lines) };
        _ = Task.WhenAll(readers).ContinueWith(_ => lines.CompleteAdding(), TaskScheduler.Default);
        foreach (var (stream, text) in lines.GetConsumingEnumerable())
        {
            onLine(stream, text);
        }
        return ExitStatus.Decode(Sys.Wait(child.Pid, block: true).Status).Code;
    }

    private static Task Pump(SafeFd pipe, string stream, BlockingCollection<(string, string)> lines) => Task.Factory.StartNew(() =>
    {
        using (pipe)
        using (var reader = new StreamReader(new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(pipe.DangerousGetHandle(), false), FileAccess.Read, 1), Encoding.UTF8))
        {
            while (reader.ReadLine() is { } line)
            {
                lines.Add((stream, line));
            }
        }
    }, TaskCreationOptions.LongRunning);
}
