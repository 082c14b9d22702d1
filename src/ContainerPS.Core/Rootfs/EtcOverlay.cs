using ContainerPS.Core.Containers;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Namespaces;
using static ContainerPS.Core.Rootfs.MountFlags;

namespace ContainerPS.Core.Rootfs;

/// <summary>
/// Puts the files the runtime writes for a container (its spec's EtcFiles, kept in the state directory) at /etc/NAME
/// without changing the rootfs: each is bind-mounted over the rootfs's file. A bind mount needs a file to mount on,
/// and making one would change the rootfs, so when one is missing (a busybox rootfs has no /etc/hosts) /etc is first
/// covered by an overlay whose upper layer, in the state directory, holds the missing mount points. The container's
/// own writes to /etc then land in that layer as well, and go with the container.
/// </summary>
internal static class EtcOverlay
{
    public static void Mount(string root, string stateDir, ContainerSpec spec)
    {
        if (spec.EtcFiles.Length == 0)
        {
            return;
        }
        // File.Exists is false for a dangling symlink too (resolv.conf -> a systemd stub): the upper layer's file covers it.
        var missing = spec.EtcFiles.Where(f => !File.Exists(SecurePath.Join(root, f.Destination))).ToArray();
        if (missing.Length > 0)
        {
            var etc = SecurePath.Join(root, "/etc");
            var upper = Path.Combine(stateDir, "etc", "upper");
            var work = Path.Combine(stateDir, "etc", "work");
            Directory.CreateDirectory(upper);
            Directory.CreateDirectory(work);
            foreach (var file in missing)
            {
                File.WriteAllBytes(Path.Combine(upper, Path.GetFileName(file.Destination)), []);
            }
            // In a user namespace overlayfs may not write trusted.* attributes; userxattr makes it use user.* ones.
            var options = $"lowerdir={etc},upperdir={upper},workdir={work}" + (spec.Namespaces.HasFlag(NamespaceKind.User) ? ",userxattr" : "");
            Sys.Mount("overlay", etc, "overlay", (ulong)(spec.ReadOnlyRootFs ? ReadOnly : None), options);
        }
        foreach (var file in spec.EtcFiles)
        {
            Sys.Mount(file.Source, SecurePath.Join(root, file.Destination), null, (ulong)Bind);
        }
    }
}
