#requires -Version 7.4
<#
.SYNOPSIS
    Writes module/bin/ContainerPS.dll-Help.xml, the MAML help Get-Help reads for a binary module, from the /// comments.
.DESCRIPTION
    build.ps1 runs this after dotnet publish, in a fresh PowerShell process (so the ContainerPS.dll just built is the one
    loaded, even when the calling session imported an older one). It imports that assembly and takes each cmdlet's
    verb, noun, parameters, parameter sets, positions, pipeline input and output types from its CmdletInfo, and the text from ContainerPS.xml, the compiler's
    documentation file beside it:
      class <summary>        the synopsis: one line saying what the cmdlet does
      class <remarks>        the description; each <para> a paragraph
      class <example>        one example each: its <code> (indentation kept) and the text beside it as the remarks
      class <seealso cref>   a related link to the cmdlet that class implements; about_ContainerPS is always linked
      property <summary>     the parameter's description
    INPUTS come from the parameters' pipeline attributes: what binds by value, and which of the module's own output
    types bind by property name (and to which parameters).
.EXAMPLE
    ./module/New-HelpFile.ps1 -ModuleBin ./module/bin
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)]
    [string] $ModuleBin,

    # Where Get-Help looks: for a module loaded from a manifest it searches the module base (the manifest's folder) and
    # its culture folders, not the folder of the assembly, so build.ps1 passes <repo>/en-US/ContainerPS.dll-Help.xml.
    [string] $OutputPath = [IO.Path]::Combine($ModuleBin, 'ContainerPS.dll-Help.xml'),

    [string] $AssemblyName = 'ContainerPS'
)

$ErrorActionPreference = 'Stop'
$assemblyPath = [IO.Path]::Combine($ModuleBin, "$AssemblyName.dll")
$docPath = [IO.Path]::Combine($ModuleBin, "$AssemblyName.xml")
$helpPath = [IO.Path]::GetFullPath($OutputPath)
[void][IO.Directory]::CreateDirectory([IO.Path]::GetDirectoryName($helpPath))
if (-not [IO.File]::Exists($docPath)) { throw "$docPath is missing: set GenerateDocumentationFile in the project." }

$doc = [xml][IO.File]::ReadAllText($docPath)
$members = @{}
foreach ($member in $doc.doc.members.member) { $members[$member.name] = $member }

# --- the text of a /// comment -------------------------------------------------------------------------------------

function Get-DocText([Xml.XmlNode] $node) {
    # Inline text of a comment element as one line: <see cref> by its short name, <c> by its text, <code> left out.
    $text = [Text.StringBuilder]::new()
    foreach ($child in $node.ChildNodes) {
        if ($child -is [Xml.XmlText] -or $child -is [Xml.XmlCDataSection]) { [void]$text.Append($child.Value) }
        elseif ($child.LocalName -eq 'code' -or $child.LocalName -eq 'example') { [void]$text.Append(' ') }
        elseif ($child.LocalName -in 'see', 'seealso', 'paramref', 'typeparamref') {
            $ref = if ($child.GetAttribute('cref')) { $child.GetAttribute('cref') } elseif ($child.GetAttribute('langword')) { $child.GetAttribute('langword') } else { $child.GetAttribute('name') }
            $ref = $ref -replace '^[A-Z]:', '' -replace '\(.*$', ''
            [void]$text.Append($(if ($child.InnerText) { $child.InnerText } else { $ref.Substring($ref.LastIndexOf('.') + 1) }))
        }
        elseif ($child.LocalName -eq 'para') { [void]$text.Append(' ').Append((Get-DocText $child)).Append(' ') }
        elseif ($child -is [Xml.XmlElement]) { [void]$text.Append((Get-DocText $child)) }
    }
    ([regex]::Replace($text.ToString(), '\s+', ' ')).Trim()
}

function Get-Summary([string] $id) {
    $member = $members[$id]
    if ($null -eq $member -or $null -eq $member['summary']) { return '' }
    Get-DocText $member['summary']
}

function Get-Paragraph([Xml.XmlNode] $node) {
    # A <remarks> or <example> as paragraphs: each <para> one, and the loose text around them one each; <code> left out.
    $loose = [Text.StringBuilder]::new()
    foreach ($child in $node.ChildNodes) {
        if ($child.LocalName -eq 'para' -or $child.LocalName -eq 'code') {
            if ($loose.Length) { ([regex]::Replace($loose.ToString(), '\s+', ' ')).Trim(); [void]$loose.Clear() }
            if ($child.LocalName -eq 'para') { Get-DocText $child }
        }
        elseif ($child -is [Xml.XmlText]) { [void]$loose.Append($child.Value) }
        else { [void]$loose.Append(' ').Append((Get-DocText ([xml]"<x>$($child.OuterXml)</x>").x)).Append(' ') }
    }
    if ($loose.Length) { ([regex]::Replace($loose.ToString(), '\s+', ' ')).Trim() }
}

