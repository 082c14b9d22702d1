using System.Runtime.Versioning;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Rootfs;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Tests.Rootfs;

[SupportedOSPlatform("linux")] // Core is Linux-only; this test assembly is not marked so
public sealed class BusyboxRootFsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [SkippableFact]
    public void Busybox_rootfs_runs_sh_in_chroot()
    {
        HostCommand.RequireRoot();
        var rootfs = RootFsBuilder.CreateBusybox(_temp.Child("rootfs"), HostCommand.RequireBusybox());

        Assert.Equal("hi\n", HostCommand.InChroot(rootfs.Path, "/bin/sh", "-c", "echo hi"));
        Assert.Equal("root\n", HostCommand.InChroot(rootfs.Path, "/bin/whoami"));
        Assert.Equal("env-ok\n", HostCommand.InChroot(rootfs.Path, "/usr/bin/env", "sh", "-c", "echo env-ok"));
    }

    [SkippableFact]
    public void Busybox_rootfs_has_the_skeleton_account_files_and_describes_itself()
    {
        var busybox = HostCommand.RequireBusybox();
        var path = _temp.Child("rootfs");

        var rootfs = RootFsBuilder.CreateBusybox(path, busybox);

        Assert.Equal(path, rootfs.Path);
        Assert.Equal("Busybox", rootfs.Source);
        Assert.Equal(["/bin/busybox"], rootfs.Binaries);
        Assert.True(rootfs.SizeBytes >= new FileInfo(busybox).Length);
        foreach (var directory in new[] { "bin", "sbin", "proc", "sys", "dev", "tmp", "etc", "root", "usr/bin" })
        {
            Assert.True(Directory.Exists(Path.Join(path, directory)), $"{directory} is missing");
        }
        Assert.Equal(Convert.ToInt32("1777", 8), (int)File.GetUnixFileMode(Path.Join(path, "tmp")));
        Assert.Equal(File.ReadAllBytes(busybox), File.ReadAllBytes(Path.Join(path, "bin/busybox")));
        Assert.Equal("busybox", new FileInfo(Path.Join(path, "bin/sh")).LinkTarget);
        Assert.StartsWith("root:x:0:0:root:/root:/bin/sh\n", File.ReadAllText(Path.Join(path, "etc/passwd")));
        Assert.Contains("nobody:x:65534:", File.ReadAllText(Path.Join(path, "etc/group")));
    }

    [SkippableFact]
    public void Busybox_applet_links_name_only_applets_busybox_provides()
    {
        var busybox = HostCommand.RequireBusybox();
        var provided = HostCommand.Run(busybox, "--list").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var rootfs = RootFsBuilder.CreateBusybox(_temp.Child("rootfs"), busybox);

        var links = new DirectoryInfo(Path.Join(rootfs.Path, "bin")).EnumerateFileSystemInfos()
            .Where(entry => entry.LinkTarget == "busybox")
            .Select(entry => entry.Name)
            .ToArray();

        Assert.Contains("sh", links);
        Assert.Contains("[", links);
        Assert.Empty(links.Except(provided));
    }

    [SkippableFact]
    public void Busybox_rootfs_is_built_in_an_existing_empty_directory()
    {
        var path = Directory.CreateDirectory(_temp.Child("empty")).FullName;

        var rootfs = RootFsBuilder.CreateBusybox(path, HostCommand.RequireBusybox());

        Assert.True(File.Exists(Path.Join(rootfs.Path, "bin/busybox")));
    }

    [SkippableFact]
    public void Busybox_rootfs_in_a_non_empty_directory_is_refused_and_the_directory_left_as_it_was()
    {
        var busybox = HostCommand.RequireBusybox();
        var path = Directory.CreateDirectory(_temp.Child("used")).FullName;
        File.WriteAllText(Path.Join(path, "keep.txt"), "mine");

        var error = Assert.Throws<ContainerPSException>(() => RootFsBuilder.CreateBusybox(path, busybox));
        Assert.Equal("RootFsNotEmpty", error.Reason);

        Assert.Contains($"'{path}' is not empty", error.Message);
        Assert.Contains("keep.txt", error.Message);
        Assert.Equal(["keep.txt"], Directory.GetFileSystemEntries(path).Select(Path.GetFileName));
        Assert.Equal("mine", File.ReadAllText(Path.Join(path, "keep.txt")));
    }

    [Fact]
    public void Missing_busybox_says_how_to_install_it_and_leaves_nothing_behind()
    {
        var path = _temp.Child("parent/rootfs");

        var error = Assert.Throws<ContainerPSException>(() => RootFsBuilder.CreateBusybox(path, _temp.Child("no-busybox")));
        Assert.Equal("BusyboxNotFound", error.Reason);

        Assert.Contains(_temp.Child("no-busybox"), error.Message);
        Assert.Contains("apt-get install busybox-static", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(_temp.Path));
    }

    [Fact]
    public void Busybox_that_is_not_an_elf_program_is_refused_and_leaves_nothing_behind()
    {
        var path = _temp.Child("rootfs");

        var error = Assert.Throws<ElfFormatException>(() => RootFsBuilder.CreateBusybox(path, "/etc/passwd"));

        Assert.Contains("'/etc/passwd'", error.Message);
        Assert.False(Directory.Exists(path));
    }

    [Fact]
    public void The_host_root_is_refused_as_a_rootfs()
    {
        var error = Assert.Throws<ContainerPSException>(() => RootFsBuilder.CreateBusybox("/"));
        Assert.Equal(FailureKind.InvalidArgument, error.Kind);

        Assert.Contains("host's root directory", error.Message);
    }
}
