// Linux only: every type here stands on Linux system calls.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
