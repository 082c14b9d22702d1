using System.Text.Json;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Oci;

/// <summary>
/// A config.json mount's options, as mount(8) spells them, turned into mount(2)'s flags, its data string and the
/// propagation changes made after it. A bind mount takes no data: an option that is neither a flag nor a propagation
/// is an error there; for other types it goes to the file system, which refuses what it does not know at create.
/// </summary>
public static class OciMountOptions
{
    public const MountFlags Shared = (MountFlags)(1UL << 20), Unbindable = (MountFlags)(1UL << 17);
    private const MountFlags Synchronous = (MountFlags)16, Mandatory = (MountFlags)64, DirSync = (MountFlags)128,
        NoAtime = (MountFlags)1024, NoDirAtime = (MountFlags)2048, RelAtime = (MountFlags)(1UL << 21);


    private static readonly Dictionary<string, (MountFlags Set, MountFlags Clear)> Flags = new()
    {
        ["defaults"] = (0, 0), ["rw"] = (0, MountFlags.ReadOnly), ["ro"] = (MountFlags.ReadOnly, 0),
        ["suid"] = (0, MountFlags.NoSuid), ["nosuid"] = (MountFlags.NoSuid, 0), ["dev"] = (0, MountFlags.NoDev), ["nodev"] = (MountFlags.NoDev, 0),
        ["exec"] = (0, MountFlags.NoExec), ["noexec"] = (MountFlags.NoExec, 0), ["sync"] = (Synchronous, 0), ["async"] = (0, Synchronous),
        ["dirsync"] = (DirSync, 0), ["mand"] = (Mandatory, 0), ["nomand"] = (0, Mandatory), ["atime"] = (0, NoAtime), ["noatime"] = (NoAtime, 0),
        ["diratime"] = (0, NoDirAtime), ["nodiratime"] = (NoDirAtime, 0), ["relatime"] = (RelAtime, 0), ["norelatime"] = (0, RelAtime),
        ["strictatime"] = (MountFlags.StrictAtime, 0), ["nostrictatime"] = (0, MountFlags.StrictAtime),
    };

    private static readonly Dictionary<string, MountFlags> PropagationFlags = new()
    {
        ["private"] = MountFlags.Private, ["rprivate"] = MountFlags.Private | MountFlags.Recursive,
        ["slave"] = MountFlags.Slave, ["rslave"] = MountFlags.Slave | MountFlags.Recursive,
        ["shared"] = Shared, ["rshared"] = Shared | MountFlags.Recursive,
        ["unbindable"] = Unbindable, ["runbindable"] = Unbindable | MountFlags.Recursive,
    };

    public static OciMount Read(JsonElement mount, string bundle)
    {
        var destination = OciConfigReader.String(mount, "destination") ?? throw OciConfigReader.Invalid("mounts: an entry has no destination");
        if (!destination.StartsWith('/'))
        {
            // runc takes a relative destination as relative to /; the spec asks for absolute ones.
            destination = "/" + destination;
        }
        if (destination.Split('/').Contains(".."))
        {
            throw OciConfigReader.Invalid($"mounts: destination {destination} may not hold .. components");
        }
        var type = OciConfigReader.String(mount, "type") is { Length: > 0 } t ? t : null;
        var options = OciConfigReader.Array(mount, "options").Select(o => o.GetString()!).ToArray();
        var bind = type is "bind" || options.Contains("bind") || options.Contains("rbind");
        // type "bind" alone is a bind, as runc takes it; rbind among the options makes it recursive.
        MountFlags flags = bind ? MountFlags.Bind : 0;
        var propagation = new List<MountFlags>();
        var data = new List<string>();
        foreach (var option in options)
        {
            if (option is "bind" or "rbind")
            {
                flags |= MountFlags.Bind | (option == "rbind" ? MountFlags.Recursive : 0);
            }
            else if (Flags.TryGetValue(option, out var change))
            {
                flags = (flags | change.Set) & ~change.Clear;
            }
            else if (PropagationFlags.TryGetValue(option, out var p))
            {
                propagation.Add(p);
            }
            else if (bind || option is "idmap" or "ridmap" or "tmpcopyup" or "copy-symlink" or "rro" or "rrw")
            {
                throw OciConfigReader.Invalid($"mounts: unknown mount option {option} for {destination} (valid: {string.Join(", ", Flags.Keys.Concat(PropagationFlags.Keys).Append("bind").Append("rbind"))}{(bind ? "" : ", and the file system's own data options")})");
            }
            else
            {
                data.Add(option);
            }
        }
        var source = OciConfigReader.String(mount, "source");
        if (bind)
        {
            if (source is null)
            {
                throw OciConfigReader.Invalid($"mounts: the bind mount at {destination} has no source");
            }
            source = Path.GetFullPath(source, bundle);
            if (!Path.Exists(source))
            {
                throw OciConfigReader.Invalid($"mounts: the source {source} of the bind mount at {destination} does not exist");
            }
        }
        else if (type is null)
        {
            throw OciConfigReader.Invalid($"mounts: the mount at {destination} has no type (as proc, tmpfs, sysfs) and is not a bind mount");
        }
        return new OciMount
        {
            Destination = destination,
            Type = bind ? null : type,
            Source = source,
            Bind = bind,
            Flags = bind ? flags & (MountFlags.Bind | MountFlags.Recursive) : flags,
            BindAttributes = !bind ? 0 : (flags.HasFlag(MountFlags.ReadOnly) ? SetupPlan.MountAttrReadOnly : 0) | (flags.HasFlag(MountFlags.NoSuid) ? SetupPlan.MountAttrNoSuid : 0)
                | (flags.HasFlag(MountFlags.NoDev) ? SetupPlan.MountAttrNoDev : 0) | (flags.HasFlag(MountFlags.NoExec) ? SetupPlan.MountAttrNoExec : 0),
            Data = data.Count > 0 ? string.Join(',', data) : null,
            Propagation = propagation.ToArray(),
        };
    }
}
