using ContainerPS.Core.Images;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Containers;

/// <summary>
/// A container's root made from an image, as containerd's overlayfs snapshotter makes it: the image's layer
/// directories, top first, as overlayfs's read-only lowers, and an upper and work directory of its own in its state
/// directory, so two containers of one image never see each other's writes and the layers are never written. The
/// mount is made in the host's mount namespace under the state directory, where removal (and a Damaged record's
/// removal) unmounts whatever is mounted there.
/// </summary>
public static class ContainerImageRoot
{
    /// <summary>A page: mount(2) takes at most this many bytes of options.</summary>
    private const int MaxMountOptions = 4095;

    public static string Mount(ImageStore images, ContainerImage image, string stateDir, Rollback rollback)
    {
        var root = Path.Combine(stateDir, "rootfs");
        var upper = Path.Combine(stateDir, "diff");
        var work = Path.Combine(stateDir, "work");
        foreach (var dir in new[] { root, upper, work })
        {
            Directory.CreateDirectory(dir);
        }
        // A layer an image repeats (the empty layer of old docker builds) is listed once, at its topmost place: the
        // lower copy can only show what the upper one shows, and overlayfs refuses a lowerdir named twice.
        var lowers = Enumerable.Reverse(image.Layers).DistinctBy(layer => layer.DiffId).Select(layer =>
        {
            var path = images.LayerPath(Digest.Parse(layer.DiffId, $"image {image}"));
            return Directory.Exists(path) ? path : throw new ContainerPSException("ImageLayerMissing", FailureKind.ObjectNotFound,
                $"Layer {layer.DiffId} of image {image} is missing from the store at {path}. Import or pull the image again.", image);
        }).ToArray();
        // No redirects and no metadata-only copy-up, whatever the kernel's defaults: the upper directory then holds every
        // change whole, which is what New-ContainerImage tars as the container's layer.
        var options = $"lowerdir={string.Join(':', lowers)},upperdir={upper},workdir={work},redirect_dir=off,metacopy=off";
        if (options.Length > MaxMountOptions)
        {
            throw new ContainerPSException("ImageTooManyLayers", FailureKind.InvalidArgument,
                $"Image {image} has {lowers.Length} layers, whose paths in the store ({images.Root}) are more than overlayfs's mount options can hold ({options.Length} bytes of {MaxMountOptions}). Flatten the image, or keep the store at a shorter path with CONTAINERPS_IMAGE_ROOT.", image);
        }
        Sys.Mount("overlay", root, "overlay", 0, options);
        rollback.Add("overlay root " + root, () => Sys.Unmount(root, 2 /* MNT_DETACH */));
        return root;
    }
}
