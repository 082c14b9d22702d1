// Linux only: the shim and init exist only on Linux.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
