using System.Management.Automation;

namespace ContainerPS;

/// <summary>
/// A cmdlet's Core work run as a background job (-AsJob): on a thread of its own, its objects to the job's output,
/// its progress to the job's progress, a failure to the job's errors, so Receive-Job and Wait-Job treat it as any
/// job. Core code runs without a pipeline, so nothing here calls back into the session.
/// </summary>
internal sealed class CoreJob : Job
{
    private readonly Func<Action<ProgressRecord>, CancellationToken, IEnumerable<object>> _work;
    private readonly Func<Exception, ErrorRecord?> _failure;
    private readonly CancellationTokenSource _stop = new();

    private CoreJob(string command, string name, Func<Action<ProgressRecord>, CancellationToken, IEnumerable<object>> work, Func<Exception, ErrorRecord?> failure)
        : base(command, name)
    {
        _work = work;
        _failure = failure;
        PSJobTypeName = "ContainerPSJob";
    }

    /// <summary>Starts <paramref name="work"/>; <paramref name="failure"/> gives the ErrorRecord of an expected failure (null: the exception's type names it).</summary>
    public static CoreJob Start(string command, string name, Func<Action<ProgressRecord>, CancellationToken, IEnumerable<object>> work, Func<Exception, ErrorRecord?> failure)
    {
        var job = new CoreJob(command, name, work, failure);
        job.SetJobState(JobState.Running);
        new Thread(job.Run) { IsBackground = true, Name = "ContainerPS job " + name }.Start();
        return job;
    }

    private void Run()
    {
        try
        {
            foreach (var item in _work(Progress.Add, _stop.Token))
            {
                Output.Add(PSObject.AsPSObject(item));
            }
            SetJobState(JobState.Completed);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            SetJobState(JobState.Stopped);
        }
        catch (Exception e)
        {
            // An unexpected exception must not end the session from a thread of its own: the job fails with it.
            Error.Add(_failure(e) ?? new ErrorRecord(e, e.GetType().Name, ErrorCategory.NotSpecified, null));
            SetJobState(JobState.Failed);
        }
    }

    public override string StatusMessage => JobStateInfo.State.ToString();

    public override bool HasMoreData => Output.Count > 0 || Error.Count > 0 || Progress.Count > 0;

    public override string Location => Environment.MachineName;

    /// <summary>Stop-Job asks the work to stop (work that cannot, an import, runs to its end) and waits for it: what it holds is released when it returns.</summary>
    public override void StopJob()
    {
        _stop.Cancel();
        Finished.WaitOne();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _stop.Dispose();
        }
        base.Dispose(disposing);
    }
}
