using System.Security.Cryptography;
using ContainerPS.Core.Cgroups;
using ContainerPS.Core.Interop;
using ContainerPS.Core.ContainerNetworks;
using ContainerPS.Core.Images;

namespace ContainerPS.Core.Containers;

/// <summary>
/// Creates a container: validates, records spec and name, makes the exec fifo and the cgroup, and starts the
/// shim, which reports once the container's process waits in the new namespaces (state Created). On a container network, the address
/// is leased first and the veth made into that process's net namespace once the shim has reported. Each step is recorded in a
/// <see cref="Rollback"/>; a failure anywhere removes all of it.
/// </summary>
public static class ContainerCreate
{
    /// <param name="images">The image store <see cref="CreateOptions.Image"/> is in; needed only with an image.</param>
    public static Container Run(ContainerStore store, CreateOptions options, string runtimePath, ImageStore? images = null)
    {
        var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
        // With an image, the root to check the command and user in exists only once its overlayfs is mounted.
        var spec = options.Image is null ? SpecValidation.ToSpec(options, id) : null;
        if (options.Image is not null && Rootless.Active)
        {
            throw new ContainerPSException("ImageNeedsRoot", FailureKind.PermissionDenied,
                "-Image mounts the image's layers with overlayfs in the host's mount namespace and reads root's image store, which only root may. Give -RootFs with a directory of your own instead.", options.Image);
        }
        if (options.Image is not null && (options.UserNamespace || options.UidMap.Length + options.GidMap.Length > 0))
        {
            throw new ContainerPSException("ImageUserNamespaceUnsupported", FailureKind.InvalidArgument,
                "-Image with -UserNamespace, -UidMap or -GidMap is not supported yet: the image's layers belong to host root, which the container's user namespace does not map, so its root would see every file as nobody's. Give -RootFs with a directory for a user namespace.", options.Image);
        }
        var network = ContainerNetworkRequest.For(store, options);
        // Held from the mount until spec.json names the layers, which then keeps them: no collection can take them meanwhile.
        using var content = options.Image is null ? null : images!.UseContent();
        return Rollback.Run(rollback =>
        {
            // The directory before the name: a kill between them leaves a record that lists as Damaged and is
            // removed like one, where a name pointing at no directory would hold the name with nothing to remove.
            store.CreateDir(id);
            rollback.Add("state directory " + store.Dir(id), () => Directory.Delete(store.Dir(id), recursive: true));
            CrashPoint.Reach("create:state-dir-made");
            if (options.Image is { } image)
            {
                var root = ContainerImageRoot.Mount(images!, image, store.Dir(id), rollback);
                var fromImage = ImageDefaults.Apply(options, ImageAssembly.ConfigOf(images!, image), image, root);
                spec = SpecValidation.ToSpec(fromImage, id) with
                {
                    Image = image.Id,
                    ImageName = image.Names.FirstOrDefault() ?? image.ShortId,
                    ImageLayers = image.Layers.Select(l => l.DiffId).ToArray(),
                };
            }
            store.ReserveName(spec!.Name, id);
            rollback.Add("name " + spec.Name, () => store.ReleaseName(spec.Name, id));
            CrashPoint.Reach("create:name-reserved");
            if (options.UserNamespace && spec.UidMap.Length == 0)
            {
                using (SubordinateIds.Lock(store))
                {
                    var (uids, gids) = SubordinateIds.Allocate(store);
                    spec = spec with { UidMap = uids, GidMap = gids, Namespaces = spec.Namespaces | Namespaces.NamespaceKind.User };
                    store.WriteSpec(spec); // the record that holds the block, written before the lock goes
                }
            }
            ContainerNetworkAttachment? lease = null;
            if (network is not null)
            {
                // The address is known before the process starts, so /etc/hosts can name it; the veth follows once the process exists.
                lease = ContainerNetworkConnect.Reserve(store, network, id, spec.Name, 0, rollback);
                CrashPoint.Reach("create:leased");
                spec = WithEtcFiles(spec, ContainerEtcFiles.Create(store.Dir(id), spec.Name, spec.Hostname, [lease.IPAddress]));
            }
            else if (spec.Slirp4netns is not null)
            {
                spec = WithEtcFiles(spec, ContainerEtcFiles.Create(store.Dir(id), spec.Name, spec.Hostname, [SlirpNetwork.Address], SlirpNetwork.Nameserver));
            }
            store.WriteSpec(spec);
            ContainerSeccomp.Write(spec, store.Dir(id));
            Sys.MakeFifo(store.FifoPath(id), 0x180 /* 0600 */);
            // Made by a user other than root, everything here is already that user's, root's inside.
            if (!Rootless.Active && ContainerIdMaps.HostRoot(spec) is { } owner)
            {
                // Root inside is this id outside: it opens the fifo for writing, and mounts /etc's layer and files from
                // the state directory, which its group may now pass through (0710) and no other user may.
                Sys.Chown(store.FifoPath(id), owner.Uid, owner.Gid);
                foreach (var file in spec.EtcFiles)
                {
                    Sys.Chown(file.Source, owner.Uid, owner.Gid); // root's inside, as /etc/hosts is in any container
                }
                Sys.Chown(store.Dir(id), 0, owner.Gid);
                File.SetUnixFileMode(store.Dir(id), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute);
            }
            CrashPoint.Reach("create:spec-written");

            // The shim starts first, so its process start overlaps making the cgroup; it clones the container's process into the group on "go".
            // Not `using`: a rollback must still reach the shim, and runs after this scope's disposals.
            var shim = ShimLaunch.Start(store.Dir(id), runtimePath, spec.Name);
            rollback.Add("shim", shim.Abort);
            CrashPoint.Reach("create:shim-started");
            var cgroup = Cgroup.ForContainer(id);
            cgroup.Create();
            rollback.Add("cgroup " + cgroup.Path, () =>
            {
                cgroup.KillAll();
                cgroup.Remove();
            });
            if (!spec.Privileged)
            {
                // Before the process exists: from its first system call it can open and mknod only these devices.
                cgroup.RestrictDevices(Security.DeviceAllowList.For(spec.Devices.Select(d => d.Rule)));
            }
            if (options.Limits is { } limits)
            {
                cgroup.Apply(limits);
            }

            CrashPoint.Reach("create:cgroup-made");
            var pid = shim.Go();
            CrashPoint.Reach("create:process-made");
            if (lease is not null)
            {
                // The process now waits on the exec fifo inside its namespaces: its net namespace gets the veth before anything runs.
                ContainerNetworkConnect.Wire(store, lease, pid, rollback);
                ContainerNetworkConnect.MarkWired(store, lease);
            }
            CrashPoint.Reach("create:wired");
            shim.Dispose();
            return store.Load(id)!;
        });
    }

    /// <summary>The /etc files a network gives, less any the user mounts there: those are theirs to give.</summary>
    private static ContainerSpec WithEtcFiles(ContainerSpec spec, MountSpec[] etc) =>
        spec with { EtcFiles = etc.Where(e => !spec.Mounts.Any(m => m.Destination == e.Destination)).ToArray() };
}
