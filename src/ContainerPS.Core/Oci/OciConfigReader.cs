using System.Text.Json;
using ContainerPS.Core.Cgroups;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Namespaces;
using ContainerPS.Core.Security;

namespace ContainerPS.Core.Oci;

/// <summary>
/// Reads a bundle's config.json (runtime-spec 1.0 to 1.2) into an <see cref="OciConfig"/>. Every member this kernel
/// and runtime can honour is read; one it cannot (an AppArmor profile, Intel RDT, a personality, ambient capabilities)
/// is an error that names it, never dropped: a container must not run with less isolation than its config asked for.
/// Unknown members are left alone, as the spec asks of a runtime.
/// </summary>
public static partial class OciConfigReader
{
    /// <param name="configPath">The config.json to read, when not the bundle's own (a copy kept with the state); relative paths in it are from the bundle.</param>
    public static OciConfig Read(string bundle, string? configPath = null)
    {
        bundle = Path.GetFullPath(bundle);
        var path = configPath ?? Path.Combine(bundle, "config.json");
        if (!Directory.Exists(bundle))
        {
            throw Invalid($"bundle {bundle} does not exist: give the directory that holds config.json and the root filesystem");
        }
        if (!File.Exists(path))
        {
            throw Invalid($"open {path}: no such file or directory: a bundle needs its config.json (`containerps-runtime spec` writes a default one)");
        }
        var json = File.ReadAllBytes(path);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw Invalid($"config.json in {bundle} is not valid JSON: {e.Message}");
        }
        using (document)
        {
            try
            {
                return Read(document.RootElement, bundle, json);
            }
            catch (InvalidOperationException e)
            {
                // A member of the wrong JSON type: GetString on a number and the like.
                throw Invalid($"config.json in {bundle}: a member has the wrong type: {e.Message}");
            }
        }
    }

    private static OciConfig Read(JsonElement config, string bundle, byte[] json)
    {
        if (config.ValueKind != JsonValueKind.Object)
        {
            throw Invalid("config.json must hold a JSON object");
        }
        var version = String(config, "ociVersion") ?? throw Invalid("config.json has no ociVersion");
        if (!version.StartsWith("1.", StringComparison.Ordinal))
        {
            throw Invalid($"ociVersion {version} is not supported: this runtime reads runtime-spec 1.0 to 1.2");
        }
        var root = Member(config, "root") ?? throw Invalid("config.json has no root: root.path names the container's root filesystem");
        var rootPath = String(root, "path") ?? throw Invalid("root.path is missing");
        rootPath = Path.GetFullPath(rootPath, bundle);
        if (!Directory.Exists(rootPath))
        {
            throw Invalid($"root.path {rootPath} is not a directory");
        }
        var process = Member(config, "process") ?? throw Invalid("config.json has no process: this runtime starts a process in every container");
        var linux = Member(config, "linux");
        Refuse(config, "solaris", "windows", "vm", "zos");
        var (newNamespaces, joins) = linux is { } l ? Namespaces(l) : (NamespaceKinds.ContainerDefault, []);
        var result = new OciConfig
        {
            Bundle = bundle,
            Json = json,
            RootPath = rootPath,
            RootReadOnly = Bool(root, "readonly"),
            Process = ReadProcess(process, "process"),
            Hostname = String(config, "hostname"),
            Domainname = String(config, "domainname"),
            Mounts = Array(config, "mounts").Select(m => OciMountOptions.Read(m, bundle)).ToArray(),
            NewNamespaces = newNamespaces,
            JoinNamespaces = joins,
            Hooks = ReadHooks(config),
            Annotations = Member(config, "annotations") is { } a ? a.EnumerateObject().Select(p => (p.Name, p.Value.GetString() ?? "")).ToArray() : [],
        };
        if (result.Hostname is not null && !newNamespaces.HasFlag(NamespaceKind.Uts))
        {
            throw Invalid("hostname is set but the container has no uts namespace of its own: add {\"type\": \"uts\"} to linux.namespaces");
        }
        return linux is { } linuxMember ? ReadLinux(linuxMember, result) : result;
    }

    public static OciProcess ReadProcess(JsonElement process, string where)
    {
        Refuse(process, where, "apparmorProfile", "selinuxLabel", "ioPriority", "scheduler", "execCPUAffinity");
        var args = Array(process, "args").Select(a => a.GetString()!).ToArray();
        if (args.Length == 0)
        {
            throw Invalid($"{where}.args is empty: the container needs a program to run");
        }
        var cwd = String(process, "cwd") ?? throw Invalid($"{where}.cwd is missing: it must be an absolute path");
        if (!cwd.StartsWith('/'))
        {
            throw Invalid($"{where}.cwd {cwd} is not an absolute path");
        }
        var user = Member(process, "user");
        if (user is { } u && String(u, "username") is { Length: > 0 })
        {
            throw Invalid($"{where}.user.username is for Windows; give uid and gid");
        }
        var size = Member(process, "consoleSize");
        var env = Array(process, "env").Select(e => e.GetString()!).ToArray();
        foreach (var entry in env)
        {
            var equals = entry.IndexOf('=');
            if (equals <= 0)
            {
                throw Invalid($"{where}.env entry '{entry}' is not NAME=VALUE");
            }
            EnvironmentVariable.Check(entry[..equals], entry[(equals + 1)..]);
        }
        return new OciProcess
        {
            Terminal = Bool(process, "terminal"),
            ConsoleSize = size is { } s ? ((ushort)Number(s, "height"), (ushort)Number(s, "width")) : null,
            Uid = user is { } us ? (uint)Number(us, "uid") : 0,
            Gid = user is { } ug ? (uint)Number(ug, "gid") : 0,
            AdditionalGids = user is { } ua ? Array(ua, "additionalGids").Select(g => g.GetUInt32()).ToArray() : [],
            Umask = user is { } um && Member(um, "umask") is { } mask ? mask.GetUInt32() : null,
            Args = args,
            Env = env,
            Cwd = cwd,
            Capabilities = Member(process, "capabilities") is { } caps ? Capabilities(caps, where, user is { } cu ? (uint)Number(cu, "uid") : 0) : [],
            Rlimits = Array(process, "rlimits").Select(r => Rlimit(r, where)).ToArray(),
            NoNewPrivileges = Bool(process, "noNewPrivileges"),
            OomScoreAdj = Member(process, "oomScoreAdj") is { } oom ? oom.GetInt32() : null,
        };
    }

    /// <summary>
    /// The bounding set. Root's permitted and effective sets follow it at execve, and an ambient set within it gives
    /// root nothing more, so that is taken as it is (runc spec writes one); ambient capabilities for another user, which
    /// would survive its execve, are refused, as is an inheritable set: the child clears it (a program given
    /// inheritable capabilities can pass them through execve of a file that has them).
    /// </summary>
    private static string[] Capabilities(JsonElement caps, string where, uint uid)
    {
        if (Array(caps, "inheritable").Any())
        {
            throw Invalid($"{where}.capabilities.inheritable is not supported: this runtime keeps the inheritable set empty; leave it out");
        }
        var ambient = Array(caps, "ambient").Select(c => c.GetString()!).ToArray();
        if (ambient.Length > 0 && (uid != 0 || ambient.Except(Array(caps, "bounding").Select(c => c.GetString()!)).Any()))
        {
            throw Invalid($"{where}.capabilities.ambient is supported only for uid 0 and within the bounding set: this runtime does not raise ambient capabilities for another user; leave ambient out");
        }
        var bounding = Array(caps, "bounding").Select(c => c.GetString()!).ToArray();
        foreach (var name in bounding.Concat(ambient).Concat(Array(caps, "effective").Select(c => c.GetString()!)).Concat(Array(caps, "permitted").Select(c => c.GetString()!)))
        {
            if (CapabilityNames.Number(name) is null)
            {
                throw Invalid($"{where}.capabilities: unknown capability {name} (valid names are those of capabilities(7), as CAP_CHOWN)");
            }
        }
        return bounding;
    }

    private static readonly string[] RlimitNames =
    [
        "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS", "RLIMIT_NPROC", "RLIMIT_NOFILE",
        "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS", "RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME",
    ];

    private static (int, ulong, ulong) Rlimit(JsonElement rlimit, string where)
    {
        var type = String(rlimit, "type") ?? throw Invalid($"{where}.rlimits: an entry has no type");
        var resource = System.Array.IndexOf(RlimitNames, type);
        if (resource < 0)
        {
            throw Invalid($"{where}.rlimits: unknown rlimit type {type} (valid: {string.Join(", ", RlimitNames)})");
        }
        var soft = Member(rlimit, "soft")?.GetUInt64() ?? 0;
        var hard = Member(rlimit, "hard")?.GetUInt64() ?? 0;
        if (soft > hard)
        {
            throw Invalid($"{where}.rlimits: {type} has soft {soft} above hard {hard}");
        }
        return (resource, soft, hard);
    }

    private static (NamespaceKind, NamespaceJoin[]) Namespaces(JsonElement linux)
    {
        NamespaceKind created = 0;
        var joins = new List<NamespaceJoin>();
        foreach (var ns in Array(linux, "namespaces"))
        {
            var type = String(ns, "type") ?? throw Invalid("linux.namespaces: an entry has no type");
            var kind = type switch
            {
                "pid" => NamespaceKind.Pid,
                "network" => NamespaceKind.Net,
                "mount" => NamespaceKind.Mnt,
                "ipc" => NamespaceKind.Ipc,
                "uts" => NamespaceKind.Uts,
                "user" => NamespaceKind.User,
                "cgroup" => NamespaceKind.Cgroup,
                "time" => NamespaceKind.Time,
                _ => throw Invalid($"unknown namespace type {type} in linux.namespaces (valid: pid, network, mount, ipc, uts, user, cgroup, time)"),
            };
            if ((created & kind) != 0 || joins.Any(j => j.Kind == kind))
            {
                throw Invalid($"linux.namespaces names {type} twice");
            }
            if (String(ns, "path") is { Length: > 0 } path)
            {
                if (!File.Exists(path))
                {
                    throw Invalid($"linux.namespaces: the {type} namespace to join at {path} does not exist");
                }
                joins.Add(new NamespaceJoin { Kind = kind, Path = path });
            }
            else
            {
                created |= kind;
            }
        }
        if (!created.HasFlag(NamespaceKind.Mnt))
        {
            throw Invalid("linux.namespaces has no new mount namespace: this runtime mounts the container's root in one of its own; add {\"type\": \"mount\"}");
        }
        return (created, joins.ToArray());
    }

    /// <summary>The hooks of a config.json kept beside a container's state: later commands run them from there, even once the bundle is gone.</summary>
    public static OciHooks ReadHooks(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        return ReadHooks(document.RootElement);
    }

    private static OciHooks ReadHooks(JsonElement config)
    {
        if (Member(config, "hooks") is not { } hooks)
        {
            return new OciHooks();
        }
        OciHook[] Of(string name) => Array(hooks, name).Select(h => Hook(h, name)).ToArray();
        return new OciHooks
        {
            Prestart = Of("prestart"),
            CreateRuntime = Of("createRuntime"),
            CreateContainer = Of("createContainer"),
            StartContainer = Of("startContainer"),
            Poststart = Of("poststart"),
            Poststop = Of("poststop"),
        };
    }

    private static OciHook Hook(JsonElement hook, string kind)
    {
        var path = String(hook, "path") ?? throw Invalid($"hooks.{kind}: an entry has no path");
        if (!path.StartsWith('/'))
        {
            throw Invalid($"hooks.{kind}: path {path} is not absolute");
        }
        var timeout = Member(hook, "timeout") is { } t ? t.GetInt32() : (int?)null;
        if (timeout is <= 0)
        {
            throw Invalid($"hooks.{kind}: timeout {timeout} of {path} must be more than 0 seconds");
        }
        return new OciHook(path, Array(hook, "args").Select(a => a.GetString()!).ToArray(), Array(hook, "env").Select(e => e.GetString()!).ToArray(), timeout);
    }

    internal static ContainerPSException Invalid(string message) => new("BundleInvalid", FailureKind.InvalidArgument, message);

    /// <summary>Members this runtime cannot honour: present and not empty, they fail the create with their name.</summary>
    private static void Refuse(JsonElement element, string where, params string[] names)
    {
        foreach (var name in names)
        {
            if (Member(element, name) is { } value && !IsEmpty(value))
            {
                throw Invalid($"{where}.{name} is not supported by this runtime; remove it from config.json");
            }
        }
    }

    private static void Refuse(JsonElement element, params string[] names)
    {
        foreach (var name in names)
        {
            if (Member(element, name) is { } value && !IsEmpty(value))
            {
                throw Invalid($"{name} is not supported by this runtime, which runs Linux containers only; remove it from config.json");
            }
        }
    }

    private static bool IsEmpty(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.False => true,
        JsonValueKind.String => value.GetString()!.Length == 0,
        JsonValueKind.Array => value.GetArrayLength() == 0,
        JsonValueKind.Object => !value.EnumerateObject().Any(),
        _ => false,
    };

    internal static JsonElement? Member(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    internal static string? String(JsonElement element, string name) => Member(element, name)?.GetString();

    internal static bool Bool(JsonElement element, string name) => Member(element, name)?.GetBoolean() ?? false;

    internal static long Number(JsonElement element, string name) => Member(element, name)?.GetInt64() ?? 0;

    /// <summary>The member's items; none when it is absent. Any other kind of value (a string where a list belongs) is an error naming it.</summary>
    internal static IEnumerable<JsonElement> Array(JsonElement element, string name) => Member(element, name) switch
    {
        null => [],
        { ValueKind: JsonValueKind.Array } array => array.EnumerateArray(),
        { } other => throw Invalid($"{name} must be a JSON array, not a {other.ValueKind.ToString().ToLowerInvariant()} ({other.GetRawText()})"),
    };
}
