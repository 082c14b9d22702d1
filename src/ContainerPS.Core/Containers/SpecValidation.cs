using System.Text.RegularExpressions;
using ContainerPS.Core.Namespaces;
using ContainerPS.Core.ContainerNetworks;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Rootfs;

namespace ContainerPS.Core.Containers;

/// <summary>
/// Turns user input into a spec, or refuses it with an error that names the bad value and what would be valid.
/// Everything checkable from the host is checked here, before anything is made.
/// </summary>
public static partial class SpecValidation
{
    public static readonly string[] DefaultCommand = ["sh"];

    public static ContainerSpec ToSpec(CreateOptions options, string id)
    {
        var rootfs = Path.GetFullPath(options.RootFs ?? throw Invalid("RootFsRequired", FailureKind.InvalidArgument,
            "A container needs a root: give -RootFs with a directory, or -Image with an image from Get-ContainerImage.", null));
        if (!Directory.Exists(rootfs))
        {
            throw Invalid("RootFsNotFound", FailureKind.ObjectNotFound,
                $"The root filesystem '{options.RootFs}' does not exist or is not a directory. Make one with New-ContainerRootFs -Path {options.RootFs} -Busybox.", options.RootFs);
        }
        if (RootFsCheck.IsHostRoot(rootfs))
        {
            throw Invalid("RootFsIsHostRoot", FailureKind.InvalidArgument,
                $"The root filesystem '{options.RootFs}' is the host's own root (/): a container pivots into a root of its own, and cannot pivot into the one it stands in. Make one with New-ContainerRootFs -Path ./rootfs -Busybox (or -FromHost for host programs).", options.RootFs);
        }
        var name = options.Name ?? id[..12];
        if (!NamePattern().IsMatch(name))
        {
            throw Invalid("InvalidContainerName", FailureKind.InvalidArgument,
                $"The container name '{name}' is not valid. Use 1-128 letters, digits, '_', '.' or '-', starting with a letter or digit.", name);
        }
        if (options.Name is not null && IdLikePattern().IsMatch(name))
        {
            // Ids and their prefixes select containers too; a name that reads as one could pick another container by accident.
            throw Invalid("ContainerNameLooksLikeId", FailureKind.InvalidArgument,
                $"The container name '{name}' is {name.Length} hex digits, which reads as a container id: names and ids are kept apart so that an id never picks a container by its name. Add a letter beyond a-f, a '-' or a '.', e.g. 'c-{name}'.", name);
        }
        if (options.Limits?.Memory is { IsUnlimited: false } memory && memory.Bytes < MinimumMemory)
        {
            throw Invalid("ContainerMemoryTooLow", FailureKind.InvalidArgument,
                $"-Memory {memory} is below what a container's first process needs to set itself up ({MinimumMemory / (1024 * 1024)}MB): the kernel would kill it (out of memory) before its command runs. Give -Memory {MinimumMemory / (1024 * 1024)}MB or more.", memory.ToString());
        }
        // Joining some kinds and naming none to create means: the usual new ones, less those joined.
        var namespaces = options.Namespaces ?? options.JoinNamespaces.Aggregate(NamespaceKinds.ContainerDefault, (all, j) => all & ~j.Kind);
        if (options.UserNamespace && options.UidMap.Length + options.GidMap.Length > 0)
        {
            throw Invalid("UserNamespaceConflict", FailureKind.InvalidArgument,
                "-UserNamespace takes a free block of ids by itself; -UidMap and -GidMap give the maps instead. Give one or the other.", options.UidMap);
        }
        var (uidMap, gidMap) = ContainerIdMaps.Check(options.UidMap, options.GidMap);
        if (Rootless.Active)
        {
            (uidMap, gidMap) = Rootless.Check(options, namespaces, uidMap, gidMap);
        }
        if (uidMap.Length > 0)
        {
            namespaces |= NamespaceKind.User;
        }
        namespaces = ContainerNetworkMode.ApplyTo(namespaces, options);
        var joins = ValidateJoins(options.JoinNamespaces, namespaces);
        if (!namespaces.HasFlag(NamespaceKind.Mnt))
        {
            throw Invalid("MountNamespaceRequired", FailureKind.InvalidArgument,
                "A container needs its own mount namespace (Mnt) to pivot into its root filesystem without changing the host's. Add Mnt to -Namespace.", namespaces);
        }
        var hostname = options.Hostname;
        if (hostname is not null && !HostnamePattern().IsMatch(hostname))
        {
            throw Invalid("InvalidHostname", FailureKind.InvalidArgument,
                $"The hostname '{hostname}' is not valid. Use 1-63 letters, digits and '-' per label, labels separated by '.', at most 64 characters, not starting or ending with '-'.", hostname);
        }
        if (hostname is not null && !namespaces.HasFlag(NamespaceKind.Uts))
        {
            throw Invalid("HostnameNeedsUtsNamespace", FailureKind.InvalidArgument,
                $"-Hostname '{hostname}' needs the container's own UTS namespace, or it would rename the host. Add Uts to -Namespace.", hostname);
        }
        var workingDirectory = ContainerWorkingDirectory.Check(options.WorkingDirectory ?? "/");
        var environment = Environment(options.Environment, hostname ?? name);
        var command = (options.Entrypoint ?? []).Concat(options.Command ?? []).ToArray() is { Length: > 0 } given ? given : DefaultCommand;
        ExecutableLookup.Find(rootfs, command[0], environment, workingDirectory);
        var capabilities = ContainerCapabilities.Resolve(options.CapabilityAdd, options.CapabilityDrop);

        return new ContainerSpec
        {
            Id = id,
            Name = name,
            RootFs = rootfs,
            Command = command,
            Environment = environment,
            WorkingDirectory = workingDirectory,
            Hostname = namespaces.HasFlag(NamespaceKind.Uts) ? hostname ?? name : null,
            Namespaces = namespaces,
            JoinNamespaces = joins,
            Mounts = options.Mounts.Select(ParseMount).ToArray(),
            ReadOnlyRootFs = options.ReadOnlyRootFs,
            Privileged = options.Privileged,
            CreatedAt = DateTime.UtcNow,
            Devices = options.Devices.Select(DeviceSpec.Parse).ToArray(),
            Capabilities = capabilities,
            User = options.User is null && options.Groups.Length == 0 ? null : ContainerUserLookup.Resolve(rootfs, options.User ?? "0", options.Groups),
            // Compiled once here, against the capabilities the container keeps, so a bad profile is refused before anything is made.
            SeccompProfile = ContainerSeccomp.FromArgument(options.SeccompProfile, options.Privileged, ContainerCapabilities.Mask(capabilities)),
            PreserveFds = PreservedDescriptors.Check(options.PreserveFds),
            Slirp4netns = ContainerNetworkMode.IsSlirp(options.Network) ? SlirpPorts(options.Publish) : null,
            UidMap = uidMap,
            GidMap = gidMap,
        };
    }

