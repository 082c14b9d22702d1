// Linux only: the cmdlets drive Linux namespaces, cgroups and mounts.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
