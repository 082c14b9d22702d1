using System.Text;

namespace ContainerPS.Core.Interop;

/// <summary>NUL-terminated UTF-8, the form every path and string argument takes at the syscall boundary.</summary>
internal static class Utf8
{
    public static byte[]? Z(string? value) => value is null ? null : Encoding.UTF8.GetBytes(value + "\0");
}