    /// <summary>
    /// -Publish for slirp4netns, checked as for a container network: parsed, each host port once, and none that a host
    /// process listens on (slirp4netns would fail to bind it only once the container exists).
    /// </summary>
    private static string[] SlirpPorts(string[] publish)
    {
        SlirpNetwork.RequireProgram();
        var ports = publish.Select(PublishedPort.Parse).ToArray();
        ContainerNetworkRequest.CheckPorts(ports, []);
        return ports.Select(p => p.ToString()).ToArray();
    }

    /// <summary>
    /// Joined namespaces must exist and be of the kind claimed, must not also be created, and cannot be a mount
    /// namespace: a container pivots into its own root, which would change the other's filesystem view.
    /// </summary>
    private static NamespaceJoin[] ValidateJoins(IReadOnlyList<(NamespaceKind Kind, string Path)> joins, NamespaceKind created)
    {
        foreach (var (kind, path) in joins)
        {
            if (kind == NamespaceKind.Mnt)
            {
                throw Invalid("MountNamespaceNotShareable", FailureKind.InvalidArgument,
                    $"A container cannot join another mount namespace ({path}): it pivots into its own root filesystem. Share Net, Ipc, Uts, Pid or User instead.", path);
            }
            if (created.HasFlag(kind))
            {
                throw Invalid("NamespaceBothCreatedAndJoined", FailureKind.InvalidArgument,
                    $"The {kind} namespace is asked for both as a new one and as {path}. Leave {kind} out of the kinds to create.", path);
            }
            using var fd = Interop.Sys.TryOpen(path, Tmds.Linux.LibC.O_RDONLY) ?? throw Invalid("NamespaceNotFound", FailureKind.ObjectNotFound,
                $"The {kind} namespace to join at {path} does not exist (its process may have exited).", path);
            var actual = NamespaceFile.KindOf(fd, path);
            if (actual != kind)
            {
                throw Invalid("NamespaceKindMismatch", FailureKind.InvalidArgument, $"{path} is a {actual} namespace, not {kind}.", path);
            }
        }
        return joins.Select(j => new NamespaceJoin { Kind = j.Kind, Path = j.Path }).ToArray();
    }

