using ContainerPS.Core.Containers;

// containerps-runtime shim <state-dir>: the per-container monitor, the one process of the container model that must
// not be the PowerShell session. It clones the container's process, which sets the container up from a prepared list
// of system calls and waits on the exec fifo; it holds stdio, reaps, and records the exit.
return args switch
{
    ["shim", var stateDir] => ShimProcess.Run(stateDir),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: containerps-runtime shim <state-dir>\n(started by the ContainerPS module, not by hand)");
    return 2;
}
