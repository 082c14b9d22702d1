namespace ContainerPS.Core.Interop;

/// <summary>Symbolic errno names, so messages and ErrorIds say EPERM rather than 1.</summary>
public static class ErrnoName
{
    private static readonly Dictionary<int, string> Names = new()
    {
        [1] = "EPERM", [2] = "ENOENT", [3] = "ESRCH", [4] = "EINTR", [5] = "EIO", [6] = "ENXIO",
        [7] = "E2BIG", [8] = "ENOEXEC", [9] = "EBADF", [10] = "ECHILD", [11] = "EAGAIN", [12] = "ENOMEM",
        [13] = "EACCES", [14] = "EFAULT", [16] = "EBUSY", [17] = "EEXIST", [18] = "EXDEV", [19] = "ENODEV",
        [20] = "ENOTDIR", [21] = "EISDIR", [22] = "EINVAL", [23] = "ENFILE", [24] = "EMFILE", [25] = "ENOTTY",
        [26] = "ETXTBSY", [27] = "EFBIG", [28] = "ENOSPC", [30] = "EROFS", [31] = "EMLINK", [32] = "EPIPE",
        [34] = "ERANGE", [36] = "ENAMETOOLONG", [38] = "ENOSYS", [39] = "ENOTEMPTY", [40] = "ELOOP",
        [61] = "ENODATA", [75] = "EOVERFLOW", [93] = "EPROTONOSUPPORT", [95] = "EOPNOTSUPP",
        [97] = "EAFNOSUPPORT", [98] = "EADDRINUSE", [99] = "EADDRNOTAVAIL", [105] = "ENOBUFS",
        [110] = "ETIMEDOUT", [111] = "ECONNREFUSED", [122] = "EDQUOT",
    };

    public static string Of(int errno) => Names.TryGetValue(errno, out var name) ? name : $"errno {errno}";
}
