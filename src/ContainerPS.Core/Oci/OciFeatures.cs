using System.Buffers;
using System.Text.Json;
using ContainerPS.Core.Security;

namespace ContainerPS.Core.Oci;

/// <summary>
/// `features`: what this runtime honours, in the runtime-spec's features document (features.md), so an engine can ask
/// before it sends a config: the spec versions, hooks, mount options, namespaces, capabilities, cgroup versions, and
/// that there is seccomp (compiled here) and no AppArmor, SELinux or Intel RDT.
/// </summary>
public static class OciFeatures
{
    public static byte[] Json()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("ociVersionMin", "1.0.0");
            w.WriteString("ociVersionMax", OciState.Version);
            OciDefaultConfig.Strings(w, "hooks", ["prestart", "createRuntime", "poststart", "poststop"]);
            OciDefaultConfig.Strings(w, "mountOptions",
            [
                "async", "atime", "bind", "defaults", "dev", "diratime", "dirsync", "exec", "mand", "noatime", "nodev", "nodiratime", "noexec",
                "nomand", "norelatime", "nostrictatime", "nosuid", "private", "rbind", "relatime", "rprivate", "rshared", "rslave",
                "runbindable", "ro", "rw", "shared", "slave", "strictatime", "suid", "sync", "unbindable",
            ]);
            w.WriteStartObject("linux");
            OciDefaultConfig.Strings(w, "namespaces", ["cgroup", "ipc", "mount", "network", "pid", "time", "user", "uts"]);
            OciDefaultConfig.Strings(w, "capabilities", CapabilityNames.All);
            w.WriteStartObject("cgroup");
            w.WriteBoolean("v1", true);
            w.WriteBoolean("v2", true);
            w.WriteBoolean("systemd", false);
            w.WriteBoolean("systemdUser", false);
            w.WriteBoolean("rdma", false);
            w.WriteEndObject();
            w.WriteStartObject("seccomp");
            w.WriteBoolean("enabled", true);
            OciDefaultConfig.Strings(w, "actions", ["SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_LOG", "SCMP_ACT_TRACE", "SCMP_ACT_TRAP"]);
            OciDefaultConfig.Strings(w, "operators", ["SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE", "SCMP_CMP_LT", "SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE"]);
            OciDefaultConfig.Strings(w, "archs", ["SCMP_ARCH_X86_64", "SCMP_ARCH_AARCH64"]);
            w.WriteEndObject();
            w.WriteStartObject("apparmor");
            w.WriteBoolean("enabled", false);
            w.WriteEndObject();
            w.WriteStartObject("selinux");
            w.WriteBoolean("enabled", false);
            w.WriteEndObject();
            w.WriteStartObject("intelRdt");
            w.WriteBoolean("enabled", false);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteStartObject("annotations");
            w.WriteString("org.opencontainers.runtime-spec.features.runtime", "containerps-runtime");
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
