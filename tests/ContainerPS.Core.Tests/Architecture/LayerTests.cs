using System.Text.RegularExpressions;

namespace ContainerPS.Core.Tests.Architecture;

/// <summary>
/// Core's folders in layers, as docs/architecture.md draws them: Interop at the bottom; Processes and Terminal on it;
/// the kernel areas (Security, Rootfs, Network, then Cgroups, then Namespaces), each using only lower ones, so none
/// imports another in a loop; orchestration (Containers, ContainerNetworks, Images, Oci) on top, which may use each other. Read
/// from the source: using directives and qualified names (ContainerPS.Core.X or X.Type), comments and strings left out.
/// </summary>
public sealed partial class LayerTests
{
    private const int Orchestration = 5;

    private static readonly Dictionary<string, int> Layers = new(StringComparer.Ordinal)
    {
        ["Interop"] = 0,
        ["Processes"] = 1,
        ["Terminal"] = 1,
        ["Security"] = 2,
        ["Rootfs"] = 2,
        ["Network"] = 2,
        ["Cgroups"] = 3,
        ["Namespaces"] = 4,
        ["Containers"] = Orchestration,
        ["ContainerNetworks"] = Orchestration,
        ["Images"] = Orchestration,
        ["Oci"] = Orchestration,
    };

    [Fact]
    public void Every_folder_of_Core_has_a_layer()
    {
        var unplaced = Directory.GetDirectories(CoreSource()).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj") && !Layers.ContainsKey(f!)).ToArray();
        Assert.True(unplaced.Length == 0, "no layer for " + string.Join(", ", unplaced));
    }

    [Fact]
    public void No_folder_uses_a_higher_layer_or_a_folder_beside_it()
    {
        var breaches = new List<string>();
        foreach (var (folder, layer) in Layers)
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(CoreSource(), folder), "*.cs", SearchOption.AllDirectories))
            {
                foreach (var used in UsedFolders(File.ReadAllText(file)).Where(u => u != folder && Layers.ContainsKey(u)))
                {
                    var allowed = Layers[used] < layer || (layer == Orchestration && Layers[used] == Orchestration);
                    if (!allowed)
                    {
                        breaches.Add($"{Path.GetRelativePath(CoreSource(), file)} (layer {layer}) uses {used} (layer {Layers[used]})");
                    }
                }
            }
        }
        Assert.True(breaches.Count == 0, string.Join('\n', breaches));
    }

    [Fact]
    public void The_scan_sees_a_using_a_qualified_name_and_a_partly_qualified_one_but_not_a_comment()
    {
        const string Source = """
            using ContainerPS.Core.Cgroups;
            // Namespaces.CloneChild in a comment
            var a = ContainerPS.Core.Security.Capabilities.Mask;
            var b = Rootfs.SecurePath.Join("/", "x");
            var c = spec.Network.Name; var d = "Containers.X";
            """;
        Assert.Equal(["Cgroups", "Rootfs", "Security"], UsedFolders(Source).Order());
    }

    /// <summary>The Core folders a file names, outside comments and string literals.</summary>
    private static IEnumerable<string> UsedFolders(string source)
    {
        var code = CommentsAndStrings().Replace(source, " ");
        return Qualified().Matches(code).Select(m => m.Groups["folder"].Value).Distinct();
    }

    // Line and block comments, verbatim, raw and plain string literals.
    [GeneratedRegex("""//[^\n]*|/\*.*?\*/|@"(?:[^"]|"")*"|"{3,}.*?"{3,}|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])'""", RegexOptions.Singleline)]
    private static partial Regex CommentsAndStrings();

    // ContainerPS.Core.X (a using directive too), or X.Type where nothing (no object, no dot) comes before X.
    [GeneratedRegex(@"ContainerPS\.Core\.(?<folder>[A-Z][A-Za-z]+)|(?<![\w.])(?<folder>[A-Z][A-Za-z]+)\.[A-Z]")]
    private static partial Regex Qualified();

    internal static string CoreSource()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "ContainerPS.Core");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException("src/ContainerPS.Core above " + AppContext.BaseDirectory);
    }
}
