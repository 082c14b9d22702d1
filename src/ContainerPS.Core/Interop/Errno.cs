namespace ContainerPS.Core.Interop;

/// <summary>The errno values the code branches on (x86_64/generic Linux numbering).</summary>
public enum Errno
{
    EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EBADF = 9, ECHILD = 10, EAGAIN = 11, ENOMEM = 12, EACCES = 13,
    EBUSY = 16, EEXIST = 17, ENODEV = 19, ENOTDIR = 20, EINVAL = 22, ENOSPC = 28, EROFS = 30, ERANGE = 34, ENOSYS = 38,
    ENOTEMPTY = 39, ELOOP = 40, EOPNOTSUPP = 95,
}
