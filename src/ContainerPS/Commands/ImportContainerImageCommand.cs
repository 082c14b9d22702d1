using System.Management.Automation;
using ContainerPS.Core.Images;

namespace ContainerPS.Commands;

/// <summary>Brings images into the image store from a registry, an OCI image layout, a docker-archive or a root filesystem tar.</summary>
/// <remarks>
/// <para>
/// As docker load and docker import. -Path takes an OCI image layout (a directory with index.json, or a tar of one, as
/// umoci and skopeo copy oci: write), a docker-archive (docker save, skopeo copy docker-archive:; a directory or a
/// tar), or a tar of a root filesystem, which becomes a one-layer image named by -Name. Layers may be gzip-compressed
/// or not. Every blob is checked against its digest as it enters the store, and each layer against the diff_id the
/// image's config names; layers are unpacked once and shared by every image that has them. An image from another
/// platform than this machine's is refused. An import cut off (Ctrl-C, kill -9) leaves no image; the next one
/// finishes the work.
/// </para>
/// <para>
/// -Reference pulls from a registry with the OCI distribution API, as docker pull does: an image index or manifest
/// list is resolved to this machine's platform, Docker v2 schema 2 and OCI manifests are read, the registry's token
/// or Basic authentication is answered (-Credential), and layers download three at a time, each checked against its
/// digest. A pull cut off resumes its layers with HTTP Range requests. A registry on a loopback address may speak plain
/// HTTP; others are spoken to over HTTPS (-SkipCertificateCheck for a self-signed certificate).
/// </para>
/// <para>
/// The store is /var/lib/containerps (CONTAINERPS_IMAGE_ROOT overrides it), and only root may write it.
/// </para>
/// </remarks>
/// <example>
/// <code>skopeo copy docker-archive:busybox.tar oci:./layout:latest; Import-ContainerImage ./layout -Name busybox:latest</code>
/// Imports an OCI layout under the name busybox:latest.
/// </example>
/// <example>
/// <code>Import-ContainerImage ./app.tar | New-Container -Name web | Start-Container</code>
/// Loads a docker save archive and runs a container of the image it holds.
/// </example>
/// <example>
/// <code>tar -C rootfs -c . | gzip > root.tar.gz; Import-ContainerImage root.tar.gz -Name myroot:1.0</code>
/// Makes a one-layer image of a root filesystem, as docker import does.
/// </example>
/// <example>
/// <code>Import-ContainerImage -Reference localhost:5000/web:1.0 -Credential (Get-Credential) | New-Container -Name web -Publish 8080:80 -Network backend</code>
/// Pulls an image from a registry that asks for a login, and makes a container of it.
/// </example>
/// <seealso cref="GetContainerImageCommand"/>
/// <seealso cref="NewContainerCommand"/>
[Cmdlet(VerbsData.Import, "ContainerImage", SupportsShouldProcess = true, DefaultParameterSetName = ParameterSets.Path)]
[OutputType(typeof(ContainerImage))]
public sealed class ImportContainerImageCommand : ContainerPSCmdlet
{
    /// <summary>An OCI image layout or docker-archive (directory or tar), or a root filesystem tar; files bind by FullName.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ParameterSets.Path, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>The name to give the image (REPOSITORY[:TAG]); required for a root filesystem tar, and it replaces what the source names.</summary>
    [Parameter(ParameterSetName = ParameterSets.Path)]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>An image in a registry, HOST[:PORT]/NAME[:TAG] or HOST[:PORT]/NAME@sha256:DIGEST, pulled as docker pull does; stored under that name.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ParameterSets.Reference, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Reference { get; set; } = [];

    /// <summary>A user name and password for the registry: sent to its token service when it asks for a Bearer token, or as Basic.</summary>
    [Parameter(ParameterSetName = ParameterSets.Reference)]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>Accept the registry's certificate without checking it (a self-signed one), as Invoke-WebRequest -SkipCertificateCheck does.</summary>
    [Parameter(ParameterSetName = ParameterSets.Reference)]
    public SwitchParameter SkipCertificateCheck { get; set; }

