using System.Runtime.Versioning;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Rootfs;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Tests.Rootfs;

[SupportedOSPlatform("linux")] // Core is Linux-only; this test assembly is not marked so
public class SharedLibraryResolverTests
{
    [SkippableTheory]
    [InlineData("/bin/bash")]
    [InlineData("/usr/bin/curl")]
    [InlineData("/usr/bin/ssh")]
    [InlineData("/usr/bin/gpg")]
    [InlineData("/usr/bin/python3")]
    public void Dependency_closure_finds_the_files_ldd_finds(string program)
    {
        Skip.IfNot(File.Exists(program), $"{program} is not installed");
        Skip.IfNot(HostCommand.Exists("ldd"), "needs ldd to compare with");
        var ldd = LddOutput.Of(program);

        var closure = DependencyClosure.Collect(program, SharedLibraryResolver.ForHost());

        var expected = ldd.Libraries.Values.Append(ldd.Interpreter!).Select(RealPath).Order();
        Assert.Equal(expected, closure.Select(RealPath).Order());
        Assert.Equal(ldd.Interpreter, closure[0]);
    }

    [Fact]
    public void Ld_so_conf_includes_are_followed_in_order_with_comments_and_loops_ignored()
    {
        using var temp = new TempDirectory();
        var conf = temp.Child("ld.so.conf");
        File.WriteAllText(conf, "# libraries\n/opt/first/\ninclude conf.d/*.conf\n/opt/last # trailing comment\nhwcap 0 nosegneg\n");
        Directory.CreateDirectory(temp.Child("conf.d"));
        File.WriteAllText(temp.Child("conf.d/b.conf"), "/opt/b\n");
        File.WriteAllText(temp.Child("conf.d/a.conf"), "/opt/a\ninclude " + conf + "\n");
        File.WriteAllText(temp.Child("conf.d/ignored.txt"), "/opt/never\n");

        Assert.Equal(["/opt/first", "/opt/a", "/opt/b", "/opt/last"], LdSoConf.ReadDirectories(conf));
    }

    [Fact]
    public void Resolver_skips_a_32_bit_library_of_the_same_name_and_keeps_searching()
    {
        using var temp = new TempDirectory();
        var header = new byte[64];
        "\u007fELF"u8.CopyTo(header);
        header[4] = 1; // ELFCLASS32
        header[5] = 1;
        File.WriteAllBytes(temp.Child("libc.so.6"), header);

        var found = new SharedLibraryResolver([temp.Path]).Resolve("libc.so.6", "/bin/bash");

        Assert.NotNull(found);
        Assert.Equal(SharedLibraryResolver.ForHost().Resolve("libc.so.6", "/bin/bash"), found);
    }

    [SkippableFact]
    public void Origin_runpath_finds_a_library_beside_the_program()
    {
        using var temp = new TempDirectory();
        var program = NativeTestProgram.Build(temp.Path, "RUNPATH", libraryHasOwnRunPath: true);

        var elf = ElfFile.Read(program);
        var closure = DependencyClosure.Collect(program, SharedLibraryResolver.ForHost());

        Assert.Equal("$ORIGIN/../lib", elf.RunPath);
        Assert.Null(elf.RPath);
        Assert.Contains(temp.Child("app/lib/libgreet.so"), closure);
        Assert.Contains(temp.Child("app/lib/libhelper.so"), closure);
    }

    [SkippableFact]
    public void Rpath_of_the_program_is_inherited_by_its_libraries()
    {
        using var temp = new TempDirectory();
        var program = NativeTestProgram.Build(temp.Path, "RPATH", libraryHasOwnRunPath: false);

        var closure = DependencyClosure.Collect(program, SharedLibraryResolver.ForHost());

        Assert.Equal("$ORIGIN/../lib", ElfFile.Read(program).RPath);
        Assert.Contains(temp.Child("app/lib/libhelper.so"), closure);
        Assert.Equal(NativeTestProgram.Output + "\n", HostCommand.Run(program).Output);
    }

    [SkippableFact]
    public void Runpath_of_the_program_does_not_serve_its_libraries_and_the_error_says_who_needed_what()
    {
        using var temp = new TempDirectory();
        var program = NativeTestProgram.Build(temp.Path, "RUNPATH", libraryHasOwnRunPath: false);

        var error = Assert.Throws<ContainerPSException>(() => DependencyClosure.Collect(program, SharedLibraryResolver.ForHost()));

        Assert.Equal("SharedLibraryNotFound", error.Reason);
        Assert.Equal("libhelper.so", error.Target);
        Assert.Contains($"needed by '{temp.Child("app/lib/libgreet.so")}'", error.Message);
        Assert.Contains("/usr/lib/x86_64-linux-gnu", error.Message);
        // The host's loader agrees: the program does not start.
        Assert.NotEqual(0, HostCommand.Run(program).ExitCode);
    }

    private static string RealPath(string path) => HostCommand.Run("realpath", "-e", path).Output.Trim();
}
