// The code under test is Linux only, and so are its tests: they run on the real kernel.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
