using System.Management.Automation;
using ContainerPS.Core.Network;

namespace ContainerPS.Commands;

/// <summary>Remove-NetworkAddress: ip addr del CIDR dev LINK. Address objects piped in bind by Cidr, link index and namespace.</summary>
[Cmdlet(VerbsCommon.Remove, "NetworkAddress", SupportsShouldProcess = true, DefaultParameterSetName = "Name")]
[OutputType(typeof(void))]
public sealed class RemoveNetworkAddressCommand : NetworkCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Cidr")]
    [ValidateNotNullOrEmpty]
    public string Address { get; set; } = "";

    [Parameter(Mandatory = true, Position = 1, ParameterSetName = "Name")]
    [ValidateNotNullOrEmpty]
    public string LinkName { get; set; } = "";

    [Parameter(Mandatory = true, ParameterSetName = "Index", ValueFromPipelineByPropertyName = true)]
    public int LinkIndex { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? NamespacePath { get; set; }

    [Parameter]
    public object? Namespace { get; set; }

    protected override void ProcessRecord() => ForItem(Address, () =>
    {
        var cidr = Cidr.Parse(Address);
        var (socket, path) = SocketFor(Namespace, NamespacePath);
        var index = ParameterSetName == "Index" ? LinkIndex : FindLink(socket, LinkName, path).Index;
        if (ShouldProcess($"{cidr} on link {index}", "Remove address"))
        {
            Core.Network.Address.Delete(socket, index, cidr);
        }
    });
}
