using System.Text.Json;

namespace ContainerPS.Core.Containers;

/// <summary>
/// How the container and network stores keep their JSON records: written whole or not at all, and read as
/// missing (null), parsed, or damaged (the store's <see cref="RecordDamagedException"/>, naming the file).
/// </summary>
internal static class RecordFile
{
    // Write a sibling and rename it over the target: a reader sees the old file or the new one, never half of one.
    public static void WriteAtomically(string path, byte[] bytes)
    {
        var temp = path + ".tmp";
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, path, overwrite: true);
    }

    public static T? Read<T>(string path, Func<byte[], T?> parse, Func<JsonException, RecordDamagedException> damaged) where T : class
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        try
        {
            return parse(bytes);
        }
        catch (JsonException e)
        {
            throw damaged(e);
        }
    }
}
