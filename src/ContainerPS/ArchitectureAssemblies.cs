using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace ContainerPS;

/// <summary>
/// Tmds.LibC is built once per architecture (struct layouts such as stat's, and flags such as O_DIRECTORY, differ
/// between x86-64 and arm64), so the module carries one build per architecture, in module/bin/linux-x64 and
/// module/bin/linux-arm64, and none beside this assembly. When pwsh imports the module, this sends the first request
/// for Tmds.LibC to the build for the machine pwsh runs on.
/// </summary>
public sealed class ArchitectureAssemblies : IModuleAssemblyInitializer
{
    private static readonly string ModuleDirectory = Path.GetDirectoryName(typeof(ArchitectureAssemblies).Assembly.Location)!;
    private static int _registered;

    public void OnImport()
    {
        // A module imported again (another runspace, Import-Module -Force) must not add a second handler.
        if (Interlocked.Exchange(ref _registered, 1) == 0)
        {
            AssemblyLoadContext.Default.Resolving += Resolve;
        }
    }

    private static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name)
    {
        if (name.Name != "Tmds.LibC")
        {
            return null;
        }
        var path = Path.Combine(ModuleDirectory, RuntimeDirectory(), "Tmds.LibC.dll");
        return File.Exists(path) ? context.LoadFromAssemblyPath(path) : null;
    }

    /// <summary>linux-x64 or linux-arm64: the folder of module/bin that holds this machine's native-layout assemblies.</summary>
    internal static string RuntimeDirectory() => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 => "linux-x64",
        Architecture.Arm64 => "linux-arm64",
        var other => throw new PlatformNotSupportedException($"ContainerPS runs on x86-64 and arm64 Linux, not {other}."),
    };
}
