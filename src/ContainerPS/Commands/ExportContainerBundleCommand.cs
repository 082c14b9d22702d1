using System.Management.Automation;
using ContainerPS.Core.Containers;

namespace ContainerPS.Commands;

/// <summary>Writes a container as an OCI bundle (config.json and rootfs/) that runc, crun or containerps-runtime run.</summary>
/// <remarks>
/// <para>
/// The bundle's rootfs/ is a copy of the container's root as the host sees it (an image container's merged overlayfs),
/// owners, modes, links and devices kept. Its config.json says what the container's spec says: the command, environment,
/// working directory, user and groups, capabilities, hostname, read-only root, the namespaces it makes and those it
/// joins (by path), its id maps, its bind mounts, its devices with their cgroup rules, and the masked and read-only
/// paths every container here gets. What a bundle cannot carry (the seccomp filter, a container network, cgroup
/// limits) is named in a warning, to add to config.json by hand.
/// </para>
/// <para>New-Container -Bundle runs a bundle in the module; `runc run -b PATH ID` and `crun run -b PATH ID` run it elsewhere.</para>
/// </remarks>
/// <example>
/// <code>Export-ContainerBundle web -Path /tmp/cps-web-bundle; crun run -b /tmp/cps-web-bundle web</code>
/// Writes the container web as a bundle and runs it with crun.
/// </example>
/// <seealso cref="NewContainerCommand"/>
/// <seealso cref="ExportContainerCommand"/>
[Cmdlet(VerbsData.Export, "ContainerBundle", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.Name)]
[OutputType(typeof(DirectoryInfo))]
public sealed class ExportContainerBundleCommand : ContainerTargetCmdlet
{
    /// <summary>The bundle directory to make; it must not exist.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    protected override void Process(Container container)
    {
        var path = GetUnresolvedProviderPathFromPSPath(Path);
        if (ShouldProcess(container.Name, $"Export container as an OCI bundle to {path}"))
        {
            foreach (var missing in Core.Oci.OciBundleExport.Run(Store, container, path))
            {
                WriteWarning($"The bundle of '{container.Name}' does not carry {missing}.");
            }
            WriteObject(new DirectoryInfo(path));
        }
    }
}
