namespace ContainerPS.Core.Security;

/// <summary>
/// Who a container's process runs as: set by setgroups, setresgid and setresuid just before execve. Without
/// PR_SET_KEEPCAPS a uid other than 0 loses the permitted and effective capabilities there, as the kernel does for
/// any setuid away from root, and execve gives none back to a non-root user.
/// </summary>
public sealed record ProcessUser(uint Uid, uint Gid, uint[] Groups)
{
    public override string ToString() => $"{Uid}:{Gid}" + (Groups.Length == 0 ? "" : $" groups {string.Join(',', Groups)}");
}
