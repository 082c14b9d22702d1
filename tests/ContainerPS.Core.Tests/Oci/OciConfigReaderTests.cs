using System.Text.Json.Nodes;
using ContainerPS.Core.Interop;
using ContainerPS.Core.Namespaces;
using ContainerPS.Core.Oci;
using ContainerPS.Core.Security;

namespace ContainerPS.Core.Tests.Oci;

/// <summary>
/// config.json read into what create does: each member honoured in its runtime form, and each member this runtime
/// cannot honour refused by name, never dropped. Bundles are written to a temporary directory with an empty rootfs.
/// </summary>
public sealed class OciConfigReaderTests : IDisposable
{
    private readonly string _bundle = Directory.CreateTempSubdirectory("cps-oci-config-").FullName;

    public OciConfigReaderTests() => Directory.CreateDirectory(Path.Combine(_bundle, "rootfs"));

    public void Dispose() => Directory.Delete(_bundle, recursive: true);

    private static JsonObject Minimal() => new()
    {
        ["ociVersion"] = "1.0.2",
        ["root"] = new JsonObject { ["path"] = "rootfs" },
        ["process"] = new JsonObject { ["args"] = new JsonArray("true"), ["cwd"] = "/" },
        ["linux"] = new JsonObject { ["namespaces"] = new JsonArray(new JsonObject { ["type"] = "mount" }, new JsonObject { ["type"] = "pid" }) },
    };

    private OciConfig Read(JsonObject config)
    {
        File.WriteAllText(Path.Combine(_bundle, "config.json"), config.ToJsonString());
        return OciConfigReader.Read(_bundle);
    }

    private string Refused(JsonObject config) => Assert.Throws<ContainerPSException>(() => Read(config)).Message;

    [Fact]
    public void A_minimal_config_gives_its_process_root_and_namespaces()
    {
        var config = Read(Minimal());

        Assert.Equal(Path.Combine(_bundle, "rootfs"), config.RootPath);
        Assert.Equal(["true"], config.Process.Args);
        Assert.Equal(NamespaceKind.Mnt | NamespaceKind.Pid, config.NewNamespaces);
        Assert.Null(config.CgroupsPath);
        Assert.Null(config.SeccompJson);
    }

    [Fact]
    public void Bad_bundles_are_refused_with_what_is_wrong()
    {
        Assert.Contains("config.json: no such file", Assert.Throws<ContainerPSException>(() => OciConfigReader.Read(_bundle)).Message);
        File.WriteAllText(Path.Combine(_bundle, "config.json"), "{ \"ociVersion\": ");
        Assert.Contains("is not valid JSON", Assert.Throws<ContainerPSException>(() => OciConfigReader.Read(_bundle)).Message);

        var unknownNamespace = Minimal();
        unknownNamespace["linux"]!["namespaces"]!.AsArray().Add(new JsonObject { ["type"] = "foo" });
        Assert.Contains("unknown namespace type foo", Refused(unknownNamespace));

        var noMount = Minimal();
        noMount["linux"]!["namespaces"] = new JsonArray(new JsonObject { ["type"] = "pid" });
        Assert.Contains("no new mount namespace", Refused(noMount));

        var argsText = Minimal();
        argsText["process"]!["args"] = "true";
        Assert.Contains("args must be a JSON array", Refused(argsText));

        var relativeCwd = Minimal();
        relativeCwd["process"]!["cwd"] = "tmp";
        Assert.Contains("not an absolute path", Refused(relativeCwd));
    }

    [Theory]
    [InlineData("process", "apparmorProfile", "\"docker-default\"")]
    [InlineData("process", "selinuxLabel", "\"system_u:system_r:container_t:s0\"")]
    [InlineData("linux", "intelRdt", "{ \"closID\": \"x\" }")]
    [InlineData("linux", "personality", "{ \"domain\": \"LINUX32\" }")]
    [InlineData("linux", "mountLabel", "\"system_u:object_r:container_file_t:s0\"")]
    public void A_member_this_runtime_cannot_honour_is_refused_by_its_name(string parent, string member, string value)
    {
        var config = Minimal();
        config[parent]![member] = JsonNode.Parse(value);

        Assert.Contains($"{parent}.{member} is not supported", Refused(config));
    }

