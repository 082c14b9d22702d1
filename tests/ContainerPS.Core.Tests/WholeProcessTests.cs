namespace ContainerPS.Core.Tests;

/// <summary>
/// Tests that look at the whole test process (its children, its garbage collector) run alone, after the parallel
/// ones: another test's children or collections would be counted as theirs.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class WholeProcessTests
{
    public const string Name = "whole process";
}
