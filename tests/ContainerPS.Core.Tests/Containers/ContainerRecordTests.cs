using ContainerPS.Core.Containers;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Tests;

/// <summary>Each record of a store read on its own: damaged ones reported or shown as Damaged, never hiding the others.</summary>
public sealed class ContainerRecordTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "cps-records-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly ContainerStore _store;

    public ContainerRecordTests() => _store = new ContainerStore(_root);

    [Fact]
    public void A_truncated_state_is_reported_by_itself_and_the_other_containers_are_listed()
    {
        var healthy = Stopped("cps-healthy");
        var damaged = Stopped("cps-damaged");
        File.WriteAllBytes(_store.StatePath(damaged), []);
        var reported = new List<RecordDamagedException>();

        var listed = ContainerQuery.All(_store, reported.Add).ToArray();

        Assert.Equal([healthy], listed.Select(c => c.Id));
        var error = Assert.Single(reported);
        Assert.Equal(damaged, error.Target);
        Assert.Equal(_store.StatePath(damaged), error.File);
        Assert.Contains(_store.StatePath(damaged), error.Message);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("not json")]
    [InlineData("""{ "Id": 1 }""")]
    public void A_damaged_spec_is_refused_by_name_and_found_as_Damaged_for_a_forced_removal(string content)
    {
        var id = Stopped("cps-spec");
        File.WriteAllText(_store.SpecPath(id), content);

        Assert.Equal("ContainerRecordDamaged", Assert.Throws<RecordDamagedException>(() => ContainerQuery.Find(_store, "cps-spec")).Reason);
        var found = ContainerQuery.Find(_store, "cps-spec", acceptDamaged: true);
        Assert.Equal((id, "cps-spec", ContainerState.Damaged), (found.Id, found.Name, found.State));
    }

    [Fact]
    public void A_record_of_runc_in_the_same_root_is_not_taken_for_a_damaged_container()
    {
        var healthy = Stopped("cps-ours");
        var runc = NewId();
        Directory.CreateDirectory(_store.Dir(runc));
        File.WriteAllText(_store.StatePath(runc), """{ "id": "x", "init_process_pid": 1 }""");

        Assert.Equal([healthy], ContainerQuery.All(_store).Select(c => c.Id));
    }

    [Fact]
    public void A_directory_without_spec_is_a_Damaged_container_under_its_name()
    {
        var id = NewId();
        _store.ReserveName("cps-half", id);
        _store.CreateDir(id);

        var listed = Assert.Single(ContainerQuery.All(_store));
        Assert.Equal((id, "cps-half", ContainerState.Damaged), (listed.Id, listed.Name, listed.State));
        var refused = Assert.Throws<ContainerPSException>(() => _store.ReserveName("cps-half", NewId()));
        Assert.Contains("damaged record", refused.Message);
    }

    [Fact]
    public void A_name_without_a_directory_is_listed_as_Damaged_and_found_by_its_name()
    {
        var id = NewId();
        _store.ReserveName("cps-dangling", id);

        Assert.Equal(ContainerState.Damaged, Assert.Single(ContainerQuery.All(_store)).State);
        Assert.Equal(id, ContainerQuery.Find(_store, "cps-dangling").Id);
    }

    [Fact]
    public void An_id_never_picks_a_container_by_its_name()
    {
        var other = Stopped("cps-other");
        var prefix = other[..8];
        var named = Stopped(prefix);

        Assert.Equal(other, ContainerQuery.FindById(_store, prefix).Id);
        Assert.Equal(named, ContainerQuery.Find(_store, prefix).Id);
    }

    [Fact]
    public void Deleting_twice_is_not_an_error_and_never_takes_a_name_another_container_holds_now()
    {
        var id = Stopped("cps-twice");
        _store.Delete(id, "cps-twice");
        var successor = Stopped("cps-twice");

        _store.Delete(id, "cps-twice");

        Assert.Equal(successor, _store.ResolveName("cps-twice"));
        Assert.False(Directory.Exists(_store.Dir(id)));
    }

    private string Stopped(string name)
    {
        var id = NewId();
        _store.ReserveName(name, id);
        _store.CreateDir(id);
        _store.WriteSpec(new ContainerSpec { Id = id, Name = name, RootFs = "/r", Command = ["true"], CreatedAt = DateTime.UtcNow });
        _store.WriteState(id, new ContainerStateFile { ExitCode = 0 });
        return id;
    }

    private static string NewId() => Convert.ToHexString(Guid.NewGuid().ToByteArray()).ToLowerInvariant() + Convert.ToHexString(Guid.NewGuid().ToByteArray()).ToLowerInvariant();

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