function Get-CodeText([Xml.XmlNode] $code) {
    # The lines of a <code> with the indentation they share removed, so a multi-line example reads as typed.
    $lines = [Collections.Generic.List[string]]@(($code.InnerText -replace '\r', '').Split("`n") | ForEach-Object TrimEnd)
    while ($lines.Count -and -not $lines[0]) { $lines.RemoveAt(0) }
    while ($lines.Count -and -not $lines[-1]) { $lines.RemoveAt($lines.Count - 1) }
    $indent = ($lines | Where-Object { $_.Trim() } | ForEach-Object { $_.Length - $_.TrimStart().Length } | Measure-Object -Minimum).Minimum
    ($lines | ForEach-Object { if ($_.Length -ge $indent) { $_.Substring($indent) } else { $_.Trim() } }) -join "`n"
}

# --- what PowerShell knows of each cmdlet -------------------------------------------------------------------------

$module = Import-Module $assemblyPath -PassThru -Force
$common = [Collections.Generic.HashSet[string]]::new([string[]][Management.Automation.Cmdlet]::CommonParameters, [StringComparer]::OrdinalIgnoreCase)
$shouldProcessHelp = @{
    WhatIf  = 'Shows what would happen if the cmdlet runs. The cmdlet is not run.'
    Confirm = 'Prompts you for confirmation before running the cmdlet.'
}
$parameterFlags = [Reflection.BindingFlags]'Public, Instance, IgnoreCase'
# The types the module's cmdlets emit: the ones that can pipe into its other cmdlets by property name.
$moduleOutputTypes = @(Get-Command -Module $module -CommandType Cmdlet | ForEach-Object OutputType | ForEach-Object Type |
        Where-Object { $null -ne $_ -and $_ -ne [void] -and $_ -ne [string] } | Sort-Object FullName -Unique)

function Get-DocId([Type] $type) { $type.FullName.Replace('+', '.') }

function Get-ParameterDescription([Type] $cmdletType, [string] $name) {
    # The /// summary of the property that declares the parameter, on the cmdlet or a base class.
    if ($shouldProcessHelp.ContainsKey($name)) { return $shouldProcessHelp[$name] }
    $property = $cmdletType.GetProperty($name, $parameterFlags)
    if ($null -eq $property) { return '' }
    Get-Summary "P:$(Get-DocId $property.DeclaringType).$($property.Name)"
}

function Get-TypeName([Type] $type) {
    # int?, string[] and the like as a reader writes them.
    $underlying = [Nullable]::GetUnderlyingType($type)
    if ($null -ne $underlying) { $type = $underlying }
    if ($type.IsArray) { return (Get-TypeName $type.GetElementType()) + '[]' }
    if ($type -eq [Management.Automation.SwitchParameter]) { return 'SwitchParameter' }
    $type.Name
}

function Get-PipelineInput($parameter) {
    $how = @()
    if ($parameter.ValueFromPipeline) { $how += 'ByValue' }
    if ($parameter.ValueFromPipelineByPropertyName) { $how += 'ByPropertyName' }
    if ($how.Count -eq 0) { return 'False' }
    "True ($($how -join ', '))"
}

function Get-Position([int] $position) { if ($position -lt 0) { 'named' } else { "$position" } }

function Get-SyntaxOrder($parameters) {
    # Syntax order: positional by position, then mandatory, then the rest, each as declared.
    $positional = [Collections.Generic.List[object]]::new(); $mandatory = [Collections.Generic.List[object]]::new(); $rest = [Collections.Generic.List[object]]::new()
    foreach ($p in $parameters) {
        if ($p.Position -ge 0) { $positional.Add($p) } elseif ($p.IsMandatory) { $mandatory.Add($p) } else { $rest.Add($p) }
    }
    $byPosition = [Linq.Enumerable]::ToArray([Linq.Enumerable]::OrderBy($positional, [Func[object, int]] { param($p) $p.Position }))
    @($byPosition) + @($mandatory) + @($rest)
}

