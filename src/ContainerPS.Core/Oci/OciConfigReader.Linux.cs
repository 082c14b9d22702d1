using System.Text.Json;
using ContainerPS.Core.Cgroups;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Namespaces;
using ContainerPS.Core.Security;

namespace ContainerPS.Core.Oci;

/// <summary>config.json's linux member: id maps, devices, resources, cgroupsPath, sysctl, paths, propagation, seccomp.</summary>
public static partial class OciConfigReader
{
    private static OciConfig ReadLinux(JsonElement linux, OciConfig config)
    {
        Refuse(linux, "linux", "intelRdt", "personality", "mountLabel", "memoryPolicy", "netDevices", "timeOffsets");
        var uidMap = Array(linux, "uidMappings").Select(IdMap).ToArray();
        var gidMap = Array(linux, "gidMappings").Select(IdMap).ToArray();
        if ((uidMap.Length > 0 || gidMap.Length > 0) && !config.NewNamespaces.HasFlag(NamespaceKind.User))
        {
            throw Invalid("linux.uidMappings and gidMappings need a new user namespace: add {\"type\": \"user\"} to linux.namespaces");
        }
        if (config.NewNamespaces.HasFlag(NamespaceKind.User) && (uidMap.Length == 0 || gidMap.Length == 0))
        {
            // Without maps the namespace's root would have to be host root again (an identity map): no isolation at all.
            throw Invalid("a new user namespace needs linux.uidMappings and linux.gidMappings: give both (as {\"containerID\": 0, \"hostID\": 100000, \"size\": 65536})");
        }
        var resources = Member(linux, "resources");
        var (allowed, all) = resources is { } r ? DeviceRules(r) : ([], false);
        var sysctl = Member(linux, "sysctl") is { } s ? s.EnumerateObject().Select(p => (p.Name, p.Value.GetString() ?? "")).ToArray() : [];
        foreach (var (key, _) in sysctl)
        {
            if (key.Contains('/') || key.Contains("..", StringComparison.Ordinal) || key.Length == 0)
            {
                throw Invalid($"linux.sysctl: {key} is not a sysctl name (as net.ipv4.ip_forward)");
            }
            CheckSysctlNamespace(key, config);
        }
        if (Member(linux, "seccomp") is { } seccomp)
        {
            Refuse(seccomp, "linux.seccomp", "listenerPath", "listenerMetadata");
        }
        var devices = Array(linux, "devices").Select(Device).ToArray();
        if (devices.Length > 0 && !config.Mounts.Any(m => m.Destination == "/dev" && m.Type == "tmpfs"))
        {
            throw Invalid("linux.devices needs a tmpfs mounted at /dev in mounts, where the nodes are made");
        }
        return config with
        {
            UidMap = uidMap,
            GidMap = gidMap,
            Devices = devices,
            AllowedDevices = allowed,
            AllDevicesAllowed = all,
            CgroupsPath = CgroupsPath(String(linux, "cgroupsPath")),
            Limits = resources is { } res ? Limits(res) : null,
            HugepageLimits = resources is { } r1 ? Array(r1, "hugepageLimits").Select(Hugepages).ToArray() : [],
            NetworkClassId = resources is { } r2 && Member(r2, "network") is { } net && Member(net, "classID") is { } id ? id.GetUInt32() : null,
            NetworkPriorities = resources is { } r3 && Member(r3, "network") is { } net2
                ? Array(net2, "priorities").Select(p => (String(p, "name") ?? throw Invalid("linux.resources.network.priorities: an entry has no name"), (uint)Number(p, "priority"))).ToArray()
                : [],
            Sysctl = sysctl,
            MaskedPaths = Array(linux, "maskedPaths").Select(p => AbsolutePath(p.GetString()!, "linux.maskedPaths")).ToArray(),
            ReadonlyPaths = Array(linux, "readonlyPaths").Select(p => AbsolutePath(p.GetString()!, "linux.readonlyPaths")).ToArray(),
            RootfsPropagation = String(linux, "rootfsPropagation") is { Length: > 0 } propagation ? RootfsPropagation(propagation) : null,
            SeccompJson = Member(linux, "seccomp") is { } profile ? profile.GetRawText() : null,
        };
    }

    private static readonly string[] IpcSysctls = ["kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced"];

