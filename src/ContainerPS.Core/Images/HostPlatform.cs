using System.Runtime.InteropServices;

namespace ContainerPS.Core.Images;

/// <summary>The platform images must be for here, in the OCI image spec's words (GOOS/GOARCH).</summary>
public static class HostPlatform
{
    public const string Os = "linux";

    public static string Architecture => RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "amd64",
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.X86 => "386",
        System.Runtime.InteropServices.Architecture.Arm => "arm",
        var other => other.ToString().ToLowerInvariant(),
    };

    public static string Name => Os + "/" + Architecture;

    public static bool Matches(string? os, string? architecture) => os == Os && architecture == Architecture;
}
