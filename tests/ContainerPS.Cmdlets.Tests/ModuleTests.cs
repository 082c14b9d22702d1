using System.Xml.Linq;

namespace ContainerPS.Cmdlets.Tests;

/// <summary>The module as a session sees it: what the manifest promises exists, declares its output, has a view, and asks before it changes the host.</summary>
public sealed class ModuleTests : IDisposable
{
    private readonly PowerShellSession _ps = new();

    private string[] Exported => _ps.Run("(Get-Module ContainerPS).ExportedCmdlets.Keys").ThrowOnError().Lines;

    [Fact]
    public void Every_cmdlet_the_manifest_lists_is_exported_and_declares_its_output_type()
    {
        var listed = File.ReadAllLines(PowerShellSession.Manifest).Select(l => l.Trim()).Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, "^'[A-Z][a-z]+-[A-Za-z]+'$")).Select(l => l.Trim('\'')).Order().ToArray();
        Assert.Equal(listed, Exported.Order());
        foreach (var name in listed)
        {
            Assert.True(_ps.Run($"(Get-Command {name}).OutputType.Count").ThrowOnError().Lines.Single() != "0", $"{name} declares no [OutputType]");
        }
    }

    [Fact]
    public void Every_cmdlet_that_changes_the_host_supports_WhatIf_and_Confirm()
    {
        var changing = Exported.Where(n => n.Split('-')[0] is "New" or "Set" or "Remove" or "Start" or "Stop" or "Add" or "Suspend" or "Resume" or "Invoke" or "Connect" or "Disconnect" or "Enter");
        foreach (var name in changing)
        {
            Assert.Equal(["True", "True"], _ps.Run($"$c = Get-Command {name}; $c.Parameters.ContainsKey('WhatIf'); $c.Parameters.ContainsKey('Confirm')").ThrowOnError().Lines);
        }
    }

    [Fact]
    public void Every_output_type_has_a_table_view()
    {
        var views = XDocument.Load(Path.Combine(PowerShellSession.RepoRoot, "formats", "ContainerPS.format.ps1xml"))
            .Descendants("TypeName").Select(t => t.Value).ToHashSet();
        var types = _ps.Run("Get-Command -Module ContainerPS | ForEach-Object { $_.OutputType } | ForEach-Object { $_.Name }").ThrowOnError().Lines
            .Where(t => t.StartsWith("ContainerPS.", StringComparison.Ordinal)).Distinct();
        foreach (var type in types)
        {
            Assert.True(views.Contains(type), $"{type} has no view in formats/ContainerPS.format.ps1xml");
            Assert.True(views.Contains("Deserialized." + type), $"{type} has no view for its deserialized form (remoting)");
        }
    }

    public void Dispose() => _ps.Dispose();
}
