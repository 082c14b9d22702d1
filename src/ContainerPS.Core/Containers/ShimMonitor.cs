using System.Globalization;
using ContainerPS.Core.Interop;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace ContainerPS.Core.Containers;

/// <summary>
/// The shim's life while the container runs, on one thread: poll(2) over the container's stdout and stderr pipes
/// and its pidfd. Output is appended to the log a complete line at a time in the CRI format; the exit ends the
/// watch once the pipes are drained. One thread and no stream readers keep the shim small (it exists once per
/// running container), and a pidfd says exactly when the container's own process is gone.
/// </summary>
internal sealed unsafe class ShimMonitor(SafeFd stdout, SafeFd stderr, SafeFd log)
{
    private const int MaxLine = 16 * 1024;
    private readonly Stream[] _streams = [new("stdout"u8.ToArray()), new("stderr"u8.ToArray())];

    /// <summary>Relays output until <paramref name="pid"/> (open as <paramref name="pidfd"/>) has exited; returns its raw wait status.</summary>
    public int Run(int pid, SafeFd pidfd)
    {
        var fds = stackalloc pollfd[3];
        var open = new[] { true, true };
        int? status = null;
        while (status is null || open[0] || open[1])
        {
            fds[0] = new pollfd { fd = open[0] ? stdout.Value : -1, events = POLLIN };
            fds[1] = new pollfd { fd = open[1] ? stderr.Value : -1, events = POLLIN };
            fds[2] = new pollfd { fd = status is null ? pidfd.Value : -1, events = POLLIN };
            // After the exit, give straggling writers (without a pid namespace, forks may hold the pipes) a bounded drain.
            var ready = LibcCalls.Poll(fds, 3, status is null ? -1 : 2000);
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
                    open[i] = Drain(i == 0 ? stdout : stderr, _streams[i]);
                }
            }
            if (status is null && fds[2].revents != 0)
            {
                status = Sys.Wait(pid, block: true).Status;
            }
        }
        foreach (var stream in _streams)
        {
            Flush(stream); // a last line without a newline
        }
        return status ?? Sys.Wait(pid, block: true).Status;
    }

    /// <summary>Reads what the pipe has; writes every complete line. False at EOF.</summary>
    private bool Drain(SafeFd pipe, Stream stream)
    {
        var n = Sys.Read(pipe, stream.Buffer.AsSpan(stream.Used));
        if (n == 0)
        {
            return false;
        }
        stream.Used += n;
        int newline;
        while ((newline = Array.IndexOf(stream.Buffer, (byte)'\n', 0, stream.Used)) >= 0)
        {
            WriteLine(stream, newline);
            Array.Copy(stream.Buffer, newline + 1, stream.Buffer, 0, stream.Used - newline - 1);
            stream.Used -= newline + 1;
        }
        if (stream.Used == stream.Buffer.Length)
        {
            Flush(stream); // an overlong line is split rather than held without bound
        }
        return true;
    }

    private void Flush(Stream stream)
    {
        if (stream.Used > 0)
        {
            WriteLine(stream, stream.Used);
            stream.Used = 0;
        }
    }

    /// <summary>"TIMESTAMP STREAM F TEXT\n", formatted into one buffer and written with one write(2), so lines never interleave.</summary>
    private void WriteLine(Stream stream, int length)
    {
        Span<byte> line = stackalloc byte[64 + MaxLine];
        DateTime.UtcNow.TryFormat(line, out var used, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
        line[used++] = (byte)' ';
        stream.Name.CopyTo(line[used..]);
        used += stream.Name.Length;
        " F "u8.CopyTo(line[used..]);
        used += 3;
        stream.Buffer.AsSpan(0, length).CopyTo(line[used..]);
        used += length;
        line[used++] = (byte)'\n';
        Sys.Write(log, line[..used]);
    }

    private sealed class Stream(byte[] name)
    {
        public byte[] Name { get; } = name;
        public byte[] Buffer { get; } = new byte[MaxLine];
        public int Used { get; set; }
    }
}
