using System.Formats.Tar;
using System.IO.Compression;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Containers;

/// <summary>
/// Export-Container, docker export: the container's root as the host sees it, one tar (gzip'd for a path ending
/// in .gz): an image container's merged overlayfs (whiteouts already applied), a -RootFs container's directory. The
/// runtime's own mounts (/proc, /dev, /sys, /tmp) live in the container's mount namespace only, so they are not in it.
/// Written beside the target and renamed into place.
/// </summary>
public static class ContainerExport
{
    public static void Run(ContainerStore store, Container container, string path)
    {
        Images.ExportTarget.Check(path);
        var spec = store.ReadSpec(container.Id) ?? throw new ContainerPSException("ContainerNotFound", FailureKind.ObjectNotFound,
            $"Container '{container.Name}' was removed meanwhile.", container);
        var temp = Images.ExportTarget.Partial(path);
        try
        {
            using (var file = File.Create(temp))
            using (var stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionLevel.Fastest) : (Stream)file)
            using (var writer = new TarWriter(stream, TarEntryFormat.Pax))
            {
                ContainerRootTar.Write(writer, spec.RootFs, overlayUpper: false);
            }
            File.Move(temp, path);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
