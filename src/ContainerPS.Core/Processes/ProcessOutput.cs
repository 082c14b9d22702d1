using System.Collections.Concurrent;
using System.Text;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Processes;

/// <summary>
/// Reads a child's stdout and stderr pipes at once and hands their lines, in arrival order, to one callback on the
/// calling thread (a cmdlet may only write to its pipeline from its own thread). Returns when both reach EOF.
/// </summary>
public static class ProcessOutput
{
    public static void Relay(SafeFd stdout, SafeFd stderr, Action<string, string> onLine)
    {
        var lines = new BlockingCollection<(string Stream, string Text)>();
        var readers = new[] { Pump(stdout, "stdout", lines), Pump(stderr, "stderr", lines) };
        _ = Task.WhenAll(readers).ContinueWith(_ => lines.CompleteAdding(), TaskScheduler.Default);
        foreach (var (stream, text) in lines.GetConsumingEnumerable())
        {
            onLine(stream, text);
        }
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
