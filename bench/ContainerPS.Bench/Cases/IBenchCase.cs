using ContainerPS.Bench.Report;

namespace ContainerPS.Bench.Cases;

/// <summary>
/// One benchmark case: it checks both sides do the same work, times them, fills its result, and removes what it
/// made even when it fails (a failure leaves the rows recorded so far and the reason).
/// </summary>
public interface IBenchCase
{
    string Title { get; }

    /// <summary>What is measured and how, as the results file states it above the table.</summary>
    string Method { get; }

    void Run(BenchContext bench, CaseResult result);
}
