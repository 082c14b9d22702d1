namespace ContainerPS.Core.Interop;

/// <summary>Symbolic errno names, so messages and ErrorIds say EPERM rather than 1.</summary>
public static class ErrnoName
{
    public static string Of(int errno) => Enum.GetName((Errno)errno) ?? $"errno {errno}";
}