    /// <summary>
    /// A sysctl is the container's only where a namespace of its own holds it: net.* a network namespace, the System V
    /// IPC and mqueue ones an ipc namespace, kernel.hostname and domainname a uts namespace. Any other is the host's
    /// kernel's, and writing it from the container would change the host: refused, as runc refuses it.
    /// </summary>
    private static void CheckSysctlNamespace(string key, OciConfig config)
    {
        var (kind, type) = key switch
        {
            _ when key.StartsWith("net.", StringComparison.Ordinal) => (NamespaceKind.Net, "network"),
            _ when IpcSysctls.Contains(key) || key.StartsWith("fs.mqueue.", StringComparison.Ordinal) => (NamespaceKind.Ipc, "ipc"),
            "kernel.hostname" or "kernel.domainname" => (NamespaceKind.Uts, "uts"),
            _ => throw Invalid($"linux.sysctl: {key} is not in a separate kernel namespace: setting it would change the host's kernel"),
        };
        if (!config.NewNamespaces.HasFlag(kind) && !config.JoinNamespaces.Any(j => j.Kind == kind))
        {
            throw Invalid($"linux.sysctl: {key} not allowed in the host's {type} namespace: add {{\"type\": \"{type}\"}} to linux.namespaces");
        }
    }

    private static IdMapping IdMap(JsonElement map) =>
        new((uint)Number(map, "containerID"), (uint)Number(map, "hostID"), (uint)Number(map, "size"));

    private static string AbsolutePath(string path, string where) =>
        path.StartsWith('/') ? path : throw Invalid($"{where}: {path} is not an absolute path");

    /// <summary>
    /// cgroupsPath: an absolute path is from each hierarchy's root (containerd's /default/ID, podman's
    /// /libpod_parent/libpod-ID); a relative one goes below containerps/, where this runtime keeps its own; none is
    /// containerps/ID. systemd's slice:prefix:name form needs a systemd, which this runtime does not talk to.
    /// </summary>
    private static string? CgroupsPath(string? path)
    {
        if (path is null or "")
        {
            return null;
        }
        if (path.Contains(':'))
        {
            throw Invalid($"linux.cgroupsPath {path} is systemd's slice:prefix:name form; this runtime manages cgroups through cgroupfs (containerd: SystemdCgroup = false; podman: --cgroup-manager cgroupfs)");
        }
        if (path.Trim('/').Length == 0)
        {
            throw Invalid($"linux.cgroupsPath {path} names the root of the hierarchy, which holds the host's processes: give a group of the container's own");
        }
        if (path.Split('/').Any(part => part is ".." or "."))
        {
            throw Invalid($"linux.cgroupsPath {path} may not hold . or .. components");
        }
        return path.StartsWith('/') ? path.Trim('/') : $"{Cgroup.Parent}/{path.Trim('/')}";
    }

    private static MountFlags RootfsPropagation(string propagation) => propagation switch
    {
        "private" => MountFlags.Private,
        "rprivate" => MountFlags.Private | MountFlags.Recursive,
        "slave" => MountFlags.Slave,
        "rslave" => MountFlags.Slave | MountFlags.Recursive,
        "shared" => OciMountOptions.Shared,
        "rshared" => OciMountOptions.Shared | MountFlags.Recursive,
        "unbindable" => OciMountOptions.Unbindable,
        "runbindable" => OciMountOptions.Unbindable | MountFlags.Recursive,
        _ => throw Invalid($"linux.rootfsPropagation {propagation} is not one of private, rprivate, slave, rslave, shared, rshared, unbindable, runbindable"),
    };

    private static DeviceSpec Device(JsonElement device)
    {
        var path = String(device, "path") ?? throw Invalid("linux.devices: an entry has no path");
        if (!path.StartsWith("/dev/", StringComparison.Ordinal) || path.Contains("..", StringComparison.Ordinal))
        {
            throw Invalid($"linux.devices: {path} is not below /dev");
        }
        var type = String(device, "type") switch
        {
            "c" or "u" => DeviceType.Char,
            "b" => DeviceType.Block,
            var other => throw Invalid($"linux.devices: {path} has type {other ?? "(none)"}; valid are c, u and b (a fifo, p, is not supported)"),
        };
        return new DeviceSpec
        {
            HostPath = path,
            ContainerPath = path,
            Type = type,
            Major = (uint)Number(device, "major"),
            Minor = (uint)Number(device, "minor"),
            Permissions = Member(device, "fileMode") is { } mode ? mode.GetUInt32() & 0xFFF : 0x1B6,
        };
    }