function Get-PipelineInputType([string] $cmdletName, $parameters) {
    # What pipes in, from the parameters' attributes: each type taken by value, then each of the module's output types
    # that has a property named as a by-property-name parameter (or its alias), with the parameters it fills. Nearly
    # every type has a Name or a Path, so a type that fills only those is listed where it is what the cmdlet or the
    # parameter is named for (a CgroupInfo's Path for Set-CgroupLimit, a RootFs's Path for -RootFs), not everywhere
    # (a Container's Name would bind to Remove-NetworkLink -Name, but nobody means that); the rule for any object
    # is stated last.
    $noun = $cmdletName.Substring($cmdletName.IndexOf('-') + 1)
    foreach ($merged in $parameters | Where-Object ByValue) {
        [pscustomobject]@{ Type = $merged.Info.ParameterType.FullName; Description = "By value: binds to -$($merged.Info.Name)." }
    }
    $byName = @($parameters | Where-Object ByName)
    foreach ($outputType in $moduleOutputTypes) {
        $stem = $outputType.Name -replace 'Info$', ''
        $bound = @(); $meant = $false
        foreach ($merged in $byName) {
            $names = @($merged.Info.Name) + @($merged.Info.Aliases)
            $property = $names | Where-Object { $null -ne $outputType.GetProperty($_, $parameterFlags) } | Select-Object -First 1
            if (-not $property) { continue }
            $bound += "its $property binds to -$($merged.Info.Name)"
            $meant = $meant -or $property -notin 'Name', 'Path' -or "$noun $($merged.Info.Name)" -like "*$stem*"
        }
        if ($meant) { [pscustomobject]@{ Type = $outputType.FullName; Description = "By property name: $($bound -join ', ')." } }
    }
    if ($byName.Count) {
        $rules = foreach ($merged in $byName) { "$((@($merged.Info.Name) + @($merged.Info.Aliases)) -join ' or ') to -$($merged.Info.Name)" }
        [pscustomobject]@{ Type = 'System.Management.Automation.PSObject'; Description = "By property name, from any object that has them: $($rules -join ', ')." }
    }
}

# --- MAML ---------------------------------------------------------------------------------------------------------

$ns = @{
    msh     = 'http://msh'
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
}
$settings = [Xml.XmlWriterSettings]::new()
$settings.Indent = $true
$settings.Encoding = [Text.UTF8Encoding]::new($false)
$w = [Xml.XmlWriter]::Create($helpPath, $settings)

function Start-Element([string] $prefix, [string] $name) { $w.WriteStartElement($prefix, $name, $ns[$prefix]) }
function Write-Element([string] $prefix, [string] $name, [string] $value) { $w.WriteElementString($prefix, $name, $ns[$prefix], $value) }
function Write-Para([string] $prefix, [string] $name, [string[]] $paragraphs) {
    Start-Element $prefix $name
    foreach ($text in $paragraphs) { if ($text) { Write-Element maml para $text } }
    $w.WriteEndElement()
}
function Write-Type([string] $name) {
    Start-Element dev type
    Write-Element maml name $name
    $w.WriteEndElement()
}

$w.WriteStartDocument()
$w.WriteStartElement('helpItems', $ns.msh)
$w.WriteAttributeString('schema', 'maml')
foreach ($prefix in 'maml', 'command', 'dev') { $w.WriteAttributeString('xmlns', $prefix, $null, $ns[$prefix]) }

