using ContainerPS.Core.Images;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Containers;

/// <summary>
/// What a container takes from its image's config unless New-Container says otherwise, as docker run reads them:
/// Entrypoint, then Cmd as its arguments (-Command replaces Cmd; -Entrypoint replaces Entrypoint and drops Cmd),
/// Env under -Environment, WorkingDir, and User (resolved later in the image's own /etc/passwd and /etc/group).
/// </summary>
public static class ImageDefaults
{
    public static CreateOptions Apply(CreateOptions options, ImageConfig config, ContainerImage image, string rootfs)
    {
        // -Entrypoint '' clears the image's, as docker run --entrypoint "" does.
        var entrypoint = options.Entrypoint?.Where(part => part.Length > 0).ToArray() ?? config.Entrypoint ?? [];
        var arguments = options.Command ?? (options.Entrypoint is null ? config.Cmd : null) ?? [];
        var command = entrypoint.Concat(arguments).ToArray();
        if (command.Length == 0)
        {
            throw new ContainerPSException("ImageHasNoCommand", FailureKind.InvalidArgument,
                $"Image {image} sets neither Entrypoint nor Cmd, so there is nothing to run. Give -Command (e.g. -Command sh).", image);
        }
        var environment = new Dictionary<string, string>();
        foreach (var variable in config.Env)
        {
            var equals = variable.IndexOf('=');
            environment[equals < 0 ? variable : variable[..equals]] = equals < 0 ? "" : variable[(equals + 1)..];
        }
        foreach (var (key, value) in options.Environment)
        {
            environment[key] = value;
        }
        return options with
        {
            RootFs = rootfs,
            Entrypoint = null,
            Command = command,
            Environment = environment,
            WorkingDirectory = options.WorkingDirectory ?? config.WorkingDir,
            User = options.User ?? config.User,
        };
    }
}
