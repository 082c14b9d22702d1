namespace ContainerPS.Core.Rootfs;

/// <summary>
/// The library directories /etc/ld.so.conf lists, with its <c>include</c> lines followed the way
/// ldconfig follows them. ldconfig turns these directories into /etc/ld.so.cache; reading the
/// directories themselves finds the same libraries without parsing the binary cache format.
/// </summary>
public static class LdSoConf
{
    public const string HostPath = "/etc/ld.so.conf";

    /// <summary>The directories in the order listed; a missing file lists none (a minimal host has no ld.so.conf).</summary>
    public static IReadOnlyList<string> ReadDirectories(string path = HostPath)
    {
        var directories = new List<string>();
        Read(Path.GetFullPath(path), directories, new HashSet<string>(StringComparer.Ordinal));
        return directories.Distinct(StringComparer.Ordinal).ToArray();
    }

    private static void Read(string path, List<string> directories, HashSet<string> visited)
    {
        // A conf.d file that includes its own directory would otherwise recurse forever.
        if (!visited.Add(path) || !File.Exists(path))
        {
            return;
        }
        foreach (var rawLine in File.ReadLines(path))
        {
            var line = StripComment(rawLine);
            if (line.Length == 0)
            {
                continue;
            }
            if (line.StartsWith("include", StringComparison.Ordinal) && line.Length > 7 && char.IsWhiteSpace(line[7]))
            {
                foreach (var pattern in line[7..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
                {
                    foreach (var included in Glob(path, pattern))
                    {
                        Read(included, directories, visited);
                    }
                }
            }
            else if (line.StartsWith('/'))
            {
                // Anything else (obsolete "hwcap" lines, relative names) ldconfig ignores or rejects.
                directories.Add(line.Length > 1 ? line.TrimEnd('/') : line);
            }
        }
    }

    private static string StripComment(string line)
    {
        var hash = line.IndexOf('#');
        return (hash < 0 ? line : line[..hash]).Trim();
    }

    // Include patterns are globs in the file-name part only ("/etc/ld.so.conf.d/*.conf"); a relative
    // pattern is relative to the including file's directory. Matches are read in sorted order, as glob(3) returns them.
    private static IEnumerable<string> Glob(string includingFile, string pattern)
    {
        var absolute = Path.IsPathRooted(pattern) ? pattern : Path.Join(Path.GetDirectoryName(includingFile), pattern);
        var directory = Path.GetDirectoryName(absolute);
        var namePattern = Path.GetFileName(absolute);
        if (string.IsNullOrEmpty(directory) || namePattern.Length == 0 || !Directory.Exists(directory))
        {
            return [];
        }
        return Directory.EnumerateFiles(directory, namePattern, new EnumerationOptions { MatchType = MatchType.Simple, MatchCasing = MatchCasing.CaseSensitive })
            .Order(StringComparer.Ordinal);
    }
}
