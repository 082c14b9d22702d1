using System.Formats.Tar;
using System.Runtime.Versioning;
using ContainerPS.Core.Images;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Tests.Rootfs;

namespace ContainerPS.Core.Tests.Images;

/// <summary>
/// Layers unpacked into the store as overlayfs lowers, from tars made here: whiteouts and opaque directories turned into
/// overlayfs's forms, what a tar entry may carry kept, and every way out of the layer refused with nothing kept.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class LayerUnpackerTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly ImageStore _store;

    public LayerUnpackerTests() => _store = new ImageStore(_temp.Child("store"));

    public void Dispose() => _temp.Dispose();

    private string Unpack(byte[] tar)
    {
        var (blob, diffId) = LayerTar.Store(_store, tar);
        LayerUnpacker.Unpack(_store, blob, diffId);
        return _store.LayerPath(diffId);
    }

    [SkippableFact]
    public void A_whiteout_becomes_a_0_0_character_device_and_an_opaque_marker_the_overlay_xattr()
    {
        RootOnly.Require();
        var layer = Unpack(LayerTar.Of(w =>
        {
            w.Dir("etc/");
            w.File("etc/.wh.motd", "");
            w.Dir("var/cache/");
            w.File("var/cache/.wh..wh..opq", "");
            w.File("var/cache/kept", "new");
        }, gzip: true));

        Assert.True(Sys.TryStat(Path.Combine(layer, "etc/motd"), out var st));
        Assert.Equal((uint)Tmds.Linux.LibC.S_IFCHR, (uint)st.st_mode & (uint)Tmds.Linux.LibC.S_IFMT);
        Assert.Equal(0UL, (ulong)st.st_rdev);
        Assert.False(File.Exists(Path.Combine(layer, "etc/.wh.motd")));
        Assert.Equal("y", HostXattr(Path.Combine(layer, "var/cache"), "trusted.overlay.opaque"));
        Assert.False(File.Exists(Path.Combine(layer, "var/cache/.wh..wh..opq")));
        Assert.Equal("new", File.ReadAllText(Path.Combine(layer, "var/cache/kept")));
    }

    [SkippableFact]
    public void Owners_modes_links_and_devices_are_kept_and_a_later_entry_replaces_an_earlier()
    {
        RootOnly.Require();
        var layer = Unpack(LayerTar.Of(w =>
        {
            w.File("bin/tool", "v1");
            w.File("bin/tool", "v2", uid: 1000, gid: 2000, mode: (UnixFileMode)0x9ed /* 04755 */);
            w.Link(TarEntryType.HardLink, "bin/tool2", "bin/tool");
            w.Link(TarEntryType.SymbolicLink, "bin/sh", "/bin/busybox");
            w.WriteEntry(new PaxTarEntry(TarEntryType.CharacterDevice, "dev/null") { DeviceMajor = 1, DeviceMinor = 3, Mode = (UnixFileMode)0x1b6 });
        }));

        var tool = Path.Combine(layer, "bin/tool");
        Assert.Equal("v2", File.ReadAllText(tool));
        Assert.True(Sys.TryStat(tool, out var st));
        Assert.Equal((1000u, 2000u), ((uint)st.st_uid, (uint)st.st_gid));
        Assert.Equal(0x9edu, (uint)st.st_mode & 0xfffu); // setuid kept: set after chown, which clears it
        Assert.True(Sys.TryStat(Path.Combine(layer, "bin/tool2"), out var linked));
        Assert.Equal((ulong)st.st_ino, (ulong)linked.st_ino);
        Assert.Equal("/bin/busybox", new FileInfo(Path.Combine(layer, "bin/sh")).LinkTarget);
        Assert.True(Sys.TryStat(Path.Combine(layer, "dev/null"), out var device));
        Assert.Equal((1UL << 8) | 3, (ulong)device.st_rdev);
    }

    [SkippableTheory]
    [InlineData("dotdot")]
    [InlineData("symlink-parent")]
    [InlineData("hardlink-out")]
    public void An_entry_that_would_write_outside_the_layer_is_refused_and_nothing_is_kept(string how)
    {
        RootOnly.Require();
        var outside = _temp.Child("outside");
        Directory.CreateDirectory(outside);
        var tar = LayerTar.Of(w =>
        {
            switch (how)
            {
                case "dotdot":
                    w.File("../../outside/pwned", "x");
                    break;
                case "symlink-parent":
                    w.Link(TarEntryType.SymbolicLink, "escape", outside);
                    w.File("escape/pwned", "x");
                    break;
                case "hardlink-out":
                    w.Link(TarEntryType.HardLink, "passwd", "../../../../etc/passwd");
                    break;
            }
        });
        var (blob, diffId) = LayerTar.Store(_store, tar);

        var error = Assert.Throws<ContainerPSException>(() => LayerUnpacker.Unpack(_store, blob, diffId));

        Assert.Equal("ImageLayerEntryEscapes", error.Reason);
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
        Assert.False(Directory.Exists(_store.LayerPath(diffId)));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_store.TempPath("")));
    }

    [SkippableFact]
    public void A_diff_id_that_does_not_match_keeps_nothing()
    {
        RootOnly.Require();
        var (blob, _) = LayerTar.Store(_store, LayerTar.Of(w => w.File("a", "a")));
        var wrong = Digest.Of("not this"u8);

        var error = Assert.Throws<ContainerPSException>(() => LayerUnpacker.Unpack(_store, blob, wrong));

        Assert.Equal("ImageDigestMismatch", error.Reason);
        Assert.Contains(wrong.ToString(), error.Message);
        Assert.False(Directory.Exists(_store.LayerPath(wrong)));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_store.TempPath("")));
    }

    [SkippableTheory]
    [InlineData("corrupt-gzip")]
    [InlineData("truncated")]
    public void A_damaged_layer_is_ImageLayerCorrupt(string how)
    {
        RootOnly.Require();
        var good = LayerTar.Of(w => w.File("big", new string('x', 100_000)), gzip: how == "corrupt-gzip");
        // Zeros over the deflate data past the gzip header; or the tar cut off inside its file's data.
        var bad = how == "corrupt-gzip" ? good.Take(10).Concat(new byte[200]).Concat(good.Skip(210)).ToArray() : good.Take(2000).ToArray();
        _store.Prepare();
        var badBlob = BlobWriter.Put(_store, new MemoryStream(bad), null, bad.Length, "the damaged layer");
        var diffId = Digest.Of("never reached: reading fails first"u8);

        var error = Assert.Throws<ContainerPSException>(() => LayerUnpacker.Unpack(_store, badBlob, diffId));

        Assert.Equal("ImageLayerCorrupt", error.Reason);
        Assert.Contains(badBlob.ToString(), error.Message);
        Assert.False(Directory.Exists(_store.LayerPath(diffId)));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_store.TempPath("")));
    }

    [SkippableFact]
    public void A_blob_whose_digest_is_not_the_one_named_is_not_stored()
    {
        RootOnly.Require();
        _store.Prepare();
        var named = Digest.Of("something else"u8);

        var error = Assert.Throws<ContainerPSException>(() => BlobWriter.Put(_store, new MemoryStream("content"u8.ToArray()), named, 7, "the test's blob"));

        Assert.Equal("ImageDigestMismatch", error.Reason);
        Assert.False(_store.HasBlob(named));
        Assert.False(_store.HasBlob(Digest.Of("content"u8)));
        Assert.Empty(Directory.EnumerateFileSystemEntries(_store.TempPath("")));
    }

    private static string HostXattr(string path, string name)
    {
        var buffer = new byte[64];
        var length = Getxattr(path, name, buffer, (nuint)buffer.Length);
        return length < 0 ? "" : System.Text.Encoding.UTF8.GetString(buffer, 0, (int)length);
    }

    [System.Runtime.InteropServices.DllImport("libc.so.6", EntryPoint = "getxattr")]
    private static extern nint Getxattr(string path, string name, byte[] value, nuint size);
}
