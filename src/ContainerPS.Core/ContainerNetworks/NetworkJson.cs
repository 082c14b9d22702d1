using System.Text.Json.Serialization;
using ContainerPS.Core.Network;

namespace ContainerPS.Core.ContainerNetworks;

/// <summary>Source-generated JSON for network.json and leases.json (the Core is AOT-compatible: no reflection).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ContainerNetwork))]
[JsonSerializable(typeof(List<ContainerNetworkAttachment>))]
internal sealed partial class NetworkJson : JsonSerializerContext;
