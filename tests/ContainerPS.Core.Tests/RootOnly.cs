namespace ContainerPS.Core.Tests;

/// <summary>Tests that make namespaces, mounts or cgroups need root; run as another user they skip and say why.</summary>
internal static class RootOnly
{
    public static void Require() =>
        Skip.IfNot(Environment.UserName == "root" || Tmds.Linux.LibC.geteuid() == 0,
            "needs root: it creates namespaces, mounts and cgroups on the real kernel");
}
