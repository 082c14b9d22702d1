using ContainerPS.Core.Interop;
namespace ContainerPS.Core.Containers;

/// <summary>
/// Finds containers by id (full or a unique prefix), by exact name, or lists them all. Each record is read on its
/// own: one that cannot be read is reported by itself and never hides the others.
/// </summary>
public static class ContainerQuery
{
    /// <summary>
    /// Every container, oldest first: those read whole, and as Damaged those a killed create left (a directory without
    /// spec.json, or a name without a directory). A record whose files cannot be read goes to <paramref name="damaged"/>.
    /// </summary>
    public static IEnumerable<Container> All(ContainerStore store, Action<RecordDamagedException>? damaged = null)
    {
        var found = new List<Container>();
        foreach (var id in store.Ids())
        {
            try
            {
                if (store.Load(id) is { } container)
                {
                    found.Add(container);
                }
            }
            catch (RecordDamagedException e)
            {
                damaged?.Invoke(e);
            }
        }
        found.AddRange(store.DanglingNames().Select(link => store.Damaged(link.Id)));
        return found.OrderBy(c => c.CreatedAt);
    }

    /// <summary>
    /// The container a name or id names, or throws ContainerNotFound. A record that cannot be read throws
    /// ContainerRecordDamaged, unless <paramref name="acceptDamaged"/> (for a forced removal): then it is a Damaged container.
    /// </summary>
    public static Container Find(ContainerStore store, string nameOrId, bool acceptDamaged = false)
    {
        if (store.ResolveName(nameOrId) is { } byName)
        {
            // A name whose directory is gone is what a create killed early left: found, so it can be removed.
            return Load(store, byName, acceptDamaged) ?? store.Damaged(byName);
        }
        return FindById(store, nameOrId, acceptDamaged);
    }

    /// <summary>
    /// The container an id or a unique id prefix (4 or more characters) names; names are not looked at, so an id never
    /// picks a container that happens to be named like it.
    /// </summary>
    public static Container FindById(ContainerStore store, string id, bool acceptDamaged = false)
    {
        var matches = id.Length >= 4 ? store.Ids().Where(each => each.StartsWith(id, StringComparison.Ordinal)).ToArray() : [];
        if (matches.Length > 1)
        {
            throw new ContainerPSException("ContainerIdAmbiguous", FailureKind.InvalidArgument,
                $"The id prefix '{id}' matches {matches.Length} containers. Give more characters of the id, or the name.", id);
        }
        if (matches.Length == 1 && Load(store, matches[0], acceptDamaged) is { } container)
        {
            return container;
        }
        throw new ContainerPSException("ContainerNotFound", FailureKind.ObjectNotFound,
            $"No container has the name or id '{id}'. Get-Container lists the containers there are.", id);
    }

    private static Container? Load(ContainerStore store, string id, bool acceptDamaged)
    {
        try
        {
            return store.Load(id);
        }
        catch (RecordDamagedException) when (acceptDamaged)
        {
            return store.Damaged(id);
        }
    }
}
