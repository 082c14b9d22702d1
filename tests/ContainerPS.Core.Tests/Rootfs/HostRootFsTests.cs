using System.Runtime.Versioning;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Rootfs;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Tests.Rootfs;

[SupportedOSPlatform("linux")] // Core is Linux-only; this test assembly is not marked so
public sealed class HostRootFsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [SkippableFact]
    public void Host_rootfs_with_bash_runs_bash_in_chroot()
    {
        HostCommand.RequireRoot();
        var rootfs = RootFsBuilder.CreateFromHost(_temp.Child("rootfs"), ["/bin/bash"]);

        Assert.Equal("ok\n", HostCommand.InChroot(rootfs.Path, "/bin/bash", "-c", "echo ok"));
        Assert.Equal("Host", rootfs.Source);
        Assert.Equal(["/bin/bash"], rootfs.Binaries);
    }

    [Fact]
    public void Host_rootfs_recreates_the_hosts_usrmerge_and_loader_links()
    {
        var rootfs = RootFsBuilder.CreateFromHost(_temp.Child("rootfs"), ["/bin/bash"]);

        var interpreter = ElfFile.Read("/bin/bash").Interpreter!;
        foreach (var hostPath in new[] { "/bin", "/lib", "/lib64", "/usr/lib64", interpreter })
        {
            if (new FileInfo(hostPath).LinkTarget is { } hostLink)
            {
                Assert.Equal(hostLink, new FileInfo(rootfs.Path + hostPath).LinkTarget);
            }
        }
        var realLoader = File.ResolveLinkTarget(interpreter, returnFinalTarget: true)?.FullName ?? interpreter;
        Assert.Equal(File.ReadAllBytes(realLoader), File.ReadAllBytes(InsideRootfs(rootfs.Path, interpreter)));
    }

    [Fact]
    public void Host_binary_named_without_a_path_lands_where_PATH_finds_it()
    {
        var onPath = HostCommand.Run("sh", "-c", "command -v bash").Output.Trim();

        var rootfs = RootFsBuilder.CreateFromHost(_temp.Child("rootfs"), ["bash"]);

        Assert.Equal([onPath], rootfs.Binaries);
        Assert.True(File.Exists(rootfs.Path + onPath));
    }

    [SkippableFact]
    public void Host_binaries_added_to_a_busybox_rootfs_run_beside_busybox()
    {
        HostCommand.RequireRoot();
        var busybox = HostCommand.RequireBusybox();
        var path = RootFsBuilder.CreateBusybox(_temp.Child("rootfs"), busybox).Path;

        var added = RootFsBuilder.AddHostBinaries(path, ["/bin/bash"]);

        Assert.Equal(["/bin/bash"], added.Binaries);
        Assert.Equal("ok\n", HostCommand.InChroot(path, "/bin/bash", "-c", "echo ok"));
        Assert.Equal("hi\n", HostCommand.InChroot(path, "/bin/sh", "-c", "echo hi"));
        Assert.Equal("busybox", new FileInfo(Path.Join(path, "bin/sh")).LinkTarget);
    }

    [SkippableFact]
    public void Host_sh_added_to_a_busybox_rootfs_replaces_the_applet_link_not_busybox()
    {
        var busybox = HostCommand.RequireBusybox();
        var hostShLink = new FileInfo("/bin/sh").LinkTarget;
        Skip.If(hostShLink is null or "busybox", "the host's /bin/sh must be a link to another shell (dash on Debian)");
        var path = RootFsBuilder.CreateBusybox(_temp.Child("rootfs"), busybox).Path;

        RootFsBuilder.AddHostBinaries(path, ["/bin/sh"]);

        Assert.Equal(hostShLink, new FileInfo(Path.Join(path, "bin/sh")).LinkTarget);
        Assert.Equal(File.ReadAllBytes(busybox), File.ReadAllBytes(Path.Join(path, "bin/busybox")));
        Assert.Equal(File.ReadAllBytes("/bin/sh"), File.ReadAllBytes(InsideRootfs(path, "/bin/sh")));
    }

    [Fact]
    public void Adding_the_same_binary_again_changes_nothing_and_leaves_no_backups()
    {
        var path = RootFsBuilder.CreateFromHost(_temp.Child("rootfs"), ["/bin/bash"]).Path;
        var before = Snapshot(path);

        var again = RootFsBuilder.AddHostBinaries(path, ["/bin/bash"]);

        Assert.Equal(before, Snapshot(path));
        Assert.True(again.SizeBytes > new FileInfo("/bin/bash").Length);
    }

    [SkippableFact]
    public void Script_brings_its_interpreter_and_runs_in_chroot()
    {
        HostCommand.RequireRoot();
        var script = _temp.Child("tool.sh");
        File.WriteAllText(script, "#!/bin/bash -e\necho \"script ok in $BASH\"\n");
        File.SetUnixFileMode(script, File.GetUnixFileMode(script) | UnixFileMode.UserExecute);

        var rootfs = RootFsBuilder.CreateFromHost(_temp.Child("rootfs"), [script]);

        Assert.Equal("script ok in /bin/bash\n", HostCommand.InChroot(rootfs.Path, script));
    }

    [SkippableFact]
    public void Program_with_an_origin_runpath_runs_in_chroot()
    {
        HostCommand.RequireRoot();
        var program = NativeTestProgram.Build(_temp.Child("build"), "RUNPATH", libraryHasOwnRunPath: true);

        var rootfs = RootFsBuilder.CreateFromHost(_temp.Child("rootfs"), [program]);

        Assert.Equal(NativeTestProgram.Output + "\n", HostCommand.InChrootWithProc(rootfs.Path, program));
    }

    [Fact]
    public void Nonexistent_host_binary_is_refused_and_leaves_nothing_behind()
    {
        var path = _temp.Child("rootfs");

        var error = Assert.Throws<ContainerPSException>(() => RootFsBuilder.CreateFromHost(path, ["bash", "no-such-program-cps"]));

        Assert.Equal("HostBinaryNotFound", error.Reason);
        Assert.Equal("no-such-program-cps", error.Target);
        Assert.Contains("'no-such-program-cps' was not found on PATH", error.Message);
        Assert.False(Directory.Exists(path));
    }

    [Fact]
    public void Nonexistent_absolute_host_binary_is_refused_naming_it()
    {
        var error = Assert.Throws<ContainerPSException>(() => RootFsBuilder.CreateFromHost(_temp.Child("rootfs"), ["/usr/bin/no-such-program-cps"]));

        Assert.Contains("'/usr/bin/no-such-program-cps' does not exist", error.Message);
    }

    [Fact]
    public void Relative_host_binary_path_and_empty_list_are_refused_as_bad_arguments()
    {
        var relative = Assert.Throws<ContainerPSException>(() => RootFsBuilder.CreateFromHost(_temp.Child("rootfs"), ["bin/bash"]));
        var empty = Assert.Throws<ContainerPSException>(() => RootFsBuilder.CreateFromHost(_temp.Child("rootfs"), []));

        Assert.Contains("'bin/bash' is a relative path", relative.Message);
        Assert.Contains("No host binaries", empty.Message);
        Assert.Empty(Directory.GetFileSystemEntries(_temp.Path));
    }

    [Fact]
    public void Adding_to_a_missing_rootfs_says_to_create_one_first()
    {
        var error = Assert.Throws<ContainerPSException>(() => RootFsBuilder.AddHostBinaries(_temp.Child("none"), ["bash"]));
        Assert.Equal("RootFsNotFound", error.Reason);

        Assert.Contains("CreateBusybox or CreateFromHost", error.Message);
    }

    [Fact]
    public void Failed_add_removes_everything_it_made_and_keeps_what_was_there()
    {
        // A file where the libraries' directory must go fails the build after bash itself is copied.
        var path = Directory.CreateDirectory(_temp.Child("rootfs")).FullName;
        File.WriteAllText(Path.Join(path, "lib"), "in the way");

        var error = Assert.Throws<ContainerPSException>(() => RootFsBuilder.AddHostBinaries(path, ["/bin/bash"]));
        Assert.Equal("RootFsPathConflict", error.Reason);

        Assert.Contains("'/lib' is a file there, where a directory is needed", error.Message);
        Assert.Equal(["lib"], Directory.GetFileSystemEntries(path).Select(Path.GetFileName));
        Assert.Equal("in the way", File.ReadAllText(Path.Join(path, "lib")));
    }

    [SkippableFact]
    public void Failed_add_puts_back_the_links_it_replaced()
    {
        var busybox = HostCommand.RequireBusybox();
        Skip.If(new FileInfo("/bin/sh").LinkTarget is null or "busybox", "the host's /bin/sh must be a link to another shell (dash on Debian)");
        var path = RootFsBuilder.CreateBusybox(_temp.Child("rootfs"), busybox).Path;
        var before = Snapshot(path);
        // The host /bin/sh replaces bin/sh -> busybox first; its loader's /lib then meets this file.
        File.WriteAllText(Path.Join(path, "lib"), "in the way");

        Assert.Throws<ContainerPSException>(() => RootFsBuilder.AddHostBinaries(path, ["/bin/sh"]));

        File.Delete(Path.Join(path, "lib"));
        Assert.Equal(before, Snapshot(path));
        Assert.Equal("busybox", new FileInfo(Path.Join(path, "bin/sh")).LinkTarget);
    }

    // Follows links inside the rootfs the way a chroot would; the tests' paths have no links out of it
    // except absolute ones, which this re-roots.
    private static string InsideRootfs(string root, string path)
    {
        var current = root + path;
        for (var i = 0; i < 40 && new FileInfo(current).LinkTarget is { } link; i++)
        {
            current = link.StartsWith('/') ? root + link : Path.Join(Path.GetDirectoryName(current), link);
        }
        return current;
    }

    private static string[] Snapshot(string root) =>
        Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(entry => $"{entry} {new FileInfo(entry).LinkTarget} {(File.Exists(entry) ? new FileInfo(entry).Length : 0)}")
            .Order()
            .ToArray();
}
