namespace ContainerPS.Runtime.Cli;

/// <summary>What --version and --help print.</summary>
internal static class RuntimeInfo
{
    public static string Version =>
        $"containerps-runtime version {typeof(RuntimeInfo).Assembly.GetName().Version}\nspec: {Core.Oci.OciState.Version}\n";

    public const string Usage = """
        containerps-runtime: an OCI runtime (runc's command line), and the shim of the ContainerPS module.

        usage: containerps-runtime [global flags] COMMAND [flags] ID [...]

        global flags:
          --root DIR            the state store (default /run/containerps, the module's own)
          --log FILE            where errors go (default stderr)
          --log-format text|json
          --debug               accepted; nothing more is logged
          --systemd-cgroup      refused: cgroups are managed through cgroupfs

        commands:
          create --bundle DIR [--pid-file F] [--console-socket S] [--preserve-fds N] [--no-pivot] ID
          start ID
          run [--bundle DIR] [--detach] [--keep] [--pid-file F] [--console-socket S] ID
          state ID                  the runtime spec's state JSON
          kill [--all] ID [SIGNAL]  SIGTERM unless named
          delete [--force] ID
          exec [--process F | flags ID COMMAND...] [--detach] [--pid-file F] [--tty --console-socket S]
               [--env K=V] [--cwd DIR] [--user UID[:GID]] [--cap CAP] [--no-new-privs] [--preserve-fds N]
          ps [--format table|json] ID
          pause ID / resume ID
          list [-q] [--format table|json]
          update [--resources FILE|-] [--memory M] [--pids-limit N] ... ID
          spec [--bundle DIR]       a default config.json
          features                  what this runtime supports, as JSON

        """;
}
