using System.Buffers.Binary;
using ContainerPS.Core.Network;

namespace ContainerPS.Core.Tests.Network;

public class NetlinkMessageBuilderTests
{
    [Fact]
    public void Attributes_are_padded_to_four_bytes_and_the_header_carries_the_total_length()
    {
        var message = new NetlinkMessageBuilder(stackalloc byte[64], NetlinkMessageType.NewLink, NetlinkFlags.Create);
        message.Add(3, "abcd"); // 4 + 5 bytes, padded to 12
        message.Add(4, 1500u);
        var bytes = message.Complete().ToArray();

        Assert.Equal(16 + 12 + 8, bytes.Length);
        Assert.Equal((uint)bytes.Length, BinaryPrimitives.ReadUInt32LittleEndian(bytes));
        Assert.Equal(NetlinkMessageType.NewLink, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(NetlinkFlags.Create, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(6)));
        Assert.Equal(9, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(16)));
        Assert.Equal("abcd\0\0\0\0"u8.ToArray(), bytes[20..28]);
        Assert.Equal(8, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(28)));
        Assert.Equal(1500u, BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(32)));
    }

    [Fact]
    public void Nested_attributes_read_back_as_they_were_written()
    {
        var message = new NetlinkMessageBuilder(stackalloc byte[64], NetlinkMessageType.NewLink, 0);
        message.AddHeader(new Header8 { A = 7, B = 9 });
        var outer = message.BeginNested(18);
        message.Add(1, "veth");
        var inner = message.BeginNested(2);
        message.Add(5, 42);
        message.EndNested(inner);
        message.EndNested(outer);
        message.Add(4, 65535u);
        ReadOnlySpan<byte> datagram = message.Complete().ToArray();

        var parsed = NetlinkMessage.Next(ref datagram);
        Assert.True(datagram.IsEmpty);
        Assert.Equal(9u, parsed.Header<Header8>().B);
        var seen = new List<string>();
        foreach (var attribute in parsed.Attributes<Header8>())
        {
            if (attribute.Type == 18)
            {
                foreach (var info in attribute.Nested())
                {
                    if (info.Type == 1)
                    {
                        seen.Add("kind=" + info.ToText());
                    }
                    else
                    {
                        foreach (var data in info.Nested())
                        {
                            seen.Add($"{data.Type}={data.ToInt32()}");
                        }
                    }
                }
            }
            else
            {
                seen.Add($"{attribute.Type}={attribute.ToUInt32()}");
            }
        }
        Assert.Equal(["kind=veth", "5=42", "4=65535"], seen);
    }

    [Fact]
    public void A_request_larger_than_its_stack_buffer_moves_to_the_heap_intact()
    {
        var message = new NetlinkMessageBuilder(stackalloc byte[24], NetlinkMessageType.NewRoute, 0);
        for (uint i = 0; i < 50; i++)
        {
            message.Add(6, i);
        }
        ReadOnlySpan<byte> datagram = message.Complete().ToArray();
        var values = new List<uint>();
        foreach (var attribute in NetlinkMessage.Next(ref datagram).Attributes<Header8>())
        {
            values.Add(attribute.ToUInt32());
        }
        // This request has no family header: the first 8-byte attribute is skipped as if it were one.
        Assert.Equal(Enumerable.Range(1, 49).Select(i => (uint)i), values);
    }

    [Fact]
    public void An_attribute_that_overruns_its_message_is_rejected_not_read_past()
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, 12); // claims 12 bytes, has 8
        var error = Assert.Throws<InvalidDataException>(() =>
        {
            foreach (var _ in new NetlinkAttributeReader(bytes))
            {
            }
        });
        Assert.Contains("12 bytes", error.Message);
    }

    [Fact]
    public void A_fixed_size_value_too_short_for_its_type_is_rejected()
    {
        var error = Assert.Throws<InvalidDataException>(() => new NetlinkAttribute(4, new byte[2]).ToUInt32());
        Assert.Contains("too few", error.Message);
    }

    private struct Header8
    {
        public uint A;
        public uint B;
    }
}
