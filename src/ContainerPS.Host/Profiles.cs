using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace ContainerPS.Host;

/// <summary>
/// pwsh's four profile scripts, with pwsh's names and order (all users then current user, all hosts then this
/// shell), and $PROFILE set to them whether or not they run, as pwsh sets it even under -NoProfile.
/// </summary>
internal static class Profiles
{
    // The engine's shell id, which names the host-specific profile files; pwsh uses the same one.
    private const string HostSpecificName = "Microsoft.PowerShell_profile.ps1";

    public static void SetProfileVariable(Runspace runspace)
    {
        (string allAll, string allCurrent, string userAll, string userCurrent) = Paths(runspace);
        var profile = new PSObject(userCurrent);
        profile.Properties.Add(new PSNoteProperty("AllUsersAllHosts", allAll));
        profile.Properties.Add(new PSNoteProperty("AllUsersCurrentHost", allCurrent));
        profile.Properties.Add(new PSNoteProperty("CurrentUserAllHosts", userAll));
        profile.Properties.Add(new PSNoteProperty("CurrentUserCurrentHost", userCurrent));
        runspace.SessionStateProxy.SetVariable("PROFILE", profile);
    }

    /// <summary>Dot-sources each profile that exists into the global scope; a failing one is reported and the rest still run.</summary>
    public static void Run(Runspace runspace, PipelineRunner runner)
    {
        (string allAll, string allCurrent, string userAll, string userCurrent) = Paths(runspace);
        foreach (string path in new[] { allAll, allCurrent, userAll, userCurrent })
        {
            if (File.Exists(path))
            {
                runner.RunScript(". '" + path.Replace("'", "''", StringComparison.Ordinal) + "'");
            }
        }
    }

    private static (string AllAll, string AllCurrent, string UserAll, string UserCurrent) Paths(Runspace runspace)
    {
        string psHome = (string)runspace.SessionStateProxy.GetVariable("PSHOME");
        string? xdgConfig = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        string userDir = Path.Combine(
            string.IsNullOrEmpty(xdgConfig) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config") : xdgConfig,
            "powershell");
        return (
            Path.Combine(psHome, "profile.ps1"),
            Path.Combine(psHome, HostSpecificName),
            Path.Combine(userDir, "profile.ps1"),
            Path.Combine(userDir, HostSpecificName));
    }
}
