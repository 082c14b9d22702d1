using ContainerPS.Core.Security.Seccomp;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Containers;

/// <summary>
/// Which seccomp filter a container's processes run under: the one place that reads <see cref="ContainerSpec.SeccompProfile"/>,
/// for the first process (the shim), every exec, and the check at create.
/// </summary>
public static class ContainerSeccomp
{
    /// <summary>What -SeccompProfile takes besides a path: no filter at all.</summary>
    public const string UnconfinedArgument = "Unconfined";

    /// <summary>The compiled program beside the spec: made once at create, loaded by the shim and by every exec.</summary>
    public const string FilterFile = "seccomp.bpf";

    /// <summary>
    /// Compiles the container's filter into its state directory, or writes nothing for a container that runs without one
    /// (-Privileged or Unconfined). The profile's capability-gated rules are decided by the capabilities the
    /// container keeps (-CapabilityAdd SYS_ADMIN lets mount through). Compiled here, in the session, so the shim never
    /// parses a profile: it stays small, and an exec does not pay a compile.
    /// </summary>
    public static void Write(ContainerSpec spec, string stateDir)
    {
        if (Confined(spec) is not { } capabilities)
        {
            return;
        }
        var profile = spec.SeccompProfile is null ? SeccompProfileReader.Default : SeccompProfileReader.Read(spec.SeccompProfile);
        File.WriteAllBytes(Path.Combine(stateDir, FilterFile), SeccompCompiler.Compile(profile, capabilities).ToBytes());
    }

    /// <summary>
    /// The filter a container's processes run under, or null for one that runs without. Fails closed: a container
    /// whose spec asks for a filter never runs a process without it, so a missing or damaged program is an error.
    /// </summary>
    public static SeccompFilter? Load(ContainerSpec spec, string stateDir)
    {
        if (Confined(spec) is null)
        {
            return null;
        }
        var path = Path.Combine(stateDir, FilterFile);
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Damaged(spec, path, e.Message, e);
        }
        return SeccompFilter.FromBytes(bytes) ?? throw Damaged(spec, path, $"{bytes.Length} bytes are not a whole number of BPF instructions.", null);
    }

    /// <summary>The capabilities whose gated rules apply, or null when the container runs without a filter.</summary>
    private static ulong? Confined(ContainerSpec spec) =>
        spec.SeccompProfile == ContainerSpec.SeccompUnconfined ? null : spec.CapabilityMask;

    private static ContainerPSException Damaged(ContainerSpec spec, string path, string why, Exception? inner) =>
        new("SeccompFilterDamaged", FailureKind.InvalidOperation,
            $"Container '{spec.Name}' runs under a seccomp filter, and its compiled program {path} cannot be read: {why} No process is started without it. Remove the container (Remove-Container -Force) and create it again.", spec.Name, inner);

    /// <summary>
    /// -SeccompProfile as the spec records it: null, "unconfined", or the file's JSON, read and compiled once here so
    /// a bad profile is refused before anything is made.
    /// </summary>
    public static string? FromArgument(string? argument, bool privileged, ulong capabilities)
    {
        if (argument is null)
        {
            return null;
        }
        if (string.Equals(argument, UnconfinedArgument, StringComparison.OrdinalIgnoreCase))
        {
            return ContainerSpec.SeccompUnconfined;
        }
        if (privileged)
        {
            throw new ContainerPSException("SeccompProfileWithPrivileged", FailureKind.InvalidArgument,
                $"-SeccompProfile '{argument}' has no effect with -Privileged, which runs without a seccomp filter as Docker does. Leave out one of the two.", argument);
        }
        string json;
        try
        {
            json = File.ReadAllText(argument);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ContainerPSException("SeccompProfileNotFound", FailureKind.ObjectNotFound,
                $"The seccomp profile '{argument}' cannot be read: {e.Message} Give the path of an OCI or Docker seccomp JSON file, or Unconfined.", argument, e);
        }
        try
        {
            SeccompCompiler.Compile(SeccompProfileReader.Read(json), capabilities);
        }
        catch (SeccompProfileException e)
        {
            throw new ContainerPSException("InvalidSeccompProfile", FailureKind.InvalidArgument,
                $"The seccomp profile '{argument}' cannot be used: {e.Message}", argument, e);
        }
        return json;
    }
}