    /// <summary>
    /// linux.resources.devices as an allow list: the engines' form is a "deny all" first, then what is allowed. A deny
    /// after an allow cannot be expressed by an allow list, and is refused.
    /// </summary>
    private static (DeviceRule[] Allowed, bool All) DeviceRules(JsonElement resources)
    {
        var allowed = new List<DeviceRule>();
        var all = false;
        var index = 0;
        foreach (var rule in Array(resources, "devices"))
        {
            var access = DeviceRule.ParseAccess(String(rule, "access") ?? "rwm")
                ?? throw Invalid($"linux.resources.devices[{index}]: access {String(rule, "access")} is not made of r, w and m");
            var type = String(rule, "type") ?? "a";
            var major = Member(rule, "major") is { } ma && ma.GetInt64() >= 0 ? (uint?)ma.GetUInt32() : null;
            var minor = Member(rule, "minor") is { } mi && mi.GetInt64() >= 0 ? (uint?)mi.GetUInt32() : null;
            if (!Bool(rule, "allow"))
            {
                if (type != "a" || major is not null || minor is not null || allowed.Count > 0 || all)
                {
                    throw Invalid($"linux.resources.devices[{index}]: a deny rule for some devices after others were allowed is not supported; deny all first, then allow what the container may use");
                }
            }
            else if (type == "a")
            {
                all = true;
            }
            else
            {
                allowed.Add(new DeviceRule(type switch
                {
                    "c" => DeviceType.Char,
                    "b" => DeviceType.Block,
                    _ => throw Invalid($"linux.resources.devices[{index}]: type {type} is not a, c or b"),
                }, major, minor, access));
            }
            index++;
        }
        return (allowed.ToArray(), all);
    }

    /// <summary>linux.resources as cgroup limits (also `update --resources`'s file); null when it sets none.</summary>
    public static CgroupLimits? Limits(JsonElement resources)
    {
        Refuse(resources, "linux.resources", "rdma", "unified");
        var limits = new CgroupLimits();
        if (Member(resources, "memory") is { } memory)
        {
            Refuse(memory, "linux.resources.memory", "reservation", "kernel", "kernelTCP", "swappiness", "disableOOMKiller", "useHierarchy", "checkBeforeUpdate");
            limits.Memory = Member(memory, "limit") is { } limit ? Size(limit) : null;
            limits.MemorySwap = Member(memory, "swap") is { } swap ? Size(swap) : null;
        }
        if (Member(resources, "cpu") is { } cpu)
        {
            Refuse(cpu, "linux.resources.cpu", "realtimeRuntime", "realtimePeriod", "mems", "idle", "burst");
            limits.CpuShares = Member(cpu, "shares") is { } shares ? shares.GetInt64() : null;
            if (Member(cpu, "quota") is { } quota)
            {
                var period = Member(cpu, "period")?.GetInt64() ?? 100_000;
                limits.CpuQuota = quota.GetInt64() < 0 ? -1 : (double)quota.GetInt64() / period;
            }
            limits.CpuSet = String(cpu, "cpus") is { Length: > 0 } cpus ? cpus : null;
        }
        if (Member(resources, "pids") is { } pids)
        {
            limits.Pids = Member(pids, "limit") is { } max && max.GetInt64() > 0 ? max.GetInt64() : -1;
        }
        if (Member(resources, "blockIO") is { } io)
        {
            Refuse(io, "linux.resources.blockIO", "leafWeight", "weightDevice");
            limits.IoWeight = Member(io, "weight") is { } weight ? weight.GetInt32() : null;
            var devices = new Dictionary<string, IoDeviceLimit>();
            foreach (var (member, set) in new (string, Action<IoDeviceLimit, long>)[]
            {
                ("throttleReadBpsDevice", (d, v) => d.ReadBps = v), ("throttleWriteBpsDevice", (d, v) => d.WriteBps = v),
                ("throttleReadIOPSDevice", (d, v) => d.ReadIops = v), ("throttleWriteIOPSDevice", (d, v) => d.WriteIops = v),
            })
            {
                foreach (var entry in Array(io, member))
                {
                    var device = $"{Number(entry, "major")}:{Number(entry, "minor")}";
                    set(devices.TryGetValue(device, out var d) ? d : devices[device] = new IoDeviceLimit { Device = device }, Number(entry, "rate"));
                }
            }
            limits.IoMax = devices.Count > 0 ? devices.Values.ToArray() : null;
        }
        return limits.Controllers().Any() ? limits : null;
    }

    private static (string, ulong) Hugepages(JsonElement limit)
    {
        var size = String(limit, "pageSize") ?? throw Invalid("linux.resources.hugepageLimits: an entry has no pageSize");
        if (!System.Text.RegularExpressions.Regex.IsMatch(size, "^[0-9]+[KMG]B$"))
        {
            throw Invalid($"linux.resources.hugepageLimits: pageSize {size} is not as the kernel names huge pages (2MB, 1GB)");
        }
        return (size, Member(limit, "limit")?.GetUInt64() ?? 0);
    }

    private static ByteSize Size(JsonElement value) => value.GetInt64() < 0 ? ByteSize.Unlimited : value.GetInt64();
}
