using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;

namespace ContainerPS.Bench.Peers;

/// <summary>
/// The runner process (`ContainerPS.Bench runner`): starts peer commands and times them from inside its own mount
/// namespace when it has one (crun needs the cgroup2 tree unmounted, and entering that namespace must not be timed).
/// Requests come on fd 3 and answers go out on fd 4; fds 0-2 are /dev/null and a log, so the commands, and the
/// detached containers they leave running, never hold the bench's pipes.
/// </summary>
public static class RunnerLoop
{
    private const int RequestFd = 3, ResponseFd = 4, F_SETFD = 2, FD_CLOEXEC = 1;

    [DllImport("libc", SetLastError = true)]
    private static extern int fcntl(int fd, int cmd, int arg);

    public static int Run()
    {
        // The shell handed these over without close-on-exec; the commands we start must not inherit them.
        fcntl(RequestFd, F_SETFD, FD_CLOEXEC);
        fcntl(ResponseFd, F_SETFD, FD_CLOEXEC);
        using var requests = new StreamReader(new FileStream(new SafeFileHandle(RequestFd, ownsHandle: true), FileAccess.Read));
        using var responses = new StreamWriter(new FileStream(new SafeFileHandle(ResponseFd, ownsHandle: true), FileAccess.Write)) { AutoFlush = true };
        while (requests.ReadLine() is { } line)
        {
            var request = JsonSerializer.Deserialize<RunnerRequest>(line)!;
            responses.WriteLine(JsonSerializer.Serialize(RunBatch(request.Commands)));
        }
        return 0;
    }

    private static RunnerResponse RunBatch(string[][] commands)
    {
        var processes = new List<Process>(commands.Length);
        try
        {
            var clock = Stopwatch.StartNew();
            foreach (var argv in commands)
            {
                var start = new ProcessStartInfo(argv[0]) { UseShellExecute = false };
                foreach (var arg in argv.Skip(1))
                {
                    start.ArgumentList.Add(arg);
                }
                processes.Add(Process.Start(start)!);
            }
            foreach (var process in processes)
            {
                process.WaitForExit();
            }
            var wall = clock.Elapsed.TotalMilliseconds;
            return new RunnerResponse(wall, processes.Select(p => p.ExitCode).ToArray(), null);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            foreach (var process in processes)
            {
                process.WaitForExit();
            }
            return new RunnerResponse(0, [], $"{string.Join(' ', commands[processes.Count])}: {e.Message}");
        }
        finally
        {
            foreach (var process in processes)
            {
                process.Dispose();
            }
        }
    }
}
