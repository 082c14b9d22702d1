namespace ContainerPS.Cmdlets.Tests;

/// <summary>
/// Get-Help as a user reads it: the MAML the build makes from the /// comments (module/New-HelpFile.ps1) is found and gives
/// every cmdlet a synopsis, its examples and its parameters' descriptions, dynamic ones included.
/// </summary>
public sealed class HelpTests : IDisposable
{
    private readonly PowerShellSession _ps = new();

    [Fact]
    public void Every_cmdlet_has_a_synopsis_examples_and_parameter_descriptions()
    {
        var exported = _ps.Run("(Get-Module ContainerPS).ExportedCmdlets.Keys").ThrowOnError().Lines;
        Assert.NotEmpty(exported);
        foreach (var name in exported)
        {
            // Without a help file Get-Help falls back to the syntax as the synopsis.
            var synopsis = _ps.Run($"(Get-Help {name}).Synopsis").ThrowOnError().Lines.Single().Trim();
            Assert.False(string.IsNullOrWhiteSpace(synopsis), $"{name} has no synopsis");
            Assert.False(synopsis.StartsWith(name + " ", StringComparison.Ordinal) || synopsis.Contains("[<CommonParameters>]"),
                $"{name}'s synopsis is its syntax, so no help file was found: {synopsis}");
        }

        var examples = _ps.Run("@((Get-Help New-Container -Examples).examples.example).Count").ThrowOnError().Lines.Single();
        Assert.True(int.Parse(examples) >= 1, "Get-Help New-Container -Examples shows no example");
        Assert.Contains("New-Container", _ps.Run("(Get-Help New-Container -Examples).examples.example[0].code").ThrowOnError().Lines.Single());

        // -RootFs is declared on the cmdlet, -Memory and -Name on base classes (CgroupLimitCmdlet, ContainerTargetCmdlet).
        foreach (var (name, parameter, words) in new[] { ("New-Container", "RootFs", "root filesystem"), ("New-Container", "Memory", "Memory limit"), ("Stop-Container", "Name", "Container names") })
        {
            var description = string.Join(" ", _ps.Run($"(Get-Help {name} -Parameter {parameter}).description.Text").ThrowOnError().Lines);
            Assert.Contains(words, description);
        }
    }

    public void Dispose() => _ps.Dispose();
}
