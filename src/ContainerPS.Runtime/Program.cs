using ContainerPS.Core.Containers;

// containerps-runtime: the two processes of the container model that must not be the PowerShell session.
//   shim <state-dir>   per-container monitor: clones init into the namespaces, holds stdio, records the exit
//   init <state-dir>   inside the namespaces: builds the filesystem, waits on the exec fifo, execs the command
return args switch
{
    ["shim", var stateDir] => ShimProcess.Run(stateDir, Environment.ProcessPath!),
    ["init", var stateDir] => InitProcess.Run(stateDir),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: containerps-runtime shim|init <state-dir>\n(started by the ContainerPS module, not by hand)");
    return 2;
}
