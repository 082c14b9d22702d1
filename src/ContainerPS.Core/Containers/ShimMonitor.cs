using System.Globalization;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Namespaces;
using ContainerPS.Core.Processes;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace ContainerPS.Core.Containers;

/// <summary>
/// The shim's life while the container runs, on one thread: poll(2) over the container's stdout and stderr pipes,
/// its pidfd, and the clone child's report pipe until it exec's (a failure after "ready" goes to the log). Output is appended to the log a complete line at a time in the CRI format; the exit ends the
/// watch once the pipes are drained. One thread and no stream readers keep the shim small (it exists once per
/// running container), and a pidfd says exactly when the container's own process is gone.
/// </summary>
internal sealed unsafe class ShimMonitor(SafeFd stdout, SafeFd stderr, SafeFd log, CloneChild child)
{
    private const int MaxLine = 16 * 1024;
    private readonly byte[][] _names = ["stdout"u8.ToArray(), "stderr"u8.ToArray()];
    private readonly LineBuffer[] _buffers = [new(MaxLine), new(MaxLine)];

    /// <summary>Relays output until <paramref name="pid"/> (open as <paramref name="pidfd"/>) has exited; returns its raw wait status.</summary>
    public int Run(int pid, SafeFd pidfd)
    {
        var fds = stackalloc pollfd[4];
        var open = new[] { true, true };
        var reports = child.LateReports;
        int? status = null;
        while (status is null || open[0] || open[1])
        {
            fds[0] = new pollfd { fd = open[0] ? stdout.Value : -1, events = POLLIN };
            fds[1] = new pollfd { fd = open[1] ? stderr.Value : -1, events = POLLIN };
            fds[2] = new pollfd { fd = status is null ? pidfd.Value : -1, events = POLLIN };
            fds[3] = new pollfd { fd = reports?.Value ?? -1, events = POLLIN };
            // After the exit, give straggling writers (without a pid namespace, forks may hold the pipes) a bounded drain.
            var ready = LibcCalls.Poll(fds, 4, status is null ? -1 : 2000);
            if (ready == 0)
            {
                break;
            }
            if (ready < 0)
            {
                continue; // EINTR
            }
            for (var i = 0; i < 2; i++)
            {
                if (open[i] && fds[i].revents != 0)
                {
                    var name = _names[i];
                    open[i] = _buffers[i].ReadFrom(i == 0 ? stdout : stderr, line => WriteLine(name, line));
                }
            }
            if (reports is not null && fds[3].revents != 0)
            {
                // One report at most: end-of-file when the command was exec'd, or the step that failed before it.
                if (child.ReadLateFailure() is { } failure)
                {
                    WriteLine(_names[1], System.Text.Encoding.UTF8.GetBytes($"containerps: the command could not be started: {failure.Message}"));
                }
                reports = null;
            }
            if (status is null && fds[2].revents != 0)
            {
                status = Sys.Wait(pid, block: true).Status;
            }
        }
        for (var i = 0; i < 2; i++)
        {
            var name = _names[i];
            _buffers[i].Flush(line => WriteLine(name, line)); // a last line without a newline
        }
        return status ?? Sys.Wait(pid, block: true).Status;
    }

    /// <summary>"TIMESTAMP STREAM F TEXT\n", formatted into one buffer and written with one write(2), so lines never interleave.</summary>
    private void WriteLine(byte[] name, ReadOnlySpan<byte> text)
    {
        Span<byte> line = stackalloc byte[64 + MaxLine];
        DateTime.UtcNow.TryFormat(line, out var used, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
        line[used++] = (byte)' ';
        name.CopyTo(line[used..]);
        used += name.Length;
        " F "u8.CopyTo(line[used..]);
        used += 3;
        text.CopyTo(line[used..]);
        used += text.Length;
        line[used++] = (byte)'\n';
        Sys.Write(log, line[..used]);
    }
}
