using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Namespaces;

/// <summary>
/// What nsenter joins for a target: the namespaces of a process (all kinds, or the ones asked for), or those of a
/// persistent namespace set. Kinds the target shares with us are left out unless asked for, as nsenter -a does
/// (joining one's own user namespace is refused by the kernel).
/// </summary>
public static class NamespaceTarget
{
    public static IReadOnlyList<(NamespaceKind Kind, string Path)> OfProcess(int pid, NamespaceKind? kinds)
    {
        if (!Directory.Exists($"/proc/{pid}/ns"))
        {
            throw new ContainerPSException("ProcessNotFound", FailureKind.ObjectNotFound,
                $"No process has the id {pid}, so there are no namespaces to enter.", pid);
        }
        var wanted = kinds ?? NamespaceKinds.All.Aggregate((NamespaceKind)0, (all, k) => all | k);
        var joined = new List<(NamespaceKind, string)>();
        foreach (var kind in wanted.Each())
        {
            var path = $"/proc/{pid}/ns/{kind.ProcName()}";
            var theirs = NamespaceFile.Identity(path);
            if (theirs is null)
            {
                if (kinds is not null)
                {
                    throw new ContainerPSException("NamespaceKindNotSupported", FailureKind.InvalidArgument,
                        $"This kernel has no {kind} namespaces ({path} is missing).", kind);
                }
                continue;
            }
            var same = theirs == NamespaceFile.Identity($"/proc/self/ns/{kind.ProcName()}");
            if (!same || kinds is not null && kind != NamespaceKind.User)
            {
                joined.Add((kind, path));
            }
        }
        return joined;
    }

    public static IReadOnlyList<(NamespaceKind Kind, string Path)> OfPersistent(string name, NamespaceKind? kinds)
    {
        var members = PersistentNamespace.Members(name);
        if (members.Count == 0)
        {
            throw new ContainerPSException("NamespaceNotFound", FailureKind.ObjectNotFound,
                $"No persistent namespace is named '{name}'. Get-Namespace -Name * lists them; New-Namespace makes one.", name);
        }
        return kinds is null ? members : members.Where(m => kinds.Value.HasFlag(m.Kind)).ToArray();
    }
}
