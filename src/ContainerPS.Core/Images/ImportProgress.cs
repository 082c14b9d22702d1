namespace ContainerPS.Core.Images;

/// <summary>How far an import or pull has come with one blob, for Write-Progress: one activity per layer.</summary>
public sealed record ImportProgress(string Blob, string Status, long Done, long Total);
