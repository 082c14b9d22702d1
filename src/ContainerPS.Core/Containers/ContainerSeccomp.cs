using ContainerPS.Core.Security.Seccomp;

namespace ContainerPS.Core.Containers;

/// <summary>
/// Which seccomp filter a container's processes run under: the one place that reads <see cref="ContainerSpec.SeccompProfile"/>,
/// for the first process (the shim), every exec, and the check at create.
/// </summary>
public static class ContainerSeccomp
{
    /// <summary>What -SeccompProfile takes besides a path: no filter at all.</summary>
    public const string UnconfinedArgument = "Unconfined";

    /// <summary>
    /// The compiled filter, or null for a container that runs without one (-Privileged or Unconfined). The profile's
    /// capability-gated rules are decided by the capabilities the container keeps (-CapabilityAdd SYS_ADMIN lets mount through).
    /// </summary>
    public static SeccompFilter? FilterFor(ContainerSpec spec)
    {
        if (spec.CapabilityMask is not { } capabilities || spec.SeccompProfile == ContainerSpec.SeccompUnconfined)
        {
            return null;
        }
        var profile = spec.SeccompProfile is null ? SeccompProfileReader.Default : SeccompProfileReader.Read(spec.SeccompProfile);
        return SeccompCompiler.Compile(profile, capabilities);
    }

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
