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

    private ContainerStore? _store;

    /// <summary>
    /// Opened on first use: a cmdlet that needs no store works where no store can be (a user without XDG_RUNTIME_DIR).
    /// A cmdlet with -Root reads the store there; piped containers bring theirs, so each item may name another.
    /// </summary>
    protected ContainerStore Store
    {
        get
        {
            var root = StoreRoot is { } given ? GetUnresolvedProviderPathFromPSPath(given) : null;
            if (_store is null || (root is not null && _store.Root != root))
            {
                _store = root is null ? OpenStore() : new ContainerStore(root);
            }
            return _store;
        }
    }

    /// <summary>The -Root of cmdlets that have one: a store other than the module's own, such as an engine's --root.</summary>
    protected virtual string? StoreRoot => null;

    /// <summary>
    /// The store under /run/containerps (for a user other than root, $XDG_RUNTIME_DIR/containerps), unless
    /// CONTAINERPS_ROOT names another (the tests' own).
    /// </summary>
    internal static ContainerStore OpenStore() => new(Environment.GetEnvironmentVariable("CONTAINERPS_ROOT") ?? Rootless.StoreRoot());

    /// <summary>
    /// containerps-runtime for this machine, in module/bin/linux-x64 or module/bin/linux-arm64, unless
    /// CONTAINERPS_RUNTIME names another.
    /// </summary>
    protected static string RuntimePath =>
        Environment.GetEnvironmentVariable("CONTAINERPS_RUNTIME") ?? Path.Combine(ModuleDirectory, ArchitectureAssemblies.RuntimeDirectory(), "containerps-runtime");

    /// <summary>
    /// The ErrorRecord of an expected failure of one item: an ErrorId naming the failure, the category its kind or
    /// errno gives, the object acted on as target, and the exception itself (inner exceptions and all) inside.
    /// </summary>
    protected static ErrorRecord ToErrorRecord(Exception error, object? target)
    {
        var record = error switch
        {
            ContainerPSException e => new ErrorRecord(e, e.Reason, CategoryOf(e.Kind), TargetOf(target, e.Target)),
            NativeException e => new ErrorRecord(e, $"{e.Syscall}.{e.ErrnoName}", CategoryOf(ContainerPSException.KindOf(e.Errno)), TargetOf(target, e.Target)),
            UnauthorizedAccessException e => new ErrorRecord(e, "HostAccessDenied", ErrorCategory.PermissionDenied, target),
            FileNotFoundException e => new ErrorRecord(e, "HostFileNotFound", ErrorCategory.ObjectNotFound, target ?? e.FileName),
            DirectoryNotFoundException e => new ErrorRecord(e, "HostDirectoryNotFound", ErrorCategory.ObjectNotFound, target),
            // .NET keeps the errno of a failed file operation as the HResult of the IOException it throws.
            IOException { HResult: > 0 and < 4096 } e => new ErrorRecord(e, $"HostFileOperationFailed.{ErrnoName.Of(e.HResult)}", CategoryOf(ContainerPSException.KindOf(e.HResult)), target),
            IOException e => new ErrorRecord(e, "HostFileOperationFailed", ErrorCategory.WriteError, target),
            _ => Rethrow(error),
        };
        if (Rollback.FailuresAttachedTo(error) is { } rollback)
        {
            // The cause stays the record's exception and leads the message; what the rollback could not undo follows it.
            record.ErrorDetails = new ErrorDetails($"{error.Message}{Environment.NewLine}{rollback.Message}");
        }
        return record;
    }

    /// <summary>
    /// Expected failures of one item (the kernel or the host refusing, bad input Core caught); the pipeline survives
    /// them. Anything else is a bug of ours (ArgumentException, InvalidOperationException, NullReferenceException...)
    /// and propagates as a terminating error rather than passing for a per-item failure.
    /// </summary>
    protected static bool IsItemFailure(Exception e) =>
        e is ContainerPSException or NativeException or IOException or UnauthorizedAccessException;

    /// <summary>The object the cmdlet acts on (a Container, a piped object) names the failure best; failing that, the value Core names; failing that, the name the user gave.</summary>
    private static object? TargetOf(object? acting, object? named) =>
        acting is not (null or string or ValueType) ? acting : named ?? acting;

    /// <summary>A programming error reaching the error translation leaves as it came, stack and all, never as an ErrorRecord of ours.</summary>
    private static ErrorRecord Rethrow(Exception error)
    {
        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();
        return null!;
    }

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

    /// <summary>
    /// Finds and processes each named target; a key that names nothing, or a target that fails, is one item's error.
    /// The error's target is what <paramref name="targetOf"/> says the found item stands for (a container, say), or
    /// the key itself when nothing was found.
    /// </summary>
    protected void ForEachTarget<T>(IEnumerable<string> keys, Func<string, T> find, Action<T> process, Func<T, object>? targetOf = null)
    {
        foreach (var key in keys)
        {
            object target = key;
            try
            {
                var item = find(key);
                target = targetOf?.Invoke(item) ?? key;
                process(item);
            }
            catch (Exception e) when (IsItemFailure(e))
            {
                WriteFailure(e, target);
            }
        }
    }

    /// <summary>A per-item failure: the pipeline goes on with the next item.</summary>
    protected void WriteFailure(Exception error, object? target) => WriteError(ToErrorRecord(error, target));

    /// <summary>A failure that ends the command (bad parameters, nothing to go on with).</summary>
    protected void ThrowFailure(Exception error, object? target) => ThrowTerminatingError(ToErrorRecord(error, target));

    private static ErrorCategory CategoryOf(FailureKind kind) => kind switch
    {
        FailureKind.PermissionDenied => ErrorCategory.PermissionDenied,
        FailureKind.ResourceBusy => ErrorCategory.ResourceBusy,
        FailureKind.InvalidArgument => ErrorCategory.InvalidArgument,
        FailureKind.ObjectNotFound => ErrorCategory.ObjectNotFound,
        FailureKind.ResourceExists => ErrorCategory.ResourceExists,
        FailureKind.ResourceUnavailable => ErrorCategory.ResourceUnavailable,
        FailureKind.OperationTimeout => ErrorCategory.OperationTimeout,
        FailureKind.InvalidData => ErrorCategory.InvalidData,
        _ => ErrorCategory.InvalidOperation,
    };
}
