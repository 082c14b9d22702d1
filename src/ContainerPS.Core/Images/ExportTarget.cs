using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Images;

/// <summary>Where an export may write: a path that does not exist yet, in a directory that does.</summary>
public static class ExportTarget
{
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
