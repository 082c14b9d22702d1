namespace ContainerPS.Cmdlets.Tests;

/// <summary>Container tests need root (namespaces, mounts, cgroups); run as another user they skip and say why.</summary>
internal static class RootOnly
{
    public static void Require() =>
        Skip.IfNot(Environment.UserName == "root", "needs root: it creates namespaces, mounts and cgroups on the real kernel");
}
