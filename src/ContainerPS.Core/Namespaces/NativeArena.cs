using System.Runtime.InteropServices;
using System.Text;

namespace ContainerPS.Core.Namespaces;

/// <summary>Native memory for what a clone child reads, laid out before the clone and freed by the parent after it.</summary>
internal sealed unsafe class NativeArena : IDisposable
{
    private readonly List<nint> _blocks = [];

    public T* Alloc<T>(int count = 1) where T : unmanaged => (T*)Block(count * sizeof(T));

    /// <summary>A NUL-terminated UTF-8 copy, as the kernel takes a path or a name.</summary>
    public byte* String(string value) => Bytes(Encoding.UTF8.GetBytes(value + "\0"));

    public byte** Strings(IReadOnlyList<string> values)
    {
        var table = (byte**)Block((values.Count + 1) * sizeof(byte*));
        for (var i = 0; i < values.Count; i++)
        {
            table[i] = String(values[i]);
        }
        return table;
    }

    /// <summary>A step's argument as the kernel takes it: a number as is, a string or a buffer by address.</summary>
    public long Argument(object? value) => value switch
    {
        null => 0,
        string text => (long)String(text),
        byte[] bytes => (long)Bytes(bytes),
        _ => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture),
    };

    private byte* Bytes(byte[] bytes)
    {
        var p = (byte*)Block(Math.Max(1, bytes.Length));
        bytes.AsSpan().CopyTo(new Span<byte>(p, bytes.Length));
        return p;
    }

    public void* Block(int size)
    {
        var p = NativeMemory.AllocZeroed((nuint)size);
        _blocks.Add((nint)p);
        return p;
    }

    public void Dispose()
    {
        foreach (var p in _blocks)
        {
            NativeMemory.Free((void*)p);
        }
    }
}
