using ContainerPS.Core.Containers;
using ContainerPS.Runtime.Cli;

// containerps-runtime is two programs in one binary:
// - the per-container monitor of the ContainerPS module, the one process of its container model that must not be the
//   PowerShell session. It clones the container's process, which sets the container up from a prepared list of system
//   calls and waits on the exec fifo; it holds stdio, reaps, and records the exit.
//     shim <state-dir>   the shim of the container in <state-dir>
//     spare              started ahead by the module; reads the state directory from stdin, then runs as its shim
//   A shim that has its container shows itself in ps as `containerps-runtime shim ID NAME` (ProcessTitle).
// - an OCI runtime with runc's command line (create, start, state, kill, delete, exec, ...), which containerd and
//   podman drive; there the engine's shim, not ours, holds the container (RuntimeCommandLine).
return args switch
{
    ["shim", var stateDir] => ShimProcess.Run(stateDir),
    ["spare"] => ShimProcess.RunSpare(),
    _ => RuntimeCommandLine.Run(args),
};
