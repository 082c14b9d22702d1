using System.Text.Json.Serialization;

namespace ContainerPS.Core.Containers;

/// <summary>Source-generated JSON for the state files: the runtime helper is NativeAOT, so no reflection.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ContainerSpec))]
[JsonSerializable(typeof(ContainerStateFile))]
internal sealed partial class StateJson : JsonSerializerContext;
