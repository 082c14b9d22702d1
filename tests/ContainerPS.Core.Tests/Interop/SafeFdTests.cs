using ContainerPS.Core.Interop;
using static Tmds.Linux.LibC;

namespace ContainerPS.Core.Tests.Interop;

/// <summary>
/// Descriptor 0 is a descriptor: a SafeFd holding it closes it. Runs alone (whole process), because it closes this
/// process's stdin for a moment and puts it back.
/// </summary>
[Collection(WholeProcessTests.Name)]
public class SafeFdTests
{
    [Fact]
    public void Only_minus_one_is_invalid()
    {
        using var zero = new SafeFd(0, ownsHandle: false);
        using var none = new SafeFd(-1);
        Assert.False(zero.IsInvalid);
        Assert.True(none.IsInvalid);
    }

    [Fact]
    public void Disposing_a_SafeFd_of_descriptor_0_closes_it()
    {
        using var saved = Sys.Duplicate(0, lowest: 100);
        try
        {
            new SafeFd(0).Dispose();

            Assert.Equal(-1, fcntl(0, F_GETFD));
            Assert.Equal((int)Errno.EBADF, Check.LastErrno);
        }
        finally
        {
            Sys.DuplicateOnto(saved, 0);
        }
    }
}
