using System.Text;
using ContainerPS.Core.Interop;
using Tmds.Linux;
using static Tmds.Linux.LibC;

namespace ContainerPS.Core.Processes;

/// <summary>
/// Reads a child's stdout and stderr pipes at once and hands their lines, in arrival order, to one callback, all on
/// the calling thread (a cmdlet may only write to its pipeline from its own thread): poll(2) over both pipes, so no
/// thread is started per command. Returns when both reach EOF.
/// </summary>
public static unsafe class ProcessOutput
{
    private const int MaxLine = 64 * 1024;

    public static void Relay(SafeFd stdout, SafeFd stderr, Action<string, string> onLine)
    {
        using (stdout)
        using (stderr)
        {
            SafeFd[] pipes = [stdout, stderr];
            string[] names = ["stdout", "stderr"];
            LineBuffer[] buffers = [new(MaxLine), new(MaxLine)];
            bool[] open = [true, true];
            var fds = stackalloc pollfd[2];
            while (open[0] || open[1])
            {
                for (var i = 0; i < 2; i++)
                {
                    fds[i] = new pollfd { fd = open[i] ? pipes[i].Value : -1, events = POLLIN };
                }
                if (LibcCalls.Poll(fds, 2, -1) <= 0)
                {
                    continue; // EINTR
                }
                for (var i = 0; i < 2; i++)
                {
                    if (open[i] && fds[i].revents != 0)
                    {
                        var name = names[i];
                        open[i] = buffers[i].ReadFrom(pipes[i], line => onLine(name, Encoding.UTF8.GetString(line)));
                        if (!open[i])
                        {
                            buffers[i].Flush(line => onLine(name, Encoding.UTF8.GetString(line)));
                        }
                    }
                }
            }
        }
    }
}
