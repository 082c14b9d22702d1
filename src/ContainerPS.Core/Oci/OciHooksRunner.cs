using System.Diagnostics;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Oci;

/// <summary>
/// Runs a bundle's hooks in the runtime's namespaces, one after the other, each with the container's state as JSON on
/// its stdin, its own args and env (nothing of ours), and its timeout. A hook that fails or times out fails the
/// command that ran it, naming the hook, its exit code and what it wrote to stderr.
/// </summary>
public static class OciHooksRunner
{
    public static void Run(string kind, IEnumerable<OciHook> hooks, OciState state)
    {
        foreach (var hook in hooks)
        {
            RunOne(kind, hook, state);
        }
    }

    private static void RunOne(string kind, OciHook hook, OciState state)
    {
        var start = new ProcessStartInfo(hook.Path)
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        // args[0] is the program's own name; .NET sets argv[0] to the path, which every hook we know of accepts.
        foreach (var argument in hook.Args.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment.Clear();
        foreach (var entry in hook.Env)
        {
            var equals = entry.IndexOf('=');
            if (equals > 0)
            {
                start.Environment[entry[..equals]] = entry[(equals + 1)..];
            }
        }
        using var process = StartOrFail(kind, hook, start);
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        try
        {
            process.StandardInput.BaseStream.Write(state.ToJson(indented: false));
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The hook did not read its stdin; its exit code says whether that mattered.
        }
        if (!process.WaitForExit(hook.TimeoutSeconds is { } seconds ? seconds * 1000 : -1))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new ContainerPSException("HookTimedOut", FailureKind.OperationTimeout,
                $"error running {kind} hook {hook.Path}: timed out after {hook.TimeoutSeconds}s", hook.Path);
        }
        stdout.Wait();
        if (process.ExitCode != 0)
        {
            throw new ContainerPSException("HookFailed", FailureKind.InvalidOperation,
                $"error running {kind} hook {hook.Path}: exit status {process.ExitCode}, stderr: {stderr.Result.Trim()}", hook.Path);
        }
    }

    private static Process StartOrFail(string kind, OciHook hook, ProcessStartInfo start)
    {
        try
        {
            return Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ContainerPSException("HookFailed", FailureKind.ObjectNotFound, $"error running {kind} hook {hook.Path}: {e.Message}", hook.Path, e);
        }
    }
}
