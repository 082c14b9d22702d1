using System.Management.Automation;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Namespaces;
using ContainerPS.Core.Terminal;

namespace ContainerPS;

/// <summary>
/// What every ContainerPS cmdlet shares: the state store, the runtime helper's path, and one translation of
/// Core failures into ErrorRecords (ErrorId from the failure's reason, the matching category, the target).
/// </summary>
public abstract class ContainerPSCmdlet : PSCmdlet
{
    private static readonly string ModuleDirectory = Path.GetDirectoryName(typeof(ContainerPSCmdlet).Assembly.Location)!;

    protected ContainerStore Store { get; } = OpenStore();

    /// <summary>The store under /run/containerps, unless CONTAINERPS_ROOT names another (the tests' own).</summary>
    internal static ContainerStore OpenStore() => new(Environment.GetEnvironmentVariable("CONTAINERPS_ROOT") ?? ContainerStore.DefaultRoot);

    /// <summary>containerps-runtime beside the module's assemblies (module/bin), unless CONTAINERPS_RUNTIME names another.</summary>
    protected static string RuntimePath =>
        Environment.GetEnvironmentVariable("CONTAINERPS_RUNTIME") ?? Path.Combine(ModuleDirectory, "containerps-runtime");

    protected static ErrorRecord ToErrorRecord(Exception error, object? target) => error switch
    {
        ContainerPSException e => new ErrorRecord(e, e.Reason, CategoryOf(e.Kind), e.Target ?? target),
        NativeException e => new ErrorRecord(e, $"{e.Syscall}.{e.ErrnoName}", CategoryOf(e.Errno), e.Target ?? target),
        UnauthorizedAccessException e => new ErrorRecord(e, "AccessDenied", ErrorCategory.PermissionDenied, target),
        ArgumentException e => new ErrorRecord(e, "InvalidArgument", ErrorCategory.InvalidArgument, target),
        _ => new ErrorRecord(error, error.GetType().Name, ErrorCategory.NotSpecified, target),
    };

    /// <summary>Failures of one item that the pipeline survives; anything else (a stop, a bug) propagates.</summary>
    protected static bool IsItemFailure(Exception e) =>
        e is ContainerPSException or NativeException or IOException or UnauthorizedAccessException or AggregateException or ArgumentException;

    /// <summary>
    /// A line of a process's output, as pwsh treats a native command's: stdout goes down the pipeline, stderr to the
    /// host (an information record tagged PSHOST, which prints like Write-Host and never trips -ErrorAction Stop).
    /// </summary>
    protected void WriteNativeLine(string stream, string text)
    {
        if (stream == "stderr")
        {
            WriteInformation(new InformationRecord(new HostInformationMessage { Message = text }, "stderr") { Tags = { "PSHOST", "stderr" } });
        }
        else
        {
            WriteObject(text);
        }
    }

    /// <summary>
    /// Runs a command inside namespaces as a native command runs: output streamed (or, interactive, a pty wired to
    /// our terminal), $LASTEXITCODE set; or detached, left running on its own.
    /// </summary>
    protected void RunInNamespaces(ExecRequest request, ExecStdio stdio, Func<bool> stopping)
    {
        using var process = NamespaceExec.Start(request, stdio);
        switch (stdio)
        {
            case ExecStdio.Detached:
                WriteVerbose($"Started {request.Executable} as pid {process.Pid}.");
                return;
            case ExecStdio.Terminal:
                TerminalRelay.Run(process.Terminal!, stopping);
                break;
            default:
                process.RelayOutput(WriteNativeLine);
                break;
        }
        SetExitCode(process.Wait());
    }

    /// <summary>An -Environment hashtable as name/value strings ($null values become empty strings).</summary>
    protected static Dictionary<string, string>? EnvironmentOf(System.Collections.Hashtable? table) =>
        table?.Cast<System.Collections.DictionaryEntry>().ToDictionary(e => e.Key.ToString()!, e => e.Value?.ToString() ?? "");

    /// <summary>Sets $LASTEXITCODE as a native command does.</summary>
    protected void SetExitCode(int code) => SessionState.PSVariable.Set("global:LASTEXITCODE", code);

    /// <summary>Finds and processes each named target; a key that names nothing, or a target that fails, is one item's error.</summary>
    protected void ForEachTarget<T>(IEnumerable<string> keys, Func<string, T> find, Action<T> process)
    {
        foreach (var key in keys)
        {
            try
            {
                process(find(key));
            }
            catch (Exception e) when (IsItemFailure(e))
            {
                WriteFailure(e, key);
            }
        }
    }

    /// <summary>A per-item failure: the pipeline goes on with the next item.</summary>
    protected void WriteFailure(Exception error, object? target) => WriteError(ToErrorRecord(error, target));

    /// <summary>A failure that ends the command (bad parameters, nothing to go on with).</summary>
    protected void ThrowFailure(Exception error, object? target) => ThrowTerminatingError(ToErrorRecord(error, target));

    private static ErrorCategory CategoryOf(FailureKind kind) => kind switch
    {
        FailureKind.InvalidArgument => ErrorCategory.InvalidArgument,
        FailureKind.ObjectNotFound => ErrorCategory.ObjectNotFound,
        FailureKind.ResourceExists => ErrorCategory.ResourceExists,
        FailureKind.ResourceUnavailable => ErrorCategory.ResourceUnavailable,
        FailureKind.OperationTimeout => ErrorCategory.OperationTimeout,
        _ => ErrorCategory.InvalidOperation,
    };

    private static ErrorCategory CategoryOf(int errno) => (Errno)errno switch
    {
        Errno.EPERM or Errno.EACCES => ErrorCategory.PermissionDenied,
        Errno.ENOENT or Errno.ESRCH => ErrorCategory.ObjectNotFound,
        Errno.EEXIST => ErrorCategory.ResourceExists,
        Errno.EBUSY => ErrorCategory.ResourceBusy,
        Errno.EINVAL => ErrorCategory.InvalidArgument,
        _ => ErrorCategory.NotSpecified,
    };
}
