using System.Text;

using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Rootfs;

/// <summary>
/// A program on the host and every host file it needs to start: the program itself, then for an ELF
/// program its interpreter and library closure, for a #! script its interpreter and that one's files.
/// </summary>
internal sealed class HostProgram
{
    private const string DefaultSearchPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private const int ShebangBytes = 256; // BINPRM_BUF_SIZE: the kernel reads no more of a #! line
    private const int MaxInterpreterDepth = 5; // the kernel gives ELOOP past five nested interpreters
    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private HostProgram(string path, IReadOnlyList<string> files)
    {
        Path = path;
        Files = files;
    }

    /// <summary>The program's absolute host path, which is also its path inside the rootfs.</summary>
    public string Path { get; }

    /// <summary>The program first, then everything it needs, as absolute host paths.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <param name="nameOrPath">A command name looked up on PATH (bash) or an absolute path (/usr/bin/bash).</param>
    public static HostProgram Find(string nameOrPath, SharedLibraryResolver resolver)
    {
        var path = Locate(nameOrPath);
        var files = new List<string> { path };
        AddRuntimeFiles(path, resolver, files, depth: 0);
        return new HostProgram(path, files);
    }

    private static string Locate(string nameOrPath)
    {
        if (string.IsNullOrWhiteSpace(nameOrPath))
        {
            throw new ContainerPSException("InvalidHostBinary", FailureKind.InvalidArgument,
                "A host binary name is empty. Give a command name found on PATH (bash) or an absolute path (/usr/bin/bash).", nameOrPath);
        }
        if (nameOrPath.StartsWith('/'))
        {
            var path = System.IO.Path.GetFullPath(nameOrPath);
            return ExecutableProblem(path) is { } problem
                ? throw new ContainerPSException("HostBinaryNotFound", FailureKind.ObjectNotFound, $"Host binary '{nameOrPath}' {problem}.", nameOrPath)
                : path;
        }
        if (nameOrPath.Contains('/'))
        {
            throw new ContainerPSException("InvalidHostBinary", FailureKind.InvalidArgument,
                $"Host binary '{nameOrPath}' is a relative path. Give a command name found on PATH (bash) or an absolute path (/usr/bin/bash).", nameOrPath);
        }

        var searchPath = Environment.GetEnvironmentVariable("PATH") is { Length: > 0 } fromEnvironment ? fromEnvironment : DefaultSearchPath;
        foreach (var directory in searchPath.Split(':', StringSplitOptions.RemoveEmptyEntries).Where(d => d.StartsWith('/')))
        {
            var candidate = System.IO.Path.Join(directory, nameOrPath);
            if (ExecutableProblem(candidate) is null)
            {
                return candidate;
            }
        }
        throw new ContainerPSException("HostBinaryNotFound", FailureKind.ObjectNotFound,
            $"Host binary '{nameOrPath}' was not found on PATH ({searchPath}). Give its absolute path, or install the package that provides it.",
            nameOrPath);
    }

    private static string? ExecutableProblem(string path)
    {
        if (Directory.Exists(path))
        {
            return "is a directory, not a program";
        }
        if (!FileSystemEntry.IsFileFollowingLinks(path))
        {
            return "does not exist";
        }
        return (File.GetUnixFileMode(path) & AnyExecute) == 0 ? "is not executable (no x permission bit)" : null;
    }

    private static void AddRuntimeFiles(string path, SharedLibraryResolver resolver, List<string> files, int depth)
    {
        if (ShebangInterpreter(path) is not { } interpreter)
        {
            files.AddRange(DependencyClosure.Collect(path, resolver));
            return;
        }
        if (depth == MaxInterpreterDepth)
        {
            throw new ContainerPSException("InterpreterChainTooDeep", FailureKind.InvalidArgument,
                $"Script '{path}' is run by more than {MaxInterpreterDepth} nested #! interpreters; the kernel would refuse it (ELOOP).", path);
        }
        if (!interpreter.StartsWith('/') || !FileSystemEntry.IsFileFollowingLinks(interpreter))
        {
            throw new ContainerPSException("InterpreterNotFound", FailureKind.ObjectNotFound,
                $"Script '{path}' names the interpreter '{interpreter}' on its #! line, which is not an existing absolute path on this host.",
                interpreter);
        }
        files.Add(interpreter);
        AddRuntimeFiles(interpreter, resolver, files, depth + 1);
    }

    // "#!/bin/sh -e" names /bin/sh: the interpreter is the first word after #!, as the kernel reads it.
    private static string? ShebangInterpreter(string path)
    {
        Span<byte> head = stackalloc byte[ShebangBytes];
        using (var stream = File.OpenRead(path))
        {
            head = head[..stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false)];
        }
        if (!head.StartsWith("#!"u8))
        {
            return null;
        }
        var line = Encoding.UTF8.GetString(head[2..]).Split('\n')[0];
        var words = line.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
        return words.Length > 0 ? words[0] : null;
    }
}
