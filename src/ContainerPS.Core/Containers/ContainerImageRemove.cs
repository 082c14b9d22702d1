using ContainerPS.Core.Images;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Containers;

/// <summary>
/// Remove-ContainerImage: refuses an image a container was made from unless forced (forced, the record goes and its
/// layers stay as long as those containers do, as docker rmi -f leaves a container running), then collects what
/// nothing needs any more.
/// </summary>
public static class ContainerImageRemove
{
    /// <summary>The containers made from the image; throws ImageInUse when there are some and no force. Changes nothing.</summary>
    public static void Check(ContainerStore store, ContainerImage image, bool force)
    {
        var users = Users(store, image);
        if (users.Length > 0 && !force)
        {
            throw new ContainerPSException("ImageInUse", FailureKind.InvalidOperation,
                $"Image {image} is the image of {users.Length} container(s) ({string.Join(", ", users.Take(5))}). Remove them first (Get-Container | Where-Object ImageId -eq '{image.Id}' | Remove-Container -Force), or give -Force to remove the image's record while they keep its layers.", image);
        }
    }

    public static void Run(ContainerStore store, ImageStore images, ContainerImage image, bool force) =>
        // Checked again under the collection lock: a container created since the first check has its spec by then.
        ImageGarbage.Collect(images, () => LayersInUse(store), () =>
        {
            Check(store, image, force);
            images.DeleteRecord(image);
        });

    /// <summary>
    /// Takes one name off an image that has others, as docker rmi does with a name: the image, its other names and its
    /// layers stay. True when it did; false when <paramref name="name"/> is the image's last name (then it is removed).
    /// </summary>
    public static bool Untag(ImageStore images, ContainerImage image, string name)
    {
        using (images.LockRecords())
        {
            var current = images.Record(image.ImageDigest) ?? image;
            if (!current.Names.Contains(name) || current.Names.Length < 2)
            {
                return false;
            }
            images.WriteRecord(current with { Names = current.Names.Where(n => n != name).ToArray() });
            return true;
        }
    }

    /// <summary>A record that cannot be read (its file named by the id): the file goes, and what only it named with it.</summary>
    public static void RunDamaged(ContainerStore store, ImageStore images, string hex) =>
        ImageGarbage.Collect(images, () => LayersInUse(store), () => File.Delete(images.RecordPath(new Digest(hex))));

    /// <summary>The names of the containers whose spec names the image.</summary>
    private static string[] Users(ContainerStore store, ContainerImage image) =>
        Specs(store).Where(s => s.Image == image.Id).Select(s => s.Name).ToArray();

    private static IEnumerable<string> LayersInUse(ContainerStore store) =>
        Specs(store).SelectMany(s => s.ImageLayers);

    /// <summary>Every readable spec; a damaged one cannot say its layers, and its overlayfs (if any) is unmounted by its removal.</summary>
    private static IEnumerable<ContainerSpec> Specs(ContainerStore store)
    {
        foreach (var id in store.Ids())
        {
            ContainerSpec? spec = null;
            try
            {
                spec = store.ReadSpec(id);
            }
            catch (RecordDamagedException)
            {
            }
            if (spec is not null)
            {
                yield return spec;
            }
        }
    }
}
