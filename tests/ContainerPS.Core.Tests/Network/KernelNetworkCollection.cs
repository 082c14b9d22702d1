namespace ContainerPS.Core.Tests.Network;

/// <summary>
/// The tests that make real links, addresses, routes and namespaces run one after another, so the churn test's
/// timing and the agreement checks against `ip` never see another of these tests half-way.
/// </summary>
[CollectionDefinition(Name)]
public sealed class KernelNetworkCollection
{
    public const string Name = "kernel network";
}
