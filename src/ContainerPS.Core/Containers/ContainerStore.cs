using ContainerPS.Core.Cgroups;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Processes;

namespace ContainerPS.Core.Containers;

/// <summary>
/// The state store: one directory per container under /run/containerps/&lt;id&gt;/ (spec.json, state.json, exec.fifo, log)
/// and a name index of symlinks under names/, created with symlink(2) so two sessions can never take one name.
/// /run is a tmpfs: containers do not outlive a reboot, as with runc.
/// </summary>
public sealed class ContainerStore
{
    public const string DefaultRoot = "/run/containerps";

    public ContainerStore(string root = DefaultRoot) => Root = root;

    public string Root { get; }
    private string NamesDir => Path.Combine(Root, "names");

    public string Dir(string id) => Path.Combine(Root, id);
    public string SpecPath(string id) => Path.Combine(Dir(id), "spec.json");
    public string StatePath(string id) => Path.Combine(Dir(id), "state.json");
    public string FifoPath(string id) => Path.Combine(Dir(id), "exec.fifo");
    public string LogPath(string id) => Path.Combine(Dir(id), "log");

    /// <summary>Takes the name for this id, atomically; throws ContainerNameInUse when another container has it.</summary>
    public void ReserveName(string name, string id)
    {
        Directory.CreateDirectory(NamesDir);
        try
        {
            File.CreateSymbolicLink(Path.Combine(NamesDir, name), id);
        }
        catch (IOException) when (ResolveName(name) is { } holder)
        {
            throw new ContainerPSException("ContainerNameInUse", FailureKind.ResourceExists, NameHeldMessage(name, holder), name);
        }
    }

    // A create killed between taking the name and writing spec.json leaves the name held by a record with no spec. It is
    // not taken back here: without a record of which process makes it, a create still running in another session looks
    // the same. The user who knows removes it.
    private string NameHeldMessage(string name, string holder) =>
        File.Exists(SpecPath(holder))
            ? $"The name '{name}' is already used by container {holder[..12]}. Choose another -Name, or remove that container first."
            : $"The name '{name}' is held by the damaged record of container {holder[..12]}: a create that did not finish (its spec.json was never written). Remove-Container {name} removes that record; then the name is free.";

    /// <summary>
    /// Drops the name if it still stands for this id: a removal racing another, or a name that a new container took
    /// meanwhile, must not take away a name that is not this container's.
    /// </summary>
    public void ReleaseName(string name, string id)
    {
        if (ResolveName(name) == id)
        {
            File.Delete(Path.Combine(NamesDir, name)); // no error when another removal was first
        }
    }

    /// <summary>The name that stands for this id in the index, or null (a record whose name link is gone).</summary>
    public string? NameOf(string id) => Links().FirstOrDefault(n => n.Id == id).Name;

