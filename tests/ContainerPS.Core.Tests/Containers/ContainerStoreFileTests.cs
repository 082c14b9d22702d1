using System.Text.Json;
using ContainerPS.Core.Containers;
using ContainerPS.Core.Namespaces;

namespace ContainerPS.Core.Tests;

public sealed class ContainerStoreFileTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cps-store-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly ContainerStore _store;
    private const string Id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    public ContainerStoreFileTests()
    {
        _store = new ContainerStore(_root);
        _store.CreateDir(Id);
    }

    [Fact]
    public void A_spec_with_every_member_set_reads_back_equal()
    {
        var spec = new ContainerSpec
        {
            Id = Id,
            Name = "cps-\"quoted\" name",
            RootFs = "/tmp/rootfs",
            Command = ["sh", "-c", "echo ünïcode \\ \"q\""],
            Environment = ["PATH=/bin", "EMPTY="],
            WorkingDirectory = "/work",
            Hostname = "kevin",
            Namespaces = NamespaceKind.Mnt | NamespaceKind.Pid | NamespaceKind.User | NamespaceKind.Time,
            JoinNamespaces = [new NamespaceJoin { Kind = NamespaceKind.Net, Path = "/run/netns/x" }],
            Mounts = [new MountSpec { Source = "/src", Destination = "/dst", ReadOnly = true }],
            EtcFiles = [new MountSpec { Source = "/state/hosts", Destination = "/etc/hosts" }],
            ReadOnlyRootFs = true,
            Privileged = true,
            CreatedAt = new DateTime(2026, 11, 24, 15, 0, 0, 123, DateTimeKind.Utc),
        };
        _store.WriteSpec(spec);
        var back = _store.ReadSpec(Id)!;
        Assert.Equal(JsonSerializer.Serialize(spec), JsonSerializer.Serialize(back)); // every member, arrays included
        // Still plain JSON with the records' names, enums by name.
        using var doc = JsonDocument.Parse(File.ReadAllBytes(_store.SpecPath(Id)));
        Assert.Equal("Time, Mnt, User, Pid", doc.RootElement.GetProperty("Namespaces").GetString());
        Assert.Equal("Net", doc.RootElement.GetProperty("JoinNamespaces")[0].GetProperty("Kind").GetString());
    }

    [Fact]
    public void A_minimal_spec_keeps_the_record_defaults_and_unknown_members_are_skipped()
    {
        File.WriteAllText(_store.SpecPath(Id), $$"""{ "Id": "{{Id}}", "Name": "n", "RootFs": "/r", "Command": ["true"], "Future": { "x": [1, 2] } }""");
        var spec = _store.ReadSpec(Id)!;
        Assert.Equal("/", spec.WorkingDirectory);
        Assert.Equal(NamespaceKinds.ContainerDefault, spec.Namespaces);
        Assert.Empty(spec.Mounts);
        Assert.Null(spec.Hostname);
    }

    [Fact]
    public void State_reads_back_equal_and_leaves_out_what_is_unset()
    {
        var running = new ContainerStateFile { Pid = 42, PidStartTime = 123456789012, ShimPid = 41, ShimStartTime = 5, StartedAt = DateTime.UtcNow };
        _store.WriteState(Id, running);
        Assert.Equal(running, _store.ReadState(Id));
        Assert.DoesNotContain("ExitCode", File.ReadAllText(Path.Combine(_store.Dir(Id), "state.json")));

        var stopped = running with { FinishedAt = DateTime.UtcNow, ExitCode = 137, ExitSignal = 9, OomKilled = true };
        _store.UpdateState(Id, _ => stopped);
        Assert.Equal(stopped, _store.ReadState(Id));
    }

    [Fact]
    public void A_damaged_file_is_an_error_that_names_the_container_the_file_and_the_problem()
    {
        File.WriteAllText(_store.SpecPath(Id), """{ "Id": "x", "Name": "n" }""");
        Assert.Contains("'RootFs' is missing", Damaged(() => _store.ReadSpec(Id)).Message);
        File.WriteAllText(_store.SpecPath(Id), """{ "Id": "x", "Name": "n", "RootFs": "/r", "Command": ["t"], "Namespaces": "Mnt, Bogus" }""");
        Assert.Contains("'Bogus' is not a namespace kind", Damaged(() => _store.ReadSpec(Id)).Message);
        File.WriteAllText(_store.SpecPath(Id), """{ "Id": "x", "Name": "n", "RootFs": "/r", "Command": ["t"], "Namespaces": null }""");
        Assert.Contains("damaged", Damaged(() => _store.ReadSpec(Id)).Message);
    }

    private RecordDamagedException Damaged(Func<object?> read)
    {
        var error = Assert.Throws<RecordDamagedException>(read);
        Assert.Equal("ContainerRecordDamaged", error.Reason);
        Assert.Equal(Id, error.Target);
        Assert.Equal(_store.SpecPath(Id), error.File);
        Assert.IsAssignableFrom<JsonException>(error.InnerException);
        return error;
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
