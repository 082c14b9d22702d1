namespace ContainerPS.Cmdlets.Tests;

/// <summary>One busybox rootfs shared by a test class (made through the cmdlet), removed after it.</summary>
public sealed class BusyboxRootFs : IDisposable
{
    public BusyboxRootFs()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cps-test-rootfs-" + Guid.NewGuid().ToString("N")[..8]);
        if (Environment.UserName == "root")
        {
            using var session = new PowerShellSession();
            session.Run($"New-ContainerRootFs -Path '{Path}' -Busybox").ThrowOnError();
        }
    }

    public string Path { get; }

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
