namespace ContainerPS.Core.Tests.Rootfs;

/// <summary>A scratch directory /tmp/cps-test-*, removed with everything in it when disposed.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("cps-test-").FullName;
    }

    public string Path { get; }

    /// <summary>A path under this directory; nothing is created there.</summary>
    public string Child(string relative) => System.IO.Path.Join(Path, relative);

    // Directory.Delete unlinks symlinks rather than following them, so absolute links in a rootfs are safe to leave in it.
    public void Dispose() => Directory.Delete(Path, recursive: true);
}
