using System.Collections;
using System.Management.Automation;
using ContainerPS.Arguments;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Namespaces;

namespace ContainerPS.Commands;

/// <summary>Creates a container: its process waits in new namespaces, in state Created, until Start-Container.</summary>
/// <remarks>
/// <para>
/// New-Container is runc create: it records the container under /run/containerps/ID/, makes its cgroup with the limits
/// given (-Memory, -CpuQuota, -Pids...), and starts its shim, which clones the container's process into new namespaces
/// (pid, mnt, uts, ipc, net and cgroup unless -Namespace says otherwise). That process mounts the rootfs, pivots into
/// it, sets the hostname and drops capabilities, then waits: the container is Created until Start-Container runs its
/// command.
/// </para>
/// <para>
/// The command is an array (-Command sh,-c,'echo hi') or the words after the rootfs. Words that begin with a dash are
/// taken by PowerShell as parameter names, so put -- before such a command (New-Container ./rootfs -- sh -c 'echo hi')
/// or use the array form. See about_ContainerPS.
/// </para>
/// </remarks>
/// <example>
/// <code>New-ContainerRootFs /tmp/cps-rootfs -Busybox | New-Container -Command hostname -Hostname kevin | Start-Container -Attach -Remove</code>
/// Makes a busybox rootfs, a container that runs hostname with its own hostname, runs it attached (prints kevin) and
/// removes it when it exits.
/// </example>
/// <example>
/// <code>$web = New-Container /tmp/cps-rootfs -Name web -Hostname web -Command httpd,-f,-p,8080 -Memory 64MB -Pids 50</code>
/// A container named web that will run busybox httpd in the foreground, limited to 64 MB of memory and 50 processes;
/// the options of httpd are passed in the array form so PowerShell does not read -f and -p as its own.
/// </example>
/// <example>
/// <code>New-Container /tmp/cps-rootfs -Name job -Mount /tmp/cps-data:/data:ro -ReadOnlyRootFs -- sh -c 'wc -l /data/*'</code>
/// Everything after -- is the command, dash options included. The host directory /tmp/cps-data is mounted read-only at
/// /data, and the rootfs is read-only too.
/// </example>
/// <example>
/// <code>New-Container /tmp/cps-rootfs -Name web2 -Network backend -Publish 8080:80 -Environment @{ MODE = 'test' } -Command httpd,-f,-p,80</code>
/// A container on the container network backend (made by New-ContainerNetwork) with eth0, an address and a default
/// route; port 8080 of the host forwards to its port 80.
/// </example>
/// <example>
/// <code>New-Container /tmp/cps-rootfs -Name sidecar -Namespace Pid,Mnt,Uts,(Get-Namespace -Container web -Kind Net) -Command sleep,1000</code>
/// Creates new pid, mount and UTS namespaces but joins web's network namespace, as a pod does.
/// </example>
/// <seealso cref="NewContainerRootFsCommand"/>
/// <seealso cref="StartContainerCommand"/>
/// <seealso cref="GetContainerCommand"/>
/// <seealso cref="RemoveContainerCommand"/>
/// <seealso cref="NewContainerNetworkCommand"/>
// No default set: a piped ContainerImage must be tried against -Image too, which a default set would rule out first.
[Cmdlet(VerbsCommon.New, "Container", SupportsShouldProcess = true)]
[OutputType(typeof(Container))]
public sealed class NewContainerCommand : CgroupLimitCmdlet
{
    /// <summary>The root filesystem directory; a RootFs object from New-ContainerRootFs binds by its Path.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ParameterSets.RootFs)]
    [Alias("Path")]
    [ValidateNotNullOrEmpty]
    public string RootFs { get; set; } = "";

