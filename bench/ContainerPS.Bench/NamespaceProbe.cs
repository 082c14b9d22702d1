using ContainerPS.Bench.Host;

namespace ContainerPS.Bench;

/// <summary>
/// Shell one-liners (busybox sh in the rootfs) whose exit code says whether a command really ran isolated; each case
/// runs them on both sides before timing, so a tool that skipped the work cannot look fast.
/// </summary>
public static class NamespaceProbe
{
    private static readonly string[] Kinds = ["net", "mnt", "uts", "ipc"];

    /// <summary>Exits 0 only as PID 1 of a new pid namespace whose net, mnt, uts and ipc namespaces are not the bench's.</summary>
    public static string[] Isolated() =>
        ["/bin/sh", "-c", "[ $$ -eq 1 ]" + string.Concat(Kinds.Select(k => $" && [ \"$(readlink /proc/self/ns/{k})\" != '{ProcFs.Namespace("self", k)}' ]"))];

    /// <summary>Exits 0 only inside every namespace of <paramref name="pid"/> (pid included): what exec must achieve.</summary>
    public static string[] InsideOf(int pid) =>
        ["/bin/sh", "-c", string.Join(" && ", Kinds.Append("pid").Select(k => $"[ \"$(readlink /proc/self/ns/{k})\" = '{ProcFs.Namespace(pid.ToString(), k)}' ]"))];
}
