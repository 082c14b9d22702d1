namespace ContainerPS.Bench.Report;

/// <summary>
/// Runs a case's tools in rounds, one iteration of each per round, so that noise from the rest of the machine falls
/// on all of them alike; the order rotates each round, since what ran just before matters (a cgroup move right after
/// another is cheap). The first rounds warm caches and JIT and are not recorded.
/// </summary>
public sealed class Recorder
{
    private readonly Dictionary<string, List<double>> _values = [];
    private bool _recording;

    /// <summary>Calls every step with the round number (unique over warm-up and recorded rounds, for names).</summary>
    public void Rounds(int warmup, int count, params Action<int>[] steps)
    {
        for (var round = 0; round < warmup + count; round++)
        {
            _recording = round >= warmup;
            for (var i = 0; i < steps.Length; i++)
            {
                steps[(round + i) % steps.Length](round);
            }
        }
        _recording = false;
    }

    /// <summary>Records a value under a row name, outside warm-up rounds.</summary>
    public double Add(string row, double value)
    {
        if (_recording)
        {
            if (!_values.TryGetValue(row, out var list))
            {
                _values[row] = list = [];
            }
            list.Add(value);
        }
        return value;
    }

    public IReadOnlyList<double> this[string row] => _values[row];
}
