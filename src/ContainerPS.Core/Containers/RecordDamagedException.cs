using ContainerPS.Core.Interop;
namespace ContainerPS.Core.Containers;

/// <summary>
/// A record in the store that cannot be read: a file of a container (spec.json, state.json) or of a network
/// (network.json, leases.json) that is truncated, not JSON, or lacks what it must hold. It names the record and the
/// file, so one damaged record is one error about it and never hides the others.
/// </summary>
public sealed class RecordDamagedException : ContainerPSException
{
    private RecordDamagedException(string reason, string message, string record, string file, Exception inner)
        : base(reason, FailureKind.InvalidData, message, record, inner)
    {
        File = file;
    }

    /// <summary>The damaged file.</summary>
    public string File { get; }

    /// <summary>A container's record: the target is its id, so the error's TargetObject pipes into Remove-Container -Id.</summary>
    public static RecordDamagedException OfContainer(string id, string file, Exception problem) =>
        new("ContainerRecordDamaged",
            $"The record of container {id} is damaged: {file} cannot be read ({problem.Message}). Remove-Container -Id {id} -Force removes what is left of it (its processes, cgroup, links and directory).",
            id, file, problem);

    /// <summary>A network's record: the target is the network's name.</summary>
    public static RecordDamagedException OfNetwork(string name, string file, Exception problem) =>
        new("NetworkRecordDamaged",
            $"The record of container network '{name}' is damaged: {file} cannot be read ({problem.Message}). Remove-ContainerNetwork {name} -Force removes what is left of it (its bridge, the links on it and its records).",
            name, file, problem);

    /// <summary>An image's record: the target is its id (the hex of its config digest).</summary>
    public static RecordDamagedException OfImage(string id, string file, Exception problem) =>
        new("ImageRecordDamaged",
            $"The record of image {id} is damaged: {file} cannot be read ({problem.Message}). Remove-ContainerImage -Id {id} removes it; its layers go once nothing else uses them.",
            id, file, problem);
}
