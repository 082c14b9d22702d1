using ContainerPS.Core.Containers;
using ContainerPS.Core.Interop;

namespace ContainerPS.Runtime.Cli;

/// <summary>A container named by an engine's id: the exact name in the store, never an id prefix; runc's words when there is none.</summary>
internal static class EngineContainers
{
    public static Container Find(ContainerStore store, string id) =>
        TryFind(store, id) ?? throw new ContainerPSException("ContainerNotFound", FailureKind.ObjectNotFound, $"container {id} does not exist", id);

    /// <summary>The container, or null when no record has that id. A record that cannot be read is a Damaged container, so it can be deleted.</summary>
    public static Container? TryFind(ContainerStore store, string id)
    {
        if (store.ResolveName(id) is not { } internalId)
        {
            return null;
        }
        try
        {
            return store.Load(internalId) ?? store.Damaged(internalId);
        }
        catch (RecordDamagedException)
        {
            return store.Damaged(internalId);
        }
    }
}
