using System.Buffers;
using System.Formats.Tar;
using System.Text.Json;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Images;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Namespaces;
using static Tmds.Linux.LibC;

namespace ContainerPS.Core.Oci;

/// <summary>
/// Export-ContainerBundle: a container of the module as an OCI bundle runc and crun run: its root filesystem as the
/// host sees it (an image container's merged overlayfs) copied into rootfs/, and a config.json saying what its spec
/// says (process, user, capabilities, hostname, read-only root, namespaces joined and new, id maps, bind mounts,
/// devices and their cgroup rules, the masked and read-only paths). Made under a hidden name beside the target and
/// renamed into place, so a bundle that is there is whole. What a bundle cannot carry is returned, for the caller to say.
/// </summary>
public static class OciBundleExport
{
    public static string[] Run(ContainerStore store, Container container, string path)
    {
        if (Path.Exists(path))
        {
            throw new ContainerPSException("BundleTargetExists", FailureKind.ResourceExists, $"'{path}' exists already: give a path that does not, where the bundle's directory is made.", path);
        }
        var spec = store.ReadSpec(container.Id) ?? throw new ContainerPSException("ContainerNotFound", FailureKind.ObjectNotFound,
            $"Container '{container.Name}' was removed meanwhile.", container);
        var partial = Path.Combine(Path.GetDirectoryName(path)!, "." + Path.GetFileName(path) + ".partial");
        LayerUnpacker.RemoveTree(partial);
        Directory.CreateDirectory(partial);
        try
        {
            CopyRoot(spec.RootFs, Path.Combine(partial, "rootfs"), partial);
            File.WriteAllBytes(Path.Combine(partial, "config.json"), Config(spec));
            Directory.Move(partial, path);
        }
        catch
        {
            LayerUnpacker.RemoveTree(partial);
            throw;
        }
        var left = new List<string>();
        if (spec.SeccompProfile != ContainerSpec.SeccompUnconfined && !spec.Privileged)
        {
            left.Add("its seccomp filter (the runtime that runs the bundle applies none unless linux.seccomp is added)");
        }
        if (spec.EtcFiles.Length > 0 || spec.Slirp4netns is not null)
        {
            left.Add("its network (a container network or slirp4netns is the module's, not the bundle's)");
        }
        left.Add("its cgroup limits, if it has any (add them as linux.resources)");
        return left.ToArray();
    }

    /// <summary>The root through a tar and back, as Export-Container writes it and an image layer is unpacked: owners, modes, links, devices and attributes kept.</summary>
    private static void CopyRoot(string root, string target, string scratch)
    {
        var tar = Path.Combine(scratch, "rootfs.tar");
        using (var file = File.Create(tar))
        using (var writer = new TarWriter(file, TarEntryFormat.Pax))
        {
            ContainerRootTar.Write(writer, root, overlayUpper: false);
        }
        Directory.CreateDirectory(target);
        using (var file = File.OpenRead(tar))
        using (var reader = new TarReader(file))
        using (var dir = Sys.Open(target, O_PATH | O_DIRECTORY))
        {
            var tree = new LayerTree(dir, "rootfs");
            while (reader.GetNextEntry() is { } entry)
            {
                tree.Apply(entry);
            }
            tree.Finish();
        }
        File.Delete(tar);
    }

