using System.Management.Automation.Runspaces;

namespace ContainerPS.Host;

/// <summary>What the process was asked to do: pwsh's command line, the subset that makes sense for this host.</summary>
internal sealed class CommandLine
{
    public const string Usage =
        """
        Usage: containerps [-NoLogo] [-NoProfile] [-NonInteractive] [-ExecutionPolicy <policy>]
                           [-Command { - | <script> [<args>...] } | [-File] { - | <path> [<args>...] }]
                           [-Help] [-Version]

          -Command, -c       Run <script> (all remaining arguments, joined by spaces); '-' reads the script from stdin.
          -File, -f          Run the script file; the remaining arguments bind to its parameters. The default
                             when the first argument is not a parameter name. '-' reads commands from stdin.
          -NoLogo            Do not print the banner at the interactive prompt.
          -NoProfile         Do not run the profile scripts.
          -NonInteractive    Fail instead of prompting (Read-Host, -Confirm, mandatory parameters).
          -ExecutionPolicy   Accepted for pwsh compatibility; Linux has no execution policy.
        With neither -Command nor -File, an interactive prompt reads commands until 'exit' or end of input.
        """;

    public bool NoLogo { get; private set; }
    public bool NoProfile { get; private set; }
    public bool NonInteractive { get; private set; }
    public bool ShowHelp { get; private set; }
    public bool ShowVersion { get; private set; }

    /// <summary>The script text of -Command, or null.</summary>
    public string? Command { get; private set; }

    /// <summary>True for '-Command -': the script is the whole of standard input.</summary>
    public bool CommandFromStdin { get; private set; }

    /// <summary>Full path of the -File script, or null.</summary>
    public string? File { get; private set; }

    /// <summary>The arguments after the -File path, as pwsh passes them: '-Name' alone, '-Name:value', or positional.</summary>
    public IReadOnlyList<CommandParameter> FileArguments => _fileArguments;

    private readonly List<CommandParameter> _fileArguments = [];

    /// <summary>Parses pwsh-style arguments; throws <see cref="CommandLineException"/> with pwsh's wording on misuse.</summary>
    public static CommandLine Parse(IReadOnlyList<string> args, bool stdinRedirected)
    {
        var result = new CommandLine();
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            if (arg.Length < 2 || arg[0] != '-')
            {
                // Like pwsh, the first argument that is not a switch names the script file.
                result.ParseFile(args, i);
                break;
            }

            // pwsh accepts -name and --name, and any prefix of a name down to its shortest unambiguous form.
            string key = arg.StartsWith("--", StringComparison.Ordinal) ? arg[2..] : arg[1..];
            if (Matches(key, "command", "c"))
            {
                result.ParseCommand(args, i + 1, stdinRedirected);
                break;
            }

            if (Matches(key, "file", "f"))
            {
                result.ParseFile(args, i + 1);
                break;
            }

            if (Matches(key, "executionpolicy", "ex") || Matches(key, "ep", "ep"))
            {
                if (++i >= args.Count)
                {
                    throw new CommandLineException("Cannot process the execution policy because of a missing policy. A policy must be specified after -ExecutionPolicy.");
                }
            }
            else if (Matches(key, "noprofile", "nop"))
            {
                result.NoProfile = true;
            }
            else if (Matches(key, "nologo", "nol"))
            {
                result.NoLogo = true;
            }
            else if (Matches(key, "noninteractive", "noni"))
            {
                result.NonInteractive = true;
            }
            else if (Matches(key, "version", "v"))
            {
                result.ShowVersion = true;
                break;
            }
            else if (Matches(key, "help", "h") || key == "?")
            {
                result.ShowHelp = true;
                break;
            }
            else
            {
                // pwsh takes an unknown switch for a script path, which then fails to exist; say so the same way.
                throw NotAScriptFile(arg);
            }
        }

        return result;
    }

    private static bool Matches(string key, string name, string shortest) =>
        key.Length >= shortest.Length && name.StartsWith(key, StringComparison.OrdinalIgnoreCase);

    private void ParseCommand(IReadOnlyList<string> args, int start, bool stdinRedirected)
    {
        if (start >= args.Count)
        {
            throw new CommandLineException("Cannot process the command because of a missing parameter. A command must follow -Command.");
        }

        if (args[start] == "-")
        {
            if (start + 1 != args.Count)
            {
                throw new CommandLineException("Too many parameters for command. '-Command -' must be the last parameter.");
            }

            if (!stdinRedirected)
            {
                throw new CommandLineException("'-Command -' was specified but standard input is not redirected.");
            }

            CommandFromStdin = true;
            return;
        }

        Command = string.Join(' ', args.Skip(start));
    }

    private void ParseFile(IReadOnlyList<string> args, int start)
    {
        if (start >= args.Count)
        {
            throw new CommandLineException("Cannot process the command because of a missing parameter. A file path must follow -File.");
        }

        if (args[start] == "-")
        {
            // pwsh's '-File -': commands from stdin, run one by one as at the prompt; that is the interactive loop.
            return;
        }

        string path = Path.GetFullPath(args[start]);
        if (!System.IO.File.Exists(path))
        {
            throw NotAScriptFile(args[start]);
        }

        File = path;
        string? pendingName = null;
        foreach (string arg in args.Skip(start + 1))
        {
            // The same shapes pwsh -File understands: '-Name value' (the engine's binder pairs a valueless
            // named parameter with the next positional one), '-Name:value', '-Name: value', and positionals.
            if (pendingName is not null)
            {
                _fileArguments.Add(new CommandParameter(pendingName, arg));
                pendingName = null;
            }
            else if (arg.Length > 1 && arg[0] == '-')
            {
                int colon = arg.IndexOf(':');
                if (colon < 0)
                {
                    _fileArguments.Add(new CommandParameter(arg));
                }
                else if (colon == arg.Length - 1)
                {
                    pendingName = arg[..colon];
                }
                else
                {
                    _fileArguments.Add(new CommandParameter(arg[..colon], BoolOrString(arg[(colon + 1)..])));
                }
            }
            else
            {
                _fileArguments.Add(new CommandParameter(null, arg));
            }
        }
    }

    /// <summary>pwsh turns '-Switch:$false' (and 'true', 'false', '$true') into a boolean so switches can be turned off.</summary>
    private static object BoolOrString(string value) =>
        bool.TryParse(value.StartsWith('$') ? value[1..] : value, out bool b) ? b : value;

    private static CommandLineException NotAScriptFile(string arg) =>
        new($"The argument '{arg}' is not recognized as the name of a script file. Check the spelling of the name, or if a path was included, verify that the path is correct and try again.");
}

/// <summary>A command line pwsh would refuse; the message is shown with the usage and the process exits 64.</summary>
internal sealed class CommandLineException(string message) : Exception(message);
