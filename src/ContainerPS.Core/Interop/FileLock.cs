using static Tmds.Linux.LibC;

namespace ContainerPS.Core.Interop;

/// <summary>A flock on a lock file (made if missing, in a directory that must exist), exclusive or shared, waited for; dispose to release it.</summary>
public static class FileLock
{
    public static IDisposable Take(string path, bool exclusive = true)
    {
        // A raw descriptor, not a FileStream: .NET emulates FileShare with non-blocking flocks of its own.
        var fd = Sys.Open(path, O_RDWR | O_CREAT, 0x180);
        try
        {
            Check.Result(LibcCalls.Flock(fd.Value, exclusive ? 2 /* LOCK_EX */ : 1 /* LOCK_SH */), "flock", path);
            return fd;
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }
}
