// Linux only: the shim exists only on Linux.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