    private static byte[] Config(ContainerSpec spec)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            var caps = spec.Privileged ? Security.CapabilityNames.All.ToArray() : spec.Capabilities;
            w.WriteStartObject();
            w.WriteString("ociVersion", "1.0.2");
            w.WriteStartObject("process");
            w.WriteBoolean("terminal", false);
            w.WriteStartObject("user");
            w.WriteNumber("uid", spec.User?.Uid ?? 0);
            w.WriteNumber("gid", spec.User?.Gid ?? 0);
            if (spec.User is { Groups.Length: > 0 } user)
            {
                w.WriteStartArray("additionalGids");
                foreach (var gid in user.Groups)
                {
                    w.WriteNumberValue(gid);
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
            OciDefaultConfig.Strings(w, "args", spec.Command);
            OciDefaultConfig.Strings(w, "env", spec.Environment);
            w.WriteString("cwd", spec.WorkingDirectory);
            w.WriteStartObject("capabilities");
            foreach (var set in new[] { "bounding", "effective", "permitted" })
            {
                OciDefaultConfig.Strings(w, set, caps);
            }
            w.WriteEndObject();
            w.WriteBoolean("noNewPrivileges", true);
            w.WriteEndObject();
            w.WriteStartObject("root");
            w.WriteString("path", "rootfs");
            w.WriteBoolean("readonly", spec.ReadOnlyRootFs);
            w.WriteEndObject();
            if (spec.Hostname is not null)
            {
                w.WriteString("hostname", spec.Hostname);
            }
            w.WriteStartArray("mounts");
            OciDefaultConfig.StandardMounts(w);
            OciDefaultConfig.Mount(w, "/tmp", "tmpfs", "tmpfs", ["nosuid", "nodev", "mode=1777"]);
            foreach (var mount in spec.Mounts)
            {
                OciDefaultConfig.Mount(w, mount.Destination, "bind", mount.Source, mount.ReadOnly ? ["rbind", "ro"] : ["rbind"]);
            }
            w.WriteEndArray();
            WriteLinux(w, spec);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static readonly (NamespaceKind Kind, string Type)[] Types =
    [
        (NamespaceKind.Pid, "pid"), (NamespaceKind.Net, "network"), (NamespaceKind.Ipc, "ipc"), (NamespaceKind.Uts, "uts"),
        (NamespaceKind.Mnt, "mount"), (NamespaceKind.Cgroup, "cgroup"), (NamespaceKind.User, "user"), (NamespaceKind.Time, "time"),
    ];

    private static void WriteLinux(Utf8JsonWriter w, ContainerSpec spec)
    {
        w.WriteStartObject("linux");
        w.WriteStartArray("namespaces");
        foreach (var (kind, type) in Types)
        {
            var join = spec.JoinNamespaces.FirstOrDefault(j => j.Kind == kind);
            if (spec.Namespaces.HasFlag(kind) || join is not null)
            {
                w.WriteStartObject();
                w.WriteString("type", type);
                if (join is not null)
                {
                    w.WriteString("path", join.Path);
                }
                w.WriteEndObject();
            }
        }
        w.WriteEndArray();
        foreach (var (name, map) in new[] { ("uidMappings", spec.UidMap), ("gidMappings", spec.GidMap) })
        {
            if (map.Length == 0)
            {
                continue;
            }
            w.WriteStartArray(name);
            foreach (var entry in map)
            {
                w.WriteStartObject();
                w.WriteNumber("containerID", entry.ContainerId);
                w.WriteNumber("hostID", entry.HostId);
                w.WriteNumber("size", entry.Count);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        w.WriteStartArray("devices");
        foreach (var device in spec.Devices)
        {
            w.WriteStartObject();
            w.WriteString("path", device.ContainerPath);
            w.WriteString("type", device.Type == Security.DeviceType.Block ? "b" : "c");
            w.WriteNumber("major", device.Major);
            w.WriteNumber("minor", device.Minor);
            w.WriteNumber("fileMode", device.Permissions);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartObject("resources");
        w.WriteStartArray("devices");
        w.WriteStartObject();
        w.WriteBoolean("allow", spec.Privileged);
        w.WriteString("access", "rwm");
        w.WriteEndObject();
        foreach (var rule in spec.Privileged ? [] : Security.DeviceAllowList.For(spec.Devices.Select(d => d.Rule)))
        {
            w.WriteStartObject();
            w.WriteBoolean("allow", true);
            w.WriteString("type", ((char)rule.Type).ToString());
            if (rule.Major is { } major)
            {
                w.WriteNumber("major", major);
            }
            if (rule.Minor is { } minor)
            {
                w.WriteNumber("minor", minor);
            }
            w.WriteString("access", Security.DeviceRule.AccessLetters(rule.Access));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        // What the container had, so the bundle hides as much.
        OciDefaultConfig.Strings(w, "maskedPaths", ContainerSetup.MaskedPaths);
        OciDefaultConfig.Strings(w, "readonlyPaths", ContainerSetup.ReadOnlyPaths);
        w.WriteEndObject();
    }
}