    [Fact]
    public void Ambient_capabilities_of_a_user_unknown_capabilities_and_rdma_limits_are_refused()
    {
        var rdma = Minimal();
        rdma["linux"]!["resources"] = new JsonObject { ["rdma"] = new JsonObject { ["mlx5_1"] = new JsonObject { ["hcaHandles"] = 3 } } };
        Assert.Contains("linux.resources.rdma is not supported", Refused(rdma));

        var ambient = Minimal();
        ambient["process"]!["user"] = new JsonObject { ["uid"] = 1000, ["gid"] = 1000 };
        ambient["process"]!["capabilities"] = new JsonObject { ["bounding"] = new JsonArray("CAP_KILL"), ["ambient"] = new JsonArray("CAP_KILL") };
        Assert.Contains("ambient is supported only for uid 0", Refused(ambient));

        var unknownCap = Minimal();
        unknownCap["process"]!["capabilities"] = new JsonObject { ["bounding"] = new JsonArray("CAP_FLY") };
        Assert.Contains("unknown capability CAP_FLY", Refused(unknownCap));
    }

    [Fact]
    public void Mount_options_become_flags_data_and_propagation_and_a_bind_mount_takes_no_data()
    {
        var config = Minimal();
        config["mounts"] = new JsonArray(
            new JsonObject { ["destination"] = "/tmp", ["type"] = "tmpfs", ["source"] = "tmpfs", ["options"] = new JsonArray("nosuid", "nodev", "mode=1777", "size=1m", "rprivate") },
            new JsonObject { ["destination"] = "/data", ["type"] = "bind", ["source"] = "rootfs", ["options"] = new JsonArray("rbind", "ro", "nosuid") });
        var mounts = Read(config).Mounts;

        Assert.Equal(MountFlags.NoSuid | MountFlags.NoDev, mounts[0].Flags);
        Assert.Equal("mode=1777,size=1m", mounts[0].Data);
        Assert.Equal([MountFlags.Private | MountFlags.Recursive], mounts[0].Propagation);
        Assert.True(mounts[1].Bind);
        Assert.Equal(MountFlags.Bind | MountFlags.Recursive, mounts[1].Flags);
        Assert.Equal(0x1 | 0x2, mounts[1].BindAttributes); // read-only, nosuid: set with mount_setattr after the bind
        Assert.Equal(Path.Combine(_bundle, "rootfs"), mounts[1].Source);

        config["mounts"]!.AsArray().Add(new JsonObject { ["destination"] = "/x", ["type"] = "bind", ["source"] = "rootfs", ["options"] = new JsonArray("rbind", "bogus") });
        Assert.Contains("unknown mount option bogus for /x", Refused(config));
    }

    [Theory]
    [InlineData("/default/t1", "default/t1")]
    [InlineData("web/t1", "containerps/web/t1")]
    public void CgroupsPath_absolute_is_from_each_root_and_relative_goes_below_containerps(string given, string path)
    {
        var config = Minimal();
        config["linux"]!["cgroupsPath"] = given;

        Assert.Equal(path, Read(config).CgroupsPath);
    }

    [Fact]
    public void CgroupsPath_of_systemd_or_with_dot_dot_is_refused()
    {
        var systemd = Minimal();
        systemd["linux"]!["cgroupsPath"] = "system.slice:cps:t1";
        Assert.Contains("systemd's slice:prefix:name form", Refused(systemd));

        var climbing = Minimal();
        climbing["linux"]!["cgroupsPath"] = "/default/../../etc";
        Assert.Contains(". or .. components", Refused(climbing));
    }