    public string? ResolveName(string name)
    {
        try
        {
            return new FileInfo(Path.Combine(NamesDir, name)).LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// Every name in the index with the id it stands for, read from the symlinks alone (no spec or state is parsed, so a
    /// damaged record does not hide the others); names whose container directory is gone are left out.
    /// </summary>
    public IEnumerable<(string Name, string Id)> Names() => Links().Where(link => Directory.Exists(Dir(link.Id)));

    /// <summary>Names whose container directory is gone: a create killed between taking the name and making the directory.</summary>
    public IEnumerable<(string Name, string Id)> DanglingNames() => Links().Where(link => !Directory.Exists(Dir(link.Id)));

    private IEnumerable<(string Name, string Id)> Links()
    {
        if (!Directory.Exists(NamesDir))
        {
            yield break;
        }
        foreach (var link in new DirectoryInfo(NamesDir).EnumerateFileSystemInfos())
        {
            // A link's target is the id it was made with; one another session deletes meanwhile reads as no target.
            if (link.LinkTarget is { Length: 64 } id && id.All(char.IsAsciiHexDigitLower))
            {
                yield return (link.Name, id);
            }
        }
    }

    public void CreateDir(string id)
    {
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(Dir(id), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>
    /// Every container id in the store (directories named by a 64-hex id). A directory with a state.json and no
    /// spec.json is not one of ours: every create here writes spec.json first. It is runc's, whose records are named by
    /// the engine's id (a Kubernetes one is 64-hex too), when an engine gives runc and this runtime one --root.
    /// </summary>
    public IEnumerable<string> Ids()
    {
        if (!Directory.Exists(Root))
        {
            return [];
        }
        return Directory.EnumerateDirectories(Root)
            .Select(Path.GetFileName)
            .Where(name => name is { Length: 64 } && name.All(char.IsAsciiHexDigitLower))
            .Cast<string>()
            .Where(id => File.Exists(SpecPath(id)) || !File.Exists(StatePath(id)));
    }

    public void WriteSpec(ContainerSpec spec) => RecordFile.WriteAtomically(SpecPath(spec.Id), StateFileJson.Write(spec));

    /// <summary>The spec, or null when there is none; throws <see cref="RecordDamagedException"/> when it cannot be read.</summary>
    public ContainerSpec? ReadSpec(string id) => Read(id, SpecPath(id), StateFileJson.ReadSpec);

    public void WriteState(string id, ContainerStateFile state) => RecordFile.WriteAtomically(StatePath(id), StateFileJson.Write(state));

    /// <summary>
    /// Read-modify-write of state.json under an exclusive flock on the container's lock file: the shim (recording
    /// the exit) and Start-Container (recording the start) may race, and neither may lose the other's write.
    /// </summary>
    public void UpdateState(string id, Func<ContainerStateFile, ContainerStateFile> change)
    {
        // Not made when missing: a removed container's directory must not come back for a late writer.
        using var lockFile = FileLock.Take(Path.Combine(Dir(id), "lock"));
        WriteState(id, change(ReadState(id) ?? new ContainerStateFile()));
    }

    /// <summary>The state, or null when there is none yet; throws <see cref="RecordDamagedException"/> when it cannot be read.</summary>
    public ContainerStateFile? ReadState(string id) => Read(id, StatePath(id), StateFileJson.ReadState);

    /// <summary>
    /// Reads a container as it stands now, or null when it is not (or no longer) in the store. A directory without
    /// spec.json is a Damaged container; a file that cannot be read throws <see cref="RecordDamagedException"/>.
    /// </summary>
    public Container? Load(string id)
    {
        var spec = ReadSpec(id);
        if (spec is null)
        {
            return Directory.Exists(Dir(id)) ? Damaged(id) : null;
        }
        var state = ReadState(id);
        var status = StatusOf(id, state, spec.CgroupPath);
        return new Container
        {
            Id = spec.Id,
            Name = spec.Name,
            State = status,
            Pid = status is ContainerState.Stopped ? null : state?.Pid,
            Command = spec.Command,
            RootFs = spec.RootFs,
            Image = spec.ImageName,
            ImageId = spec.Image,
            Hostname = spec.Hostname,
            Namespaces = spec.Namespaces,
            CreatedAt = spec.CreatedAt,
            StartedAt = state?.StartedAt,
            FinishedAt = state?.FinishedAt,
            ExitCode = state?.ExitCode,
            ExitSignal = state?.ExitSignal,
            OomKilled = state?.OomKilled ?? false,
            CgroupPath = Cgroup.ForContainer(id, spec.CgroupPath).Path,
            Root = Root,
            Bundle = spec.Bundle,
            UidMap = spec.UidMap.Select(m => m.ToString()).ToArray(),
            GidMap = spec.GidMap.Select(m => m.ToString()).ToArray(),
            // An engine's container has no shim of ours (ShimPid 0): the engine's own monitor holds it.
            Orphaned = status is not ContainerState.Stopped && state is { ShimPid: not 0 } && !ProcStat.IsAlive(state.ShimPid, state.ShimStartTime),
        };
    }

    /// <summary>
    /// A record known by its id (and its name, if the index still has it) alone, for listing and removing what a
    /// killed create or a damaged file left. Its time is the directory's, the moment the create began.
    /// </summary>
    public Container Damaged(string id) => new()
    {
        Id = id,
        Name = NameOf(id) ?? id[..12],
        State = ContainerState.Damaged,
        Root = Root,
        Command = [],
        RootFs = "",
        CreatedAt = Directory.Exists(Dir(id)) ? Directory.GetCreationTimeUtc(Dir(id)) : default,
    };

    /// <summary>
    /// The status, derived rather than stored: an exit the shim recorded means Stopped; a live process (same pid and
    /// start time) still holding the exec fifo means Created, without it Running (Paused when its cgroup is frozen); anything
    /// else (the shim itself died) is Stopped with no exit code.
    /// </summary>
    private ContainerState StatusOf(string id, ContainerStateFile? state, string? cgroupPath)
    {
        if (state is null || state.ExitCode is not null || !ProcStat.IsAlive(state.Pid, state.PidStartTime))
        {
            return ContainerState.Stopped;
        }
        if (File.Exists(FifoPath(id)))
        {
            return ContainerState.Created;
        }
        return Cgroup.ForContainer(id, cgroupPath).IsFrozen() ? ContainerState.Paused : ContainerState.Running;
    }

    /// <summary>
    /// Removes the container's directory and its name. Safe to run twice at once: a file or directory that another
    /// removal deleted first is not an error, and the name goes only while it still stands for this id.
    /// </summary>
    public void Delete(string id, string name)
    {
        ReleaseName(name, id);
        CrashPoint.Reach("remove:name-released");
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Directory.Delete(Dir(id), recursive: true);
                return;
            }
            catch (DirectoryNotFoundException)
            {
                return;
            }
            catch (IOException) when (attempt < 5 && Directory.Exists(Dir(id)))
            {
                // Another removal deleted an entry between our listing and our unlink, or a shim ending wrote its last state: list again.
            }
            catch (UnauthorizedAccessException) when (attempt < 5 && !Sys.IsRoot)
            {
                // overlayfs leaves its workdir's work/ mode 000; root passes through it, its owner must open it first.
                OpenUp(Dir(id));
            }
        }
    }

    /// <summary>Gives the owner rwx on every directory below <paramref name="dir"/> it owns, so they can be emptied.</summary>
    private static void OpenUp(string dir)
    {
        const UnixFileMode Owner = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        File.SetUnixFileMode(dir, File.GetUnixFileMode(dir) | Owner);
        foreach (var child in Directory.EnumerateDirectories(dir))
        {
            if (new DirectoryInfo(child).LinkTarget is null)
            {
                OpenUp(child);
            }
        }
    }

    private static T? Read<T>(string id, string path, Func<byte[], T?> parse) where T : class =>
        RecordFile.Read(path, parse, e => RecordDamagedException.OfContainer(id, path, e));
}
