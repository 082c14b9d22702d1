using ContainerPS.Core.Containers;
using ContainerPS.Core.Interop;

namespace ContainerPS.Core.Tests;

/// <summary>A failed operation's rollback: newest change undone first, and the cause never hidden by a failing undo.</summary>
public sealed class RollbackTests
{
    [Fact]
    public void A_failure_undoes_every_step_newest_first_and_propagates_the_cause_itself()
    {
        var undone = new List<string>();
        var cause = new ContainerPSException("CgroupValueInvalid", FailureKind.InvalidArgument, "the kernel refused it");

        var thrown = Assert.Throws<ContainerPSException>(() => Rollback.Run(rollback =>
        {
            rollback.Add("name", () => undone.Add("name"));
            rollback.Add("cgroup", () => undone.Add("cgroup"));
            throw cause;
        }));

        Assert.Same(cause, thrown);
        Assert.Equal(["cgroup", "name"], undone);
        Assert.Null(Rollback.FailuresAttachedTo(thrown));
    }

    [Fact]
    public void An_undo_that_fails_is_attached_to_the_cause_and_the_other_steps_still_run()
    {
        var undone = new List<string>();
        var cause = new IOException("the shim did not report");

        var thrown = Assert.Throws<IOException>(() => Rollback.Run(rollback =>
        {
            rollback.Add("name web", () => undone.Add("name"));
            rollback.Add("cgroup containerps/web", () => throw new IOException("rmdir: EBUSY"));
            rollback.Add("shim", () => undone.Add("shim"));
            throw cause;
        }));

        Assert.Same(cause, thrown);
        Assert.Equal(["shim", "name"], undone);
        var failures = Rollback.FailuresAttachedTo(thrown);
        Assert.NotNull(failures);
        var step = Assert.IsType<ContainerPSException>(Assert.Single(failures.InnerExceptions));
        Assert.Equal("RollbackStepFailed", step.Reason);
        Assert.Contains("Undoing cgroup containerps/web failed: rmdir: EBUSY", step.Message);
        Assert.Equal("rmdir: EBUSY", step.InnerException!.Message);
        Assert.Contains("cgroup containerps/web", failures.Message);
    }

    [Fact]
    public void A_success_undoes_nothing()
    {
        var undone = new List<string>();

        var result = Rollback.Run(rollback =>
        {
            rollback.Add("name", () => undone.Add("name"));
            return 42;
        });

        Assert.Equal(42, result);
        Assert.Empty(undone);
    }
}