    /// <summary>
    /// An image from the image store (a name, "web" meaning web:latest, or an id), or a ContainerImage piped in: the root
    /// is an overlayfs of its layers under a writable layer of the container's own, removed with it. Its config gives the
    /// command (Entrypoint and Cmd), environment, working directory and user, unless -Command, -Entrypoint,
    /// -Environment, -WorkingDirectory or -User say otherwise.
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = ParameterSets.Image, ValueFromPipeline = true)]
    [ContainerImageTransformation]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.ContainerImageCompleter))]
    public string Image { get; set; } = "";

    /// <summary>
    /// An OCI bundle: a directory with config.json (runc spec writes one) and the root filesystem it names. The config
    /// says everything else (process, mounts, namespaces, resources, cgroupsPath), so only -Name goes with it; the
    /// container is then one of the module's like any other (Start-Container, Get-ContainerLog, Remove-Container).
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = ParameterSets.Bundle)]
    [ValidateNotNullOrEmpty]
    public string Bundle { get; set; } = "";

    /// <summary>What runs, with -Command as its arguments: replaces the image's Entrypoint, and its Cmd too, as docker run --entrypoint does; -Entrypoint '' clears it.</summary>
    [Parameter]
    [AllowEmptyString]
    [AllowEmptyCollection]
    public string[]? Entrypoint { get; set; }

    /// <summary>The command and its arguments: an array (sh,-c,'echo hi'), or the words that follow; put -- before words with dash options (-- sh -c 'echo hi').</summary>
    [Parameter(Position = 1, ValueFromRemainingArguments = true)]
    public string[]? Command { get; set; }

    /// <summary>
    /// A unique name to address the container by, instead of its id: 1-128 letters, digits, '_', '.' or '-'. A name of
    /// 12 to 64 hex digits is refused, because it reads as an id: names and ids are kept apart, so an id (or id prefix)
    /// given to -Id never picks a container by its name.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>The hostname inside the container's UTS namespace.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Hostname { get; set; }

    /// <summary>
    /// The namespaces to create (by default pid, mnt, uts, ipc, net and cgroup), and existing ones to join, given as
    /// Namespace objects: -Namespace Pid,Mnt,Uts,(Get-Namespace -Container web -Kind Net).
    /// </summary>
    [Parameter]
    [NamespaceRequestTransformation]
    [ArgumentCompleter(typeof(Completion.NamespaceKindCompleter))]
    public NamespaceRequest[]? Namespace { get; set; }

    /// <summary>Environment variables of the command: @{ NAME = 'value' }.</summary>
    [Parameter]
    public Hashtable? Environment { get; set; }

    /// <summary>The directory inside the container the command starts in.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? WorkingDirectory { get; set; }

    /// <summary>Bind mounts, source:destination[:ro].</summary>
    [Parameter]
    public string[] Mount { get; set; } = [];

    /// <summary>Mount the root filesystem read-only inside the container.</summary>
    [Parameter]
    public SwitchParameter ReadOnlyRootFs { get; set; }

    /// <summary>Keep every capability instead of the default set (CAP_SYS_ADMIN included: mount works inside).</summary>
    [Parameter]
    public SwitchParameter Privileged { get; set; }

    /// <summary>
    /// none (the default: its own network namespace with only lo), host (the host's network namespace), slirp4netns (its
    /// own network namespace joined to the host's by the slirp4netns program: tap0 at 10.0.2.100, outbound traffic and
    /// -Publish, with or without root), or the name of a container network: eth0 with an address from it, a default
    /// route via its gateway, /etc/hosts and /etc/resolv.conf.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.ContainerNetworkCompleter))]
    public string? Network { get; set; }

    /// <summary>The address on -Network, instead of the next free one.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? IPAddress { get; set; }

    /// <summary>hostPort:containerPort[/tcp|udp]: forwarded from every host address (127.0.0.1 too) to the container.</summary>
    [Parameter]
    public string[] Publish { get; set; } = [];

    /// <summary>
    /// The seccomp profile the container's processes (and every Invoke-ContainerCommand into it) run under: a path to
    /// an OCI or Docker seccomp JSON file, or Unconfined for none. Without it, Docker's default profile applies; with
    /// -Privileged there is no filter, as with Docker. System call names the host's architecture does not have are
    /// skipped, as Docker skips them, so a profile written for several architectures works; calls through another ABI
    /// (i386 or x32 on x86-64, 32-bit arm on arm64) kill the process.
    /// </summary>
    [Parameter]
    [ArgumentCompleter(typeof(Completion.SeccompProfileCompleter))]
    public string? SeccompProfile { get; set; }

    /// <summary>
    /// Host devices the container may use, /dev/HOST[:/dev/INSIDE][:PERMISSIONS] (r read, w write, m mknod; rwm when
    /// left out): the node is made in the container's /dev and its device cgroup allows it. Without it a container
    /// can use only null, zero, full, random, urandom, tty and its own ptys.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] Device { get; set; } = [];

    /// <summary>
    /// Capabilities to keep beyond the default set (docker's: CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, SETGID, SETUID,
    /// SETPCAP, NET_BIND_SERVICE, NET_RAW, SYS_CHROOT, MKNOD, AUDIT_WRITE, SETFCAP), named as in capabilities(7) with or
    /// without CAP_, in any case; ALL keeps every one. An added name wins over the same name dropped.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.CapabilityNameCompleter))]
    public string[] CapabilityAdd { get; set; } = [];

    /// <summary>Capabilities to take from the default set, named as for -CapabilityAdd; ALL leaves only those added.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(Completion.CapabilityNameCompleter))]
    public string[] CapabilityDrop { get; set; } = [];

    /// <summary>
    /// The user its processes run as, USER[:GROUP]: numbers, or names from the rootfs's /etc/passwd and /etc/group.
    /// A user other than 0 has no capabilities, as the kernel leaves a process that gives up root.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? User { get; set; }

    /// <summary>Additional groups, numbers or names from the rootfs's /etc/group, beside those /etc/group lists the user in.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] Group { get; set; } = [];

    /// <summary>
    /// Gives the container a user namespace in which root is an unprivileged host id, from a free block of 65536 ids
    /// that /etc/subuid and /etc/subgid give the user containerps (containerps:100000:6553600 gives 100 blocks). The
    /// block is the container's until it is removed. Its rootfs is mounted id-mapped, as with -UidMap. When left out,
    /// $ContainerPSUserNamespace = $true makes it the default of the session (-UserNamespace:$false turns it off).
    /// </summary>
    [Parameter]
    public SwitchParameter UserNamespace { get; set; }

    /// <summary>
    /// Gives the container a user namespace in which root is an unprivileged host id: CONTAINER:HOST:COUNT lines of its
    /// uid map, as podman's --uidmap (0:100000:65536 makes root inside host uid 100000, and ids 1-65535 the next ones).
    /// Its rootfs is mounted id-mapped to match, so files owned by host root are root's inside and nothing is chowned.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] UidMap { get; set; } = [];

    /// <summary>The gid map, CONTAINER:HOST:COUNT lines as for -UidMap; by default the same lines as -UidMap.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] GidMap { get; set; } = [];

    /// <summary>
    /// Descriptors of this PowerShell process the first process gets at the same numbers (3 and up), as OCI's
    /// --preserve-fds hands on runc's: a socket or a file opened before pwsh started (exec 8&lt;file). Every other
    /// descriptor is closed before the command starts.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public int[] PreserveFd { get; set; } = [];

    /// <summary>Whether this session has said that rootless containers run without a cgroup (said once).</summary>
    private static int _cgroupWarned;

    /// <summary>The preference variable that makes -UserNamespace the default, as $ErrorActionPreference does for its parameter.</summary>
    private const string UserNamespacePreference = "ContainerPSUserNamespace";

    protected override void ProcessRecord()
    {
        if (ParameterSetName == ParameterSets.Bundle)
        {
            CreateFromBundle();
            return;
        }
        var fromImage = ParameterSetName == ParameterSets.Image;
        var rootfs = fromImage ? null : GetUnresolvedProviderPathFromPSPath(RootFs);
        var images = Core.Images.ImageStore.Open();
        try
        {
            var image = fromImage ? Core.Images.ImageRecords.Resolve(images, Image) : null;
            if (!ShouldProcess(rootfs ?? $"image {image}", "Create container" + (Name is null ? "" : $" '{Name}'")))
            {
                return;
            }
            WriteObject(ContainerCreate.Run(Store, Options(rootfs) with { Image = image, Entrypoint = Entrypoint }, RuntimePath, images));
            if (Interlocked.Exchange(ref _cgroupWarned, 1) == 0 && Rootless.CgroupWarning() is { } warning)
            {
                WriteWarning(warning);
            }
        }
        catch (Exception e) when (IsItemFailure(e))
        {
            WriteFailure(e, rootfs ?? Image);
        }
    }

    /// <summary>Parameters that say what the bundle's config.json says already: given with -Bundle, they are refused, not ignored.</summary>
    private static readonly HashSet<string> BundleParameters = new(StringComparer.OrdinalIgnoreCase) { nameof(Bundle), nameof(Name) };

    private void CreateFromBundle()
    {
        var bundle = GetUnresolvedProviderPathFromPSPath(Bundle);
        var conflicting = MyInvocation.BoundParameters.Keys.Where(k => !BundleParameters.Contains(k) && !CommonParameters.Contains(k) && !OptionalCommonParameters.Contains(k)).ToArray();
        if (conflicting.Length > 0)
        {
            ThrowFailure(new Core.Interop.ContainerPSException("BundleParameterConflict", Core.Interop.FailureKind.InvalidArgument,
                $"-{string.Join(", -", conflicting)} cannot go with -Bundle: the bundle's config.json says what the container is; change it there (only -Name goes with -Bundle).", bundle), bundle);
        }
        try
        {
            if (ShouldProcess(bundle, "Create container from bundle" + (Name is null ? "" : $" '{Name}'")))
            {
                WriteObject(Core.Oci.OciBundleCreate.Run(Store, bundle, Name, RuntimePath));
            }
        }
        catch (Exception e) when (IsItemFailure(e))
        {
            WriteFailure(e, bundle);
        }
    }

    private CreateOptions Options(string? rootfs) => new()
    {
        RootFs = rootfs,
        Name = Name,
        Command = Command,
        Hostname = Hostname,
        Namespaces = Namespace?.Any(n => n.JoinPath is null) == true
            ? Namespace.Where(n => n.JoinPath is null).Aggregate((NamespaceKind)0, (all, n) => all | n.Kind)
            : null,
        JoinNamespaces = Namespace?.Where(n => n.JoinPath is not null).Select(n => (n.Kind, n.JoinPath!)).ToArray() ?? [],
        Environment = EnvironmentOf(Environment) ?? [],
        WorkingDirectory = WorkingDirectory,
        Mounts = Mount.Select(ResolveMountSource).ToArray(),
        ReadOnlyRootFs = ReadOnlyRootFs,
        Privileged = Privileged,
        Limits = Limits,
        Network = Network,
        IPAddress = IPAddress,
        Publish = Publish,
        SeccompProfile = SeccompProfile is null || string.Equals(SeccompProfile, ContainerSeccomp.UnconfinedArgument, StringComparison.OrdinalIgnoreCase)
            ? SeccompProfile
            : GetUnresolvedProviderPathFromPSPath(SeccompProfile),
        Devices = Device,
        CapabilityAdd = CapabilityAdd,
        CapabilityDrop = CapabilityDrop,
        User = User,
        Groups = Group,
        PreserveFds = PreserveFd,
        UserNamespace = MyInvocation.BoundParameters.ContainsKey(nameof(UserNamespace))
            ? UserNamespace
            : UidMap.Length + GidMap.Length == 0 && LanguagePrimitives.IsTrue(SessionState.PSVariable.GetValue(UserNamespacePreference)),
        UidMap = UidMap,
        GidMap = GidMap,
    };

    /// <summary>A relative mount source is relative to the current PowerShell location, not the process's cwd.</summary>
    private string ResolveMountSource(string mount)
    {
        var colon = mount.IndexOf(':');
        return colon <= 0 || mount.StartsWith('/') ? mount : GetUnresolvedProviderPathFromPSPath(mount[..colon]) + mount[colon..];
    }
}
