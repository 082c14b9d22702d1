using System.Diagnostics.CodeAnalysis;

namespace ContainerPS.Core.Network;

/// <summary>Turns a reply message into a result; false for a message that is not one (another type, another table).</summary>
public delegate bool NetlinkDecoder<T>(in NetlinkMessage message, [MaybeNullWhen(false)] out T result);
