using ContainerPS.Core.Cgroups;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Oci;

/// <summary>
/// The resources of a config that only an OCI container asks for, written where the host has their controller:
/// hugepage limits (hugetlb: v1 hugetlb.SIZE.limit_in_bytes, v2 hugetlb.SIZE.max) and network classes (net_cls's
/// classid, net_prio's ifpriomap, v1 only). A controller no hierarchy holds is an error naming it, never skipped.
/// </summary>
public static class OciCgroupExtras
{
    public static void Apply(Cgroup cgroup, OciConfig config)
    {
        foreach (var (size, limit) in config.HugepageLimits)
        {
            var driver = Holding(cgroup, "hugetlb", "linux.resources.hugepageLimits");
            driver.WriteFile(cgroup.Path, driver.Version == 2 ? $"hugetlb.{size}.max" : $"hugetlb.{size}.limit_in_bytes", limit.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        if (config.NetworkClassId is { } classId)
        {
            Holding(cgroup, "net_cls", "linux.resources.network.classID").WriteFile(cgroup.Path, "net_cls.classid", classId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        foreach (var (name, priority) in config.NetworkPriorities)
        {
            Holding(cgroup, "net_prio", "linux.resources.network.priorities").WriteFile(cgroup.Path, "net_prio.ifpriomap", $"{name} {priority}");
        }
    }

    private static CgroupDriverBase Holding(Cgroup cgroup, string controller, string member) =>
        cgroup.Drivers.FirstOrDefault(d => d.Has(controller)) ?? throw new ContainerPSException("ControllerNotAvailable", FailureKind.ResourceUnavailable,
            $"{member} needs the {controller} controller, which no cgroup hierarchy of this host holds; remove it from config.json", controller);
}
