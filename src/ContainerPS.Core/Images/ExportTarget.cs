using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Images;

/// <summary>Where an export may write: a path that does not exist yet, in a directory that does.</summary>
public static class ExportTarget
{
    /// <summary>The hidden name beside the target an export is written under, then renamed from, so no half export bears the name asked for.</summary>
    public static string Partial(string path) => Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "." + Path.GetFileName(path) + ".partial");

    public static void Check(string path)
    {
        if (Path.Exists(path))
        {
            throw new ContainerPSException("ExportTargetExists", FailureKind.ResourceExists,
                $"'{path}' exists already. Name a path that does not, or remove it first.", path);
        }
        var parent = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (!Directory.Exists(parent))
        {
            throw new ContainerPSException("ExportDirectoryNotFound", FailureKind.ObjectNotFound,
                $"The directory '{parent}' that '{path}' would be written in does not exist. Make it first (New-Item -ItemType Directory).", path);
        }
    }
}