    /// <summary>"source:destination[:ro|rw]", as docker -v takes it; the source must exist on the host.</summary>
    public static MountSpec ParseMount(string text)
    {
        var parts = text.Split(':');
        if (parts.Length is < 2 or > 3 || parts[0].Length == 0 || !parts[1].StartsWith('/') || parts.Length == 3 && parts[2] is not ("ro" or "rw"))
        {
            throw Invalid("InvalidMount", FailureKind.InvalidArgument,
                $"The mount '{text}' is not valid. Use source:destination or source:destination:ro, with an absolute destination inside the container, e.g. /srv/data:/data:ro.", text);
        }
        if (RuntimeMountTargets.Owning(parts[1]) is { } owned)
        {
            throw Invalid("MountTargetReserved", FailureKind.InvalidArgument,
                $"The mount '{text}' targets {parts[1]}, which the runtime mounts itself ({owned}). Mount somewhere else, e.g. /mnt{parts[1]}.", text);
        }
        var source = Path.GetFullPath(parts[0]);
        if (!Path.Exists(source))
        {
            throw Invalid("MountSourceNotFound", FailureKind.ObjectNotFound,
                $"The mount source '{parts[0]}' does not exist on the host.", text);
        }
        return new MountSpec { Source = source, Destination = parts[1], ReadOnly = parts.Length == 3 && parts[2] == "ro" };
    }

    private static string[] Environment(IReadOnlyDictionary<string, string> given, string hostname)
    {
        var environment = new Dictionary<string, string>
        {
            ["PATH"] = ExecutableLookup.DefaultPath,
            ["HOSTNAME"] = hostname,
            ["HOME"] = "/root",
        };
        foreach (var (key, value) in given)
        {
            EnvironmentVariable.Check(key, value);
            environment[key] = value;
        }
        return environment.Select(kv => $"{kv.Key}={kv.Value}").ToArray();
    }

    /// <summary>
    /// The least -Memory a container is given: its first process maps the step table, its stack and the runtime's
    /// pages before its command runs, and below this the kernel kills it while it sets up. docker's floor is 6MB.
    /// </summary>
    public const long MinimumMemory = 6 * 1024 * 1024;

    private static ContainerPSException Invalid(string reason, FailureKind kind, string message, object? target) => new(reason, kind, message, target);

    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[0-9a-fA-F]{12,64}$")]
    private static partial Regex IdLikePattern();

    [GeneratedRegex("^(?=.{1,64}$)[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(\\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$")]
    private static partial Regex HostnamePattern();
}
