using System.Text.Json;

namespace ContainerPS.Runtime.Cli;

/// <summary>
/// Where errors and warnings go, as runc writes them: to --log when given (an engine reads the last error from
/// there: containerd's shim from log.json with --log-format json), else to stderr, in logrus's text form
/// (time="..." level=error msg="..."), which podman and people read.
/// </summary>
internal sealed class RuntimeLog(string? path, bool json)
{
    public void Error(string message) => Write("error", message);

    public void Warning(string message) => Write("warning", message);

    private void Write(string level, string message)
    {
        var time = Core.Oci.OciState.Timestamp(DateTime.UtcNow);
        string line;
        if (json)
        {
            using var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                w.WriteString("level", level);
                w.WriteString("msg", message);
                w.WriteString("time", time);
                w.WriteEndObject();
            }
            line = System.Text.Encoding.UTF8.GetString(buffer.ToArray());
        }
        else
        {
            line = $"time=\"{time}\" level={level} msg=\"{message.Replace("\\", "\\\\").Replace("\"", "\\\"")}\"";
        }
        if (path is null)
        {
            Console.Error.WriteLine(line);
            return;
        }
        try
        {
            File.AppendAllText(path, line + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine(line);
        }
    }
}