    [Fact]
    public void Resources_become_limits_and_device_rules_an_allow_list()
    {
        var config = Minimal();
        config["linux"]!["resources"] = JsonNode.Parse("""
            { "memory": { "limit": 67108864 }, "pids": { "limit": 50 }, "cpu": { "quota": 50000, "period": 100000, "shares": 512 },
              "devices": [ { "allow": false, "access": "rwm" }, { "allow": true, "type": "c", "major": 10, "minor": 200, "access": "rw" } ] }
            """);
        var read = Read(config);

        Assert.Equal(67108864, read.Limits!.Memory!.Value.Bytes);
        Assert.Equal(50, read.Limits.Pids);
        Assert.Equal(0.5, read.Limits.CpuQuota);
        Assert.Equal(512, read.Limits.CpuShares);
        Assert.Equal([new DeviceRule(DeviceType.Char, 10, 200, DeviceAccess.Read | DeviceAccess.Write)], read.AllowedDevices);
        Assert.False(read.AllDevicesAllowed);

        config["linux"]!["resources"]!["devices"]!.AsArray().Add(new JsonObject { ["allow"] = false, ["type"] = "c", ["major"] = 1, ["minor"] = 3, ["access"] = "r" });
        Assert.Contains("a deny rule for some devices after others were allowed", Refused(config));
    }

    [Theory]
    [InlineData("net.ipv4.ip_forward", "not allowed in the host's network namespace")]
    [InlineData("kernel.shmmax", "not allowed in the host's ipc namespace")]
    [InlineData("vm.swappiness", "is not in a separate kernel namespace")]
    public void A_sysctl_is_taken_only_where_a_namespace_of_the_container_holds_it(string key, string refusal)
    {
        var config = Minimal();
        config["linux"]!["sysctl"] = new JsonObject { [key] = "1" };
        Assert.Contains(refusal, Refused(config));

        config["linux"]!["namespaces"]!.AsArray().Add(new JsonObject { ["type"] = "network" });
        config["linux"]!["namespaces"]!.AsArray().Add(new JsonObject { ["type"] = "ipc" });
        if (!key.StartsWith("vm.", StringComparison.Ordinal))
        {
            Assert.Equal([(key, "1")], Read(config).Sysctl);
        }
    }

    [Fact]
    public void Hugepage_limits_and_network_classes_are_read_and_a_page_size_the_kernel_does_not_name_is_refused()
    {
        var config = Minimal();
        config["linux"]!["resources"] = JsonNode.Parse("""
            { "hugepageLimits": [ { "pageSize": "2MB", "limit": 4194304 } ],
              "network": { "classID": 1048577, "priorities": [ { "name": "eth0", "priority": 5 } ] } }
            """);
        var read = Read(config);

        Assert.Equal([("2MB", 4194304UL)], read.HugepageLimits);
        Assert.Equal(1048577u, read.NetworkClassId);
        Assert.Equal([("eth0", 5u)], read.NetworkPriorities);

        config["linux"]!["resources"]!["hugepageLimits"]![0]!["pageSize"] = "2 megabytes";
        Assert.Contains("pageSize 2 megabytes is not as the kernel names huge pages", Refused(config));
    }

    [Fact]
    public void Rlimits_are_read_by_name_and_an_unknown_one_is_refused()
    {
        var config = Minimal();
        config["process"]!["rlimits"] = JsonNode.Parse("""[ { "type": "RLIMIT_NOFILE", "soft": 123, "hard": 456 } ]""");
        Assert.Equal([(7, 123UL, 456UL)], Read(config).Process.Rlimits);

        config["process"]!["rlimits"] = JsonNode.Parse("""[ { "type": "RLIMIT_BOGUS", "soft": 1, "hard": 1 } ]""");
        Assert.Contains("unknown rlimit type RLIMIT_BOGUS", Refused(config));
    }
}
