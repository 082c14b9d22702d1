using System.Buffers;
using System.Text.Json;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Security;

namespace ContainerPS.Core.Oci;

/// <summary>
/// The config.json `spec` writes: a shell on a terminal in ./rootfs, with docker's default capabilities, the usual
/// /proc, /dev, /dev/pts, /dev/shm, /dev/mqueue and read-only /sys mounts, new pid, network, ipc, uts and mount
/// namespaces, only the default devices, and the masked and read-only paths every container here gets.
/// </summary>
public static class OciDefaultConfig
{
    public static byte[] Json()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            var caps = CapabilityNames.Of(Capabilities.ContainerDefaultMask);
            w.WriteStartObject();
            w.WriteString("ociVersion", OciState.Version);
            w.WriteStartObject("process");
            w.WriteBoolean("terminal", true);
            w.WriteStartObject("user");
            w.WriteNumber("uid", 0);
            w.WriteNumber("gid", 0);
            w.WriteEndObject();
            Strings(w, "args", ["sh"]);
            Strings(w, "env", ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"]);
            w.WriteString("cwd", "/");
            w.WriteStartObject("capabilities");
            foreach (var set in new[] { "bounding", "effective", "permitted" })
            {
                Strings(w, set, caps);
            }
            w.WriteEndObject();
            w.WriteStartArray("rlimits");
            w.WriteStartObject();
            w.WriteString("type", "RLIMIT_NOFILE");
            w.WriteNumber("hard", 1024);
            w.WriteNumber("soft", 1024);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteBoolean("noNewPrivileges", true);
            w.WriteEndObject();
            w.WriteStartObject("root");
            w.WriteString("path", "rootfs");
            w.WriteBoolean("readonly", true);
            w.WriteEndObject();
            w.WriteString("hostname", "containerps");
            w.WriteStartArray("mounts");
            StandardMounts(w);
            Mount(w, "/dev/mqueue", "mqueue", "mqueue", ["nosuid", "noexec", "nodev"]);
            Mount(w, "/sys/fs/cgroup", "cgroup", "cgroup", ["nosuid", "noexec", "nodev", "relatime", "ro"]);
            w.WriteEndArray();
            w.WriteStartObject("linux");
            w.WriteStartObject("resources");
            w.WriteStartArray("devices");
            w.WriteStartObject();
            w.WriteBoolean("allow", false);
            w.WriteString("access", "rwm");
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteStartArray("namespaces");
            foreach (var type in new[] { "pid", "network", "ipc", "uts", "mount", "cgroup" })
            {
                w.WriteStartObject();
                w.WriteString("type", type);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            Strings(w, "maskedPaths", ContainerSetup.MaskedPaths);
            Strings(w, "readonlyPaths", ContainerSetup.ReadOnlyPaths);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>/proc, a /dev tmpfs with its devpts and shm, and a read-only /sys: what every container here gets.</summary>
    internal static void StandardMounts(Utf8JsonWriter w)
    {
        Mount(w, "/proc", "proc", "proc", ["nosuid", "noexec", "nodev"]);
        Mount(w, "/dev", "tmpfs", "tmpfs", ["nosuid", "strictatime", "mode=755", "size=65536k"]);
        Mount(w, "/dev/pts", "devpts", "devpts", ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]);
        Mount(w, "/dev/shm", "tmpfs", "shm", ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]);
        Mount(w, "/sys", "sysfs", "sysfs", ["nosuid", "noexec", "nodev", "ro"]);
    }

    internal static void Mount(Utf8JsonWriter w, string destination, string type, string source, string[] options)
    {
        w.WriteStartObject();
        w.WriteString("destination", destination);
        w.WriteString("type", type);
        w.WriteString("source", source);
        Strings(w, "options", options);
        w.WriteEndObject();
    }

    internal static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values)
        {
            w.WriteStringValue(value);
        }
        w.WriteEndArray();
    }
}
