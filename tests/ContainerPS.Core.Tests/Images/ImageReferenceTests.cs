using ContainerPS.Core.Images;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Tests.Images;

public sealed class ImageReferenceTests
{
    [Theory]
    [InlineData("busybox", null, "busybox", "latest", "busybox:latest")]
    [InlineData("localhost:5000/web:1.0", "localhost:5000", "web", "1.0", "localhost:5000/web:1.0")]
    [InlineData("registry.example/team/app", "registry.example", "team/app", "latest", "registry.example/team/app:latest")]
    [InlineData("team/app:v2", null, "team/app", "v2", "team/app:v2")]
    [InlineData("docker.io/library/busybox:1", null, "busybox", "1", "busybox:1")]
    [InlineData("docker.io/team/app", null, "team/app", "latest", "team/app:latest")]
    public void A_reference_splits_into_registry_path_and_tag_with_latest_by_default(string text, string? registry, string path, string tag, string stored)
    {
        var reference = ImageReference.Parse(text);

        Assert.Equal((registry, path, tag), (reference.Registry, reference.Path, reference.Tag));
        Assert.Equal(stored, reference.ToString());
    }

    [Theory]
    [InlineData("Busybox")]
    [InlineData("web:")]
    [InlineData("a//b")]
    [InlineData("web:tag with space")]
    public void A_malformed_reference_is_refused_with_the_form_that_is_valid(string text)
    {
        var error = Assert.Throws<ContainerPSException>(() => ImageReference.Parse(text));

        Assert.Equal("ImageReferenceInvalid", error.Reason);
        Assert.Contains("[HOST[:PORT]/]NAME[:TAG]", error.Message);
    }
}
