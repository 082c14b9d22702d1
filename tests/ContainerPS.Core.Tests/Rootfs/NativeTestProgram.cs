namespace ContainerPS.Core.Tests.Rootfs;

/// <summary>
/// A program compiled for a test: app/bin/greet needs app/lib/libgreet.so, which needs
/// app/lib/libhelper.so. The program finds app/lib through $ORIGIN/../lib, stored as DT_RUNPATH or
/// DT_RPATH, so the tests can check both the way ld.so treats them.
/// </summary>
internal static class NativeTestProgram
{
    public const string Output = "greet 42";

    /// <param name="programSearchPath">"RUNPATH" or "RPATH": which tag the program's $ORIGIN/../lib goes in.</param>
    /// <param name="libraryHasOwnRunPath">Whether libgreet.so carries its own RUNPATH $ORIGIN (so it finds libhelper.so itself).</param>
    /// <returns>The program's path.</returns>
    public static string Build(string directory, string programSearchPath, bool libraryHasOwnRunPath)
    {
        Skip.IfNot(HostCommand.Exists("gcc"), "needs gcc to build a program with a RUNPATH");
        var lib = Path.Join(directory, "app/lib");
        var bin = Path.Join(directory, "app/bin");
        Directory.CreateDirectory(lib);
        Directory.CreateDirectory(bin);
        var helperSource = Write(directory, "helper.c", "int helper(void) { return 42; }\n");
        var greetSource = Write(directory, "greet.c", "int helper(void);\nint greet(void) { return helper(); }\n");
        var mainSource = Write(directory, "main.c",
            "#include <stdio.h>\nint greet(void);\nint main(void) { printf(\"greet %d\\n\", greet()); return 0; }\n");

        Gcc("-shared", "-fPIC", "-o", Path.Join(lib, "libhelper.so"), helperSource);
        Gcc(["-shared", "-fPIC", "-o", Path.Join(lib, "libgreet.so"), greetSource, "-L" + lib, "-lhelper",
            .. libraryHasOwnRunPath ? new[] { "-Wl,--enable-new-dtags,-rpath,$ORIGIN" } : []]);
        var program = Path.Join(bin, "greet");
        var tags = programSearchPath == "RUNPATH" ? "--enable-new-dtags" : "--disable-new-dtags";
        Gcc("-o", program, mainSource, "-L" + lib, "-lgreet", $"-Wl,{tags},-rpath,$ORIGIN/../lib", "-Wl,-rpath-link," + lib);
        return program;
    }

    private static string Write(string directory, string name, string text)
    {
        var path = Path.Join(directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static void Gcc(params string[] arguments)
    {
        var (exitCode, _, error) = HostCommand.Run("gcc", arguments);
        Assert.True(exitCode == 0, $"gcc {string.Join(' ', arguments)}: {error}");
    }
}
