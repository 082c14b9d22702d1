// Linux only: every type here stands on Linux system calls.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

// The seccomp tests look syscall numbers up in Interop's table, which is no part of the public surface.
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("ContainerPS.Core.Tests")]
