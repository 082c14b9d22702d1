using System.Text.Json.Serialization;

namespace ContainerPS.Core.Images;

/// <summary>Source-generated JSON for image records, read and written in pwsh only (the shim never reads one).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ContainerImage))]
internal sealed partial class ImageJson : JsonSerializerContext;
