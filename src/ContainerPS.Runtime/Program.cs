using ContainerPS.Core.Containers;

// containerps-runtime: the per-container monitor, the one process of the container model that must not be the
// PowerShell session. It clones the container's process, which sets the container up from a prepared list of system
// calls and waits on the exec fifo; it holds stdio, reaps, and records the exit.
//   shim <state-dir>   the shim of the container in <state-dir>
//   spare              started ahead by the module; reads the state directory from stdin, then runs as its shim
// A shim that has its container shows itself in ps as `containerps-runtime shim ID NAME` (ProcessTitle).
return args switch
{
    ["shim", var stateDir] => ShimProcess.Run(stateDir),
    ["spare"] => ShimProcess.RunSpare(),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: containerps-runtime shim <state-dir> | spare\n(started by the ContainerPS module, not by hand)");
    return 2;
}
