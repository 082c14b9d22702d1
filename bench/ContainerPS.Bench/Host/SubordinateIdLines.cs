namespace ContainerPS.Bench.Host;

/// <summary>
/// A line in /etc/subuid and /etc/subgid for the run (-UserNamespace takes its blocks from the user "containerps"),
/// and the files as they were afterwards: put back, or removed if there was none.
/// </summary>
public sealed class SubordinateIdLines : IDisposable
{
    private static readonly string[] Files = ["/etc/subuid", "/etc/subgid"];
    private readonly Dictionary<string, string?> _saved = [];

    public SubordinateIdLines(string line)
    {
        foreach (var file in Files)
        {
            var text = File.Exists(file) ? File.ReadAllText(file) : null;
            _saved[file] = text;
            if (text is null || !text.Split('\n').Contains(line))
            {
                File.AppendAllText(file, (text is { Length: > 0 } && !text.EndsWith('\n') ? "\n" : "") + line + "\n");
            }
        }
    }

    public void Dispose()
    {
        foreach (var (file, text) in _saved)
        {
            if (text is null)
            {
                File.Delete(file);
            }
            else
            {
                File.WriteAllText(file, text);
            }
        }
    }
}