    /// <summary>Run as a background job; Receive-Job gives the images.</summary>
    [Parameter]
    public SwitchParameter AsJob { get; set; }

    private readonly CancellationTokenSource _stopping = new();

    protected override void ProcessRecord()
    {
        var store = ImageStore.Open();
        if (ParameterSetName == ParameterSets.Reference)
        {
            foreach (var reference in Reference)
            {
                Pull(store, reference);
            }
            return;
        }
        foreach (var given in Path)
        {
            var path = GetUnresolvedProviderPathFromPSPath(given);
            if (!ShouldProcess(path, "Import container image" + (Name is null ? "" : $" as {Name}")))
            {
                continue;
            }
            if (AsJob)
            {
                var job = CoreJob.Start(MyInvocation.Line, "Import " + System.IO.Path.GetFileName(path),
                    (progress, _) => ImageImport.FromPath(store, path, Name, p => progress(ProgressOf(path, p))),
                    e => IsItemFailure(e) ? ToErrorRecord(e, path) : null);
                JobRepository.Add(job);
                WriteObject(job);
                continue;
            }
            try
            {
                WriteObject(ImageImport.FromPath(store, path, Name, p => WriteProgress(ProgressOf(path, p))), enumerateCollection: true);
            }
            catch (Exception e) when (IsItemFailure(e))
            {
                WriteFailure(e, path);
            }
        }
    }

    private void Pull(ImageStore store, string reference)
    {
        if (!ShouldProcess(reference, "Pull container image"))
        {
            return;
        }
        var credential = Credential?.GetNetworkCredential();
        if (AsJob)
        {
            var job = CoreJob.Start(MyInvocation.Line, "Pull " + reference,
                (progress, stop) => [ImagePull.Run(store, reference, credential, SkipCertificateCheck, p => progress(ProgressOf(reference, p)), stop)],
                e => IsItemFailure(e) ? ToErrorRecord(e, reference) : null);
            JobRepository.Add(job);
            WriteObject(job);
            return;
        }
        // Layers download on threads of their own; their progress is written here, on the pipeline's thread.
        var reports = new System.Collections.Concurrent.BlockingCollection<ImportProgress>();
        var pull = Task.Run(() =>
        {
            try
            {
                return ImagePull.Run(store, reference, credential, SkipCertificateCheck, reports.Add, _stopping.Token);
            }
            finally
            {
                reports.CompleteAdding();
            }
        });
        try
        {
            foreach (var report in reports.GetConsumingEnumerable(_stopping.Token))
            {
                WriteProgress(ProgressOf(reference, report));
            }
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C: the pull is told to stop below, and waited for.
        }
        finally
        {
            // The pull holds store locks: it never outlives this command (after Ctrl-C, WriteProgress throws too).
            if (!pull.IsCompleted)
            {
                _stopping.Cancel();
            }
            ((IAsyncResult)pull).AsyncWaitHandle.WaitOne();
        }
        if (_stopping.IsCancellationRequested)
        {
            return;
        }
        try
        {
            WriteObject(pull.GetAwaiter().GetResult());
        }
        catch (Exception e) when (IsItemFailure(e))
        {
            WriteFailure(e, reference);
        }
    }

    /// <summary>Ctrl-C: the downloads stop where they are; what they wrote is resumed by the next pull.</summary>
    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>One progress bar per blob, under one for the whole source.</summary>
    private static ProgressRecord ProgressOf(string source, ImportProgress p) =>
        new(Math.Abs(p.Blob.GetHashCode()) % 100000 + 1, $"Import {System.IO.Path.GetFileName(source)}: {p.Blob}", p.Status)
        {
            PercentComplete = p.Total > 0 ? (int)Math.Min(100, p.Done * 100 / p.Total) : -1,
            RecordType = p.Status == "Done" ? ProgressRecordType.Completed : ProgressRecordType.Processing,
        };
}
