using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;

namespace ContainerPS.Host;

/// <summary>
/// containerps: pwsh's command line on the PowerShell engine, for machines that have no pwsh.
/// Parses the arguments, opens the session, runs -Command, -File or the interactive prompt, and exits
/// with the code pwsh would exit with.
/// </summary>
internal static class Program
{
    // pwsh's exit code for a command line it cannot use.
    private const int BadCommandLine = 64;

    public static int Main(string[] args)
    {
        CommandLine commandLine;
        try
        {
            commandLine = CommandLine.Parse(args, Console.IsInputRedirected);
        }
        catch (CommandLineException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine();
            Console.Error.WriteLine(CommandLine.Usage);
            return BadCommandLine;
        }

        if (commandLine.ShowHelp)
        {
            Console.WriteLine(CommandLine.Usage);
            return 0;
        }

        if (commandLine.ShowVersion)
        {
            Console.WriteLine(Banner());
            return 0;
        }

        // As pwsh: NO_COLOR (no-color.org) and terminals that declare they have no colours get plain text.
        if (Environment.GetEnvironmentVariable("NO_COLOR") is not null
            || Environment.GetEnvironmentVariable("TERM") is "dumb" or "xterm-mono")
        {
            PSStyle.Instance.OutputRendering = OutputRendering.PlainText;
        }

        var host = new ConsoleHost(commandLine.NonInteractive);
        using Runspace runspace = OpenRunspace(host);
        var runner = new PipelineRunner(host, runspace);
        host.NestedLoopFactory = () => new InteractiveLoop(host, runner.ForNestedPrompt());

        Profiles.SetProfileVariable(runspace);
        if (!commandLine.NoProfile)
        {
            Profiles.Run(runspace, runner);
        }

        bool completed;
        if (commandLine.File is not null)
        {
            completed = RunFile(runspace, runner, commandLine.File, commandLine.FileArguments);
        }
        else if (commandLine.Command is not null || commandLine.CommandFromStdin)
        {
            // In history, as pwsh adds it: that is also what makes $global:? below report this command.
            completed = runner.RunScript(commandLine.Command ?? Console.In.ReadToEnd(), addToHistory: true);
        }
        else
        {
            if (!commandLine.NoLogo)
            {
                host.UI.WriteLine(Banner());
            }

            new InteractiveLoop(host, runner).Run();
            completed = true;
        }

        // pwsh's rules (ConsoleHost.DoRunspaceLoop and its -File path), in order:
        //  1. `exit N`, in the command, the script or at the prompt, makes the exit code N.
        //  2. A terminating error that ended -Command or -File makes it 1.
        //  3. Otherwise it is 0 when $global:? is true, else 1. For -Command and the prompt (pipelines added to
        //     history) that is the status of the last statement; for -File it stays true, so a script that
        //     ends without `exit` exits 0 even if its last statement failed, as with pwsh.
        //  A native command's own exit code is not passed on: pwsh -Command maps a failing one to 1 as well
        //  (about_Pwsh; PowerShell/PowerShell issues #11461 and #13501, kept by design). `exit $LASTEXITCODE`
        //  passes it on, with pwsh and here.
        return host.RequestedExitCode
            ?? (completed && runner.LastStatementSucceeded() ? 0 : 1);
    }

    private static Runspace OpenRunspace(ConsoleHost host)
    {
        // No execution policy is set: Linux has none to enforce, and the engine refuses to set one there
        // (InitialSessionState.ExecutionPolicy makes Open() throw PlatformNotSupportedException).
        InitialSessionState sessionState = InitialSessionState.CreateDefault2();
        Runspace runspace = RunspaceFactory.CreateRunspace(host, sessionState);

        // One pipeline thread for the whole session, as pwsh: thread-affine state (culture, cwd of native
        // helpers, [ThreadStatic] caches in modules) stays put between commands.
        runspace.ThreadOptions = PSThreadOptions.ReuseThread;
        runspace.Open();
        return runspace;
    }

    private static bool RunFile(Runspace runspace, PipelineRunner runner, string path, IEnumerable<CommandParameter> arguments)
    {
        MakeExitEndTheHost(runspace);

        // A script without the .ps1 extension (a '#!/usr/bin/env containerps' script) is run from its text,
        // which is what pwsh does on Unix, since the engine only runs files named *.ps1.
        Command command = path.EndsWith(".ps1", StringComparison.OrdinalIgnoreCase)
            ? new Command(path, isScript: false, useLocalScope: false)
            : new Command(File.ReadAllText(path), isScript: true, useLocalScope: false);
        foreach (CommandParameter parameter in arguments)
        {
            command.Parameters.Add(parameter);
        }

        return runner.Run(ps => ps.Commands.AddCommand(command));
    }

    /// <summary>
    /// `exit N` in a script file normally ends only the script (it sets $LASTEXITCODE). For -File, pwsh sets the
    /// engine's ScriptCommandProcessorShouldRethrowExit so that it ends the session with N instead. The switch is
    /// internal to System.Management.Automation, hence reflection; the package version is pinned, and a missing
    /// member fails loudly rather than silently changing exit codes.
    /// </summary>
    private static void MakeExitEndTheHost(Runspace runspace)
    {
        const BindingFlags NonPublic = BindingFlags.Instance | BindingFlags.NonPublic;
        object context = typeof(Runspace).GetProperty("ExecutionContext", NonPublic)?.GetValue(runspace)
            ?? throw new MissingMemberException(nameof(Runspace), "ExecutionContext");
        PropertyInfo rethrow = context.GetType().GetProperty("ScriptCommandProcessorShouldRethrowExit", NonPublic)
            ?? throw new MissingMemberException(context.GetType().FullName, "ScriptCommandProcessorShouldRethrowExit");
        rethrow.SetValue(context, true);
    }

    private static string Banner() =>
        $"containerps {Version(typeof(Program).Assembly)} (PowerShell {Version(typeof(PSObject).Assembly)})";

    private static string Version(Assembly assembly)
    {
        string version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "?";
        // Informational versions carry build metadata ("7.6.9 SHA: ...", "0.1.0+abc"); people want the number.
        int end = version.IndexOfAny([' ', '+']);
        return end < 0 ? version : version[..end];
    }
}
