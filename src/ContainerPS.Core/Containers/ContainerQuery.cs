namespace ContainerPS.Core.Containers;

/// <summary>Finds containers by id (full or a unique prefix), by exact name, or lists them all.</summary>
public static class ContainerQuery
{
    public static IEnumerable<Container> All(ContainerStore store) =>
        store.Ids().Select(store.Load).OfType<Container>().OrderBy(c => c.CreatedAt);

    /// <summary>The container a name or id names, or throws ContainerNotFound.</summary>
    public static Container Find(ContainerStore store, string nameOrId)
    {
        if (store.ResolveName(nameOrId) is { } byName && store.Load(byName) is { } named)
        {
            return named;
        }
        var matches = store.Ids().Where(id => id.StartsWith(nameOrId, StringComparison.Ordinal)).ToArray();
        if (matches.Length == 1 && nameOrId.Length >= 4 && store.Load(matches[0]) is { } byId)
        {
            return byId;
        }
        if (matches.Length > 1 && nameOrId.Length >= 4)
        {
            throw new ContainerPSException("ContainerIdAmbiguous", FailureKind.InvalidArgument,
                $"The id prefix '{nameOrId}' matches {matches.Length} containers. Give more characters of the id, or the name.", nameOrId);
        }
        throw new ContainerPSException("ContainerNotFound", FailureKind.ObjectNotFound,
            $"No container has the name or id '{nameOrId}'. Get-Container lists the containers there are.", nameOrId);
    }
}
