using System.Formats.Tar;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Rootfs;

namespace ContainerPS.Core.Images;

/// <summary>
/// A tar file given to Import-ContainerImage: an image archive (an OCI layout's or a docker-archive's files, which
/// are unpacked into the store's tmp/ to be read by path) or a root filesystem (one layer, as docker import takes it).
/// </summary>
internal static class ImageArchive
{
    public enum Kind { OciLayout, DockerArchive, RootFs }

    /// <summary>Reads the archive's names (not its data) for an OCI layout's index.json or a docker-archive's manifest.json at its top.</summary>
    public static Kind Recognize(string path)
    {
        using var file = File.OpenRead(path);
        using var stream = LayerUnpacker.Decompressed(file, $"'{path}'");
        var names = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            using var reader = new TarReader(stream);
            while (reader.GetNextEntry() is { } entry)
            {
                names.Add(entry.Name.TrimStart('.', '/'));
            }
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException or FormatException)
        {
            throw new ContainerPSException("ImageFormatNotRecognized", FailureKind.InvalidData,
                $"'{path}' is not a tar archive ({e.Message}). Give an OCI image layout (directory or tar), a docker-archive (docker save, skopeo copy docker-archive:) or a root filesystem tar.", path, e);
        }
        return names.Contains("manifest.json") ? Kind.DockerArchive
            : names.Contains("index.json") && names.Contains("oci-layout") ? Kind.OciLayout
            : Kind.RootFs;
    }

    /// <summary>The archive's files and directories (symlinks too, docker save links repeated layers) under <paramref name="dir"/>; nothing outside it.</summary>
    public static void Extract(string path, string dir)
    {
        using var file = File.OpenRead(path);
        using var stream = LayerUnpacker.Decompressed(file, $"'{path}'");
        using var reader = new TarReader(stream);
        var root = Path.GetFullPath(dir);
        while (reader.GetNextEntry() is { } entry)
        {
            var relative = string.Join('/', entry.Name.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != "."));
            var target = Path.GetFullPath(Path.Combine(root, relative));
            if (relative.Split('/').Contains("..") || !target.StartsWith(root + "/", StringComparison.Ordinal) && target != root)
            {
                throw new ContainerPSException("ImageArchiveEntryEscapes", FailureKind.InvalidData,
                    $"'{path}' holds '{entry.Name}', which would be written outside the archive's directory. Nothing was imported.", entry.Name);
            }
            if (relative.Length == 0)
            {
                continue;
            }
            // Never through a symlink an earlier entry made: a link to /etc and then link/cron.d/x would write the host's.
            RefuseLinksOnTheWay(root, relative, path, entry.Name);
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    Directory.CreateDirectory(target);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    entry.ExtractToFile(target, overwrite: true);
                    break;
                case TarEntryType.SymbolicLink:
                    // Kept for docker save's repeated layers; followed only by Resolve, which keeps them inside.
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    File.CreateSymbolicLink(target, entry.LinkName);
                    break;
            }
        }
    }

    private static void RefuseLinksOnTheWay(string root, string relative, string archive, string entryName)
    {
        var current = root;
        foreach (var part in relative.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, part);
            if (new FileInfo(current).LinkTarget is not null)
            {
                throw new ContainerPSException("ImageArchiveEntryEscapes", FailureKind.InvalidData,
                    $"'{archive}' holds '{entryName}', which goes through or over a symbolic link the archive made ({Path.GetRelativePath(root, current)}). Nothing was imported.", entryName);
            }
        }
    }

    /// <summary>
    /// A file named by an archive's own documents, its symlinks resolved inside the directory as a container's root
    /// resolves them (an absolute one from the directory, ".." stopping there), so no name reaches a host file.
    /// </summary>
    public static string Resolve(string dir, string relative, string what)
    {
        var real = SecurePath.Join(Path.GetFullPath(dir), relative);
        if (!File.Exists(real))
        {
            throw new ContainerPSException("ImageBlobMissing", FailureKind.ObjectNotFound,
                $"{what} names '{relative}', which {dir} does not hold: the layout or archive is incomplete. Nothing was imported.", relative);
        }
        return real;
    }
}
