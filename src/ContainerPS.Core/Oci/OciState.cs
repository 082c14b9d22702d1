using System.Buffers;
using System.Text.Json;
using ContainerPS.Core.Containers;

namespace ContainerPS.Core.Oci;

/// <summary>
/// The runtime spec's state of a container, as `state` prints it and hooks read it on stdin: ociVersion, id, status,
/// pid (while it has a process), bundle and annotations, with runc's rootfs, created and owner beside them.
/// </summary>
public sealed record OciState(string Id, string Status, int? Pid, string Bundle, string RootFs, DateTime Created, (string Key, string Value)[] Annotations)
{
    public const string Version = "1.2.0";

    /// <summary>A time as runc writes them (RFC 3339 in UTC, to the tenth of a microsecond .NET keeps).</summary>
    public static string Timestamp(DateTime time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The state of a container as the store and the kernel show it now.</summary>
    public static OciState Of(ContainerStore store, Container container)
    {
        var status = container.State switch
        {
            ContainerState.Created => "created",
            ContainerState.Running => "running",
            ContainerState.Paused => "paused",
            // A record a killed create left: runc shows such a one as stopped, and `delete` removes it.
            _ => "stopped",
        };
        return new OciState(container.Name, status, container.State is ContainerState.Stopped or ContainerState.Damaged ? null : container.Pid,
            container.Bundle ?? "", container.RootFs, container.CreatedAt, AnnotationsOf(store, container));
    }

    private static (string, string)[] AnnotationsOf(ContainerStore store, Container container)
    {
        var config = Path.Combine(store.Dir(container.Id), "config.json");
        if (container.Bundle is null || !File.Exists(config))
        {
            return [];
        }
        using var document = JsonDocument.Parse(File.ReadAllBytes(config));
        return OciConfigReader.Member(document.RootElement, "annotations") is { } annotations
            ? annotations.EnumerateObject().Select(p => (p.Name, p.Value.GetString() ?? "")).ToArray()
            : [];
    }

    public byte[] ToJson(bool indented = true)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            Write(w);
        }
        return buffer.WrittenSpan.ToArray();
    }

    public void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("ociVersion", Version);
        w.WriteString("id", Id);
        w.WriteNumber("pid", Pid ?? 0);
        w.WriteString("status", Status);
        w.WriteString("bundle", Bundle);
        w.WriteString("rootfs", RootFs);
        w.WriteString("created", Timestamp(Created));
        w.WriteString("owner", "");
        if (Annotations.Length > 0)
        {
            w.WriteStartObject("annotations");
            foreach (var (key, value) in Annotations)
            {
                w.WriteString(key, value);
            }
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }
}
