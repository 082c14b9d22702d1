namespace ContainerPS.Runtime.Cli;

/// <summary>
/// One command's arguments, parsed as runc's (urfave/cli) are: `--name value`, `--name=value`, one dash or two,
/// short aliases, repeatable flags (--env), booleans without a value, and the positional words in order. Flags end
/// at the first positional word, so exec's command keeps its own flags. A flag the command does not know is an error
/// that names it, never passed over.
/// </summary>
internal sealed class CommandArguments
{
    private readonly Dictionary<string, List<string>> _values = new();
    private readonly HashSet<string> _switches = new();

    public List<string> Positional { get; } = new();

    /// <param name="valued">Flags that take a value, by their long name; each alias maps to it ("b" → "bundle").</param>
    /// <param name="switches">Boolean flags, likewise.</param>
    public static CommandArguments Parse(string command, IEnumerable<string> args, string[] valued, string[] switches, Dictionary<string, string>? aliases = null)
    {
        var parsed = new CommandArguments();
        using var words = args.GetEnumerator();
        var onlyPositional = false;
        while (words.MoveNext())
        {
            var word = words.Current;
            if (onlyPositional || word.Length < 2 || word[0] != '-' || parsed.Positional.Count > 0)
            {
                parsed.Positional.Add(word);
                continue;
            }
            if (word == "--")
            {
                onlyPositional = true;
                continue;
            }
            var name = word.TrimStart('-');
            string? inline = null;
            if (name.IndexOf('=') is var equals and > 0)
            {
                inline = name[(equals + 1)..];
                name = name[..equals];
            }
            name = aliases is not null && aliases.TryGetValue(name, out var full) ? full : name;
            if (valued.Contains(name))
            {
                if (inline is null && !words.MoveNext())
                {
                    throw new UsageException($"flag needs an argument: --{name}");
                }
                (parsed._values.TryGetValue(name, out var list) ? list : parsed._values[name] = new()).Add(inline ?? words.Current);
            }
            else if (switches.Contains(name))
            {
                if (inline is null || bool.Parse(inline))
                {
                    parsed._switches.Add(name);
                }
            }
            else
            {
                throw new UsageException($"flag provided but not defined: -{name} (`containerps-runtime {command} --help` lists the flags)");
            }
        }
        return parsed;
    }

    public string? Value(string name) => _values.TryGetValue(name, out var list) ? list[^1] : null;

    public string[] Values(string name) => _values.TryGetValue(name, out var list) ? list.ToArray() : [];

    public bool Has(string name) => _switches.Contains(name);

    public int Number(string name)
    {
        var text = Value(name);
        return text is null ? 0 : int.TryParse(text, out var n) && n >= 0 ? n : throw new UsageException($"--{name} {text} is not a number of 0 or more");
    }

    /// <summary>The container id: the first positional word, required.</summary>
    public string Id(string command) =>
        Positional.Count > 0 ? Positional[0] : throw new UsageException($"\"{command}\" requires a container id");
}

/// <summary>A command line this runtime cannot run: exit code 1, as runc's usage errors.</summary>
internal sealed class UsageException(string message) : Exception(message);
