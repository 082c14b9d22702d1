using System.Management.Automation;

namespace ContainerPS.Cmdlets.Tests;

/// <summary>Each kind of bad input gives one clear ErrorRecord with the right id and category, and leaves the host as it was.</summary>
public sealed class ContainerBadInputTests : IClassFixture<BusyboxRootFs>, IDisposable
{
    private readonly BusyboxRootFs _rootfs;
    private readonly PowerShellSession _ps = new();
    private readonly string _prefix = "cps-t-" + Guid.NewGuid().ToString("N")[..6];

    public ContainerBadInputTests(BusyboxRootFs rootfs) => _rootfs = rootfs;

    [SkippableTheory]
    [InlineData("-RootFs /nonexistent/cps-rootfs -Command sh", "RootFsNotFound", ErrorCategory.ObjectNotFound, "/nonexistent/cps-rootfs")]
    [InlineData("-RootFs {rootfs} -Command bash", "ExecutableNotFound", ErrorCategory.ObjectNotFound, "'bash' was not found in PATH")]
    [InlineData("-RootFs {rootfs} -Command /usr/bin/cps-no-such-program", "ExecutableNotFound", ErrorCategory.ObjectNotFound, "/usr/bin/cps-no-such-program")]
    [InlineData("-RootFs {rootfs} -Command sh -Hostname 'bad_host!'", "InvalidHostname", ErrorCategory.InvalidArgument, "'bad_host!'")]
    [InlineData("-RootFs {rootfs} -Command sh -Namespace Pid,Mnt,Bogus", "ParameterArgumentTransformationError", ErrorCategory.InvalidData, "'Bogus' is not a namespace kind. Valid kinds: Cgroup, Ipc, Mnt, Net, Pid, Time, User, Uts")]
    [InlineData("-RootFs {rootfs} -Command sh -Mount /nonexistent/cps-src:/data", "MountSourceNotFound", ErrorCategory.ObjectNotFound, "/nonexistent/cps-src")]
    [InlineData("-RootFs {rootfs} -Command sh -Mount nodestination", "InvalidMount", ErrorCategory.InvalidArgument, "source:destination")]
    [InlineData("-RootFs {rootfs} -Command sh -WorkingDirectory /cps-missing", "WorkingDirectoryNotFound", ErrorCategory.ObjectNotFound, "/cps-missing")]
    public void Bad_input_gives_a_clear_error_and_leaves_nothing(string arguments, string errorId, ErrorCategory category, string mentions)
    {
        RootOnly.Require();
        var before = HostResidue.Now();
        var error = _ps.Run($"New-Container -Name {_prefix}-bad {arguments.Replace("{rootfs}", $"'{_rootfs.Path}'")}").SingleError;
        Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.Contains(mentions, error.ToString());
        HostResidue.Now().AssertSameAs(before);
        Assert.Empty(_ps.Run($"Get-Container {_prefix}*").Output);
    }

    [SkippableFact]
    public void Duplicate_name_is_refused_and_the_first_container_is_untouched()
    {
        RootOnly.Require();
        var name = $"{_prefix}-dup";
        var first = _ps.Run($"New-Container -RootFs '{_rootfs.Path}' -Name {name} -Command sleep,1000").ThrowOnError().Output.Single();
        var before = HostResidue.Now();
        var error = _ps.Run($"New-Container -RootFs '{_rootfs.Path}' -Name {name} -Command sh").SingleError;
        Assert.StartsWith("ContainerNameInUse,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceExists, error.CategoryInfo.Category);
        Assert.Contains(name, error.ToString());
        HostResidue.Now().AssertSameAs(before);
        var still = _ps.Run($"Get-Container {name}").ThrowOnError().Output.Single();
        Assert.Equal(first.Properties["Id"].Value, still.Properties["Id"].Value);
        Assert.Equal("Created", still.Properties["State"].Value.ToString());
    }

    [SkippableFact]
    public void Unknown_container_names_the_value_and_how_to_list_what_exists()
    {
        RootOnly.Require();
        var error = _ps.Run($"Start-Container {_prefix}-nobody").SingleError;
        Assert.StartsWith("ContainerNotFound,", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Contains("Get-Container", error.ToString());
    }

    [SkippableFact]
    public void Starting_a_container_twice_is_refused()
    {
        RootOnly.Require();
        var name = $"{_prefix}-twice";
        _ps.Run($"New-Container -RootFs '{_rootfs.Path}' -Name {name} -Command sleep,1000 | Start-Container").ThrowOnError();
        var error = _ps.Run($"Start-Container {name}").SingleError;
        Assert.StartsWith("ContainerNotCreated,", error.FullyQualifiedErrorId);
        Assert.Contains("Running", error.ToString());
    }

    public void Dispose()
    {
        _ps.Run($"Get-Container {_prefix}* | Remove-Container -Force").ThrowOnError();
        _ps.Dispose();
    }
}
