using System.Text;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Containers;

/// <summary>
/// The named messages init sends the shim over the report pipe, one line each: "ready" once the container is
/// set up and waits on its exec fifo, or "error &lt;Reason&gt; &lt;message&gt;" when it could not be, so a failure inside
/// the new namespaces reaches the user as a clear error, never as a hang or a bare exit code.
/// </summary>
public static class InitReport
{
    /// <summary>The descriptor number init finds the report pipe at.</summary>
    public const int Fd = 3;

    public static void Ready(SafeFd pipe) => Sys.Write(pipe, "ready\n"u8);

    public static void Failed(SafeFd pipe, string reason, string message) =>
        Sys.Write(pipe, Encoding.UTF8.GetBytes($"error {reason} {message.ReplaceLineEndings(" ")}\n"));

    /// <summary>Reads init's one message; an exception carries its reason when init failed or died without a word.</summary>
    public static void Expect(SafeFd pipe, string rootfs)
    {
        var line = ReadLine(pipe);
        if (line == "ready")
        {
            return;
        }
        if (line.StartsWith("error ", StringComparison.Ordinal))
        {
            var parts = line.Split(' ', 3);
            throw new ContainerPSException(parts[1], FailureKind.InvalidOperation, parts.Length > 2 ? parts[2] : parts[1], rootfs);
        }
        throw new ContainerPSException("ContainerInitFailed", FailureKind.InvalidOperation,
            $"The container's init exited before it was ready (rootfs {rootfs}); nothing was started.", rootfs);
    }

    private static string ReadLine(SafeFd pipe)
    {
        var bytes = new List<byte>();
        Span<byte> one = stackalloc byte[1];
        while (Sys.Read(pipe, one) == 1 && one[0] != (byte)'\n')
        {
            bytes.Add(one[0]);
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }
}