$commands = [Linq.Enumerable]::ToArray([Linq.Enumerable]::OrderBy([object[]]@(Get-Command -Module $module -CommandType Cmdlet), [Func[object, string]] { param($c) $c.Name }))
$cmdletOfClass = @{}
foreach ($cmdlet in $commands) { $cmdletOfClass["T:$(Get-DocId $cmdlet.ImplementingType)"] = $cmdlet.Name }
foreach ($cmdlet in $commands) {
    $type = $cmdlet.ImplementingType
    $classDoc = $members["T:$(Get-DocId $type)"]
    $synopsis = Get-Summary "T:$(Get-DocId $type)"
    $description = @(if ($null -ne $classDoc -and $null -ne $classDoc['remarks']) { Get-Paragraph $classDoc['remarks'] } else { $synopsis })
    $examples = @(if ($null -ne $classDoc) { $classDoc.SelectNodes('example') })
    $related = @(if ($null -ne $classDoc) { foreach ($see in $classDoc.SelectNodes('seealso[@cref]')) { $cmdletOfClass[$see.GetAttribute('cref')] } }) + 'about_ContainerPS'

    # Every parameter once, with what holds across its sets: required only if mandatory in all of them.
    $parameters = [ordered]@{}
    foreach ($set in $cmdlet.ParameterSets) {
        foreach ($p in $set.Parameters) {
            if ($common.Contains($p.Name)) { continue }
            if (-not $parameters.Contains($p.Name)) {
                $parameters[$p.Name] = [pscustomobject]@{ Info = $p; IsMandatory = $p.IsMandatory; Position = $p.Position; ByValue = $p.ValueFromPipeline; ByName = $p.ValueFromPipelineByPropertyName }
            }
            else {
                $merged = $parameters[$p.Name]
                $merged.IsMandatory = $merged.IsMandatory -and $p.IsMandatory
                if ($merged.Position -lt 0) { $merged.Position = $p.Position }
                $merged.ByValue = $merged.ByValue -or $p.ValueFromPipeline
                $merged.ByName = $merged.ByName -or $p.ValueFromPipelineByPropertyName
            }
        }
    }

    Start-Element command command
    Start-Element command details
    Write-Element command name $cmdlet.Name
    Write-Para maml description $synopsis
    Write-Element command verb $cmdlet.Verb
    Write-Element command noun $cmdlet.Noun
    $w.WriteEndElement()
    Write-Para maml description $description

    Start-Element command syntax
    foreach ($set in $cmdlet.ParameterSets) {
        Start-Element command syntaxItem
        Write-Element maml name $cmdlet.Name
        foreach ($p in (Get-SyntaxOrder @($set.Parameters | Where-Object { -not $common.Contains($_.Name) }))) {
            Start-Element command parameter
            $w.WriteAttributeString('required', "$($p.IsMandatory)".ToLowerInvariant())
            $w.WriteAttributeString('position', (Get-Position $p.Position))
            $w.WriteAttributeString('pipelineInput', (Get-PipelineInput $p))
            Write-Element maml name $p.Name
            if ($p.ParameterType -ne [Management.Automation.SwitchParameter]) {
                Start-Element command parameterValue
                $w.WriteAttributeString('required', 'true')
                $w.WriteString((Get-TypeName $p.ParameterType))
                $w.WriteEndElement()
            }
            $w.WriteEndElement()
        }
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    Start-Element command parameters
    foreach ($merged in (Get-SyntaxOrder @($parameters.Values))) {
        $p = $merged.Info
        $isSwitch = $p.ParameterType -eq [Management.Automation.SwitchParameter]
        Start-Element command parameter
        $w.WriteAttributeString('required', "$($merged.IsMandatory)".ToLowerInvariant())
        $w.WriteAttributeString('globbing', "$($p.Attributes.Where({ $_ -is [Management.Automation.SupportsWildcardsAttribute] }).Count -gt 0)".ToLowerInvariant())
        $w.WriteAttributeString('pipelineInput', (Get-PipelineInput ([pscustomobject]@{ ValueFromPipeline = $merged.ByValue; ValueFromPipelineByPropertyName = $merged.ByName })))
        $w.WriteAttributeString('position', (Get-Position $merged.Position))
        $w.WriteAttributeString('aliases', $(if ($p.Aliases.Count) { $p.Aliases -join ', ' } else { 'none' }))
        Write-Element maml name $p.Name
        Write-Para maml description (Get-ParameterDescription $type $p.Name)
        Start-Element command parameterValue
        $w.WriteAttributeString('required', "$(-not $isSwitch)".ToLowerInvariant())
        $w.WriteAttributeString('variableLength', "$($p.ParameterType.IsArray)".ToLowerInvariant())
        $w.WriteString((Get-TypeName $p.ParameterType))
        $w.WriteEndElement()
        Write-Type (Get-TypeName $p.ParameterType)
        Write-Element dev defaultValue $(if ($isSwitch) { 'False' } else { 'None' })
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    Start-Element command inputTypes
    $inputs = @(Get-PipelineInputType $cmdlet.Name $parameters.Values)
    if ($inputs.Count -eq 0) { $inputs = @([pscustomobject]@{ Type = 'None'; Description = "Nothing binds from the pipeline to $($cmdlet.Name)." }) }
    foreach ($input in $inputs) {
        Start-Element command inputType
        Write-Type $input.Type
        Write-Para maml description $input.Description
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    Start-Element command returnValues
    foreach ($output in $cmdlet.OutputType) {
        Start-Element command returnValue
        Write-Type $(if ($output.Type -eq [void]) { 'None' } else { $output.Name })
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    Start-Element command examples
    for ($i = 0; $i -lt $examples.Count; $i++) {
        Start-Element command example
        Write-Element maml title "-------------------------- Example $($i + 1) --------------------------"
        Write-Element dev code $(if ($null -ne $examples[$i]['code']) { Get-CodeText $examples[$i]['code'] })
        Write-Para dev remarks @(Get-Paragraph $examples[$i])
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    Start-Element maml relatedLinks
    foreach ($link in $related) {
        if (-not $link) { throw "A <seealso cref> of $($cmdlet.Name) names a class that is not a cmdlet." }
        Start-Element maml navigationLink
        Write-Element maml linkText $link
        Write-Element maml uri ''
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteEndElement()  # command:command
}

$w.WriteEndElement()  # helpItems
$w.WriteEndDocument()
$w.Dispose()
Remove-Module $module
[Console]::WriteLine("    $($commands.Length) cmdlets -> $helpPath")
