using ContainerPS.Core.Interop;
using ContainerPS.Core.Processes;
using ContainerPS.Core.Security;

namespace ContainerPS.Core.Namespaces;

/// <summary>
/// Writes a new user namespace's uid/gid maps from outside, while its first process waits on the sync pipe.
/// Without maps given (-Namespace User alone) the mapping is the identity over the first 65536 ids, so a rootfs
/// owned by host root stays usable; with -UidMap/-GidMap, root inside is an unprivileged id outside.
/// </summary>
public static class UserNamespaceMap
{
    public static void WriteRootMapping(int pid)
    {
        File.WriteAllText($"/proc/{pid}/uid_map", "0 0 65536\n");
        File.WriteAllText($"/proc/{pid}/gid_map", "0 0 65536\n");
    }

    public static void Write(int pid, IdMapping[] uids, IdMapping[] gids)
    {
        File.WriteAllText($"/proc/{pid}/uid_map", IdMapping.ToProcFile(uids));
        File.WriteAllText($"/proc/{pid}/gid_map", IdMapping.ToProcFile(gids));
    }

    /// <summary>Whether uidmap's setuid newuidmap and newgidmap are installed, which multi-id maps need without root.</summary>
    public static bool HelpersInstalled => HostProgram.Find("newuidmap") is not null && HostProgram.Find("newgidmap") is not null;

    /// <summary>
    /// The maps as the namespace's unprivileged owner may write them. Its own id alone it writes itself: the kernel
    /// allows that, for gids once setgroups is denied in the namespace (else a process could drop a group that denies
    /// it access). Anything more goes through newuidmap/newgidmap, which check the lines against /etc/subuid and
    /// /etc/subgid.
    /// </summary>
    public static void WriteAsOwner(int pid, IdMapping[] uids, IdMapping[] gids)
    {
        if (IsOwnIdAlone(uids, Sys.EffectiveUid))
        {
            File.WriteAllText($"/proc/{pid}/uid_map", IdMapping.ToProcFile(uids));
        }
        else
        {
            RunHelper("newuidmap", pid, uids);
        }
        if (IsOwnIdAlone(gids, Sys.EffectiveGid))
        {
            File.WriteAllText($"/proc/{pid}/setgroups", "deny");
            File.WriteAllText($"/proc/{pid}/gid_map", IdMapping.ToProcFile(gids));
        }
        else
        {
            RunHelper("newgidmap", pid, gids);
        }
    }

    private static bool IsOwnIdAlone(IdMapping[] map, uint own) => map is [{ Count: 1 } only] && only.HostId == own;

    /// <summary>Runs newuidmap or newgidmap (as any other program here: nothing of ours but its arguments reaches it).</summary>
    private static void RunHelper(string name, int pid, IdMapping[] map)
    {
        var path = HostProgram.Find(name) ?? throw new ContainerPSException("IdMapHelperMissing", FailureKind.ResourceUnavailable,
            $"Mapping {string.Join(", ", map.Select(m => m.ToString()))} as a user other than root needs {name} (apt-get install uidmap), which checks it against /etc/subuid and /etc/subgid. Without it only your own id can be mapped.", name);
        string[] arguments = [name, Number(pid), .. map.SelectMany(line => new[] { Number(line.ContainerId), Number(line.HostId), Number(line.Count) })];
        var (errorRead, errorWrite) = Sys.Pipe();
        int helper;
        string error;
        using (errorRead)
        {
            using (var devNull = Sys.Open("/dev/null", Tmds.Linux.LibC.O_RDWR))
            using (errorWrite)
            {
                helper = VforkSpawn.Start(new CloneRequest
                {
                    Executable = path,
                    Arguments = arguments,
                    Environment = [],
                    Descriptors = [(0, devNull), (1, devNull), (2, errorWrite)],
                });
            }
            using var reader = new StreamReader(new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(errorRead.DangerousGetHandle(), ownsHandle: false), FileAccess.Read));
            error = reader.ReadToEnd();
        }
        var status = Sys.Wait(helper, block: true).Status;
        if (status != 0)
        {
            throw new ContainerPSException("IdMapRefused", FailureKind.PermissionDenied,
                $"{string.Join(' ', arguments)} failed (wait status {status}): {error.Trim()}. The lines must fall inside your ranges in /etc/subuid and /etc/subgid.", name);
        }
    }

    private static string Number(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

}
