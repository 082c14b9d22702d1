using System.Globalization;
using System.Text;

namespace ContainerPS.Core.Containers;

/// <summary>
/// The container log, in the CRI format kubelet and podman use: "&lt;RFC 3339 time&gt; &lt;stdout|stderr&gt; F &lt;text&gt;" a line.
/// The shim appends (<see cref="ShimMonitor"/>); readers parse, tail and follow it.
/// </summary>
public sealed class ContainerLog
{
    private readonly string _path;

    public ContainerLog(string path) => _path = path;

    public static ContainerLogEntry? Parse(string line, string? container = null)
    {
        var parts = line.Split(' ', 4);
        if (parts.Length < 4 || !DateTime.TryParse(parts[0], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time))
        {
            return null;
        }
        return new ContainerLogEntry { Timestamp = time, Stream = parts[1], Text = parts[3], ContainerName = container };
    }

    /// <summary>
    /// Follows the log from <paramref name="offset"/> (the byte count already read), returning the complete lines
    /// added since and the new offset. A line still being written is left for the next call.
    /// </summary>
    public (IReadOnlyList<ContainerLogEntry> Entries, long Offset) ReadFrom(long offset, string? container = null)
    {
        if (!File.Exists(_path))
        {
            return ([], offset);
        }
        using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length <= offset)
        {
            return ([], offset);
        }
        stream.Seek(offset, SeekOrigin.Begin);
        var buffer = new byte[stream.Length - offset];
        stream.ReadExactly(buffer);
        var complete = Array.LastIndexOf(buffer, (byte)'\n') + 1;
        var text = Encoding.UTF8.GetString(buffer, 0, complete);
        var entries = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => Parse(l, container)).OfType<ContainerLogEntry>().ToArray();
        return (entries, offset + complete);
    }
}
