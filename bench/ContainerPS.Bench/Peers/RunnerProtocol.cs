namespace ContainerPS.Bench.Peers;

/// <summary>
/// What the bench asks a runner for, one JSON line each way: a batch of command lines started together. A batch of
/// one is a single timed run; a batch of many is the concurrent case, timed from the first start to the last exit.
/// </summary>
public sealed record RunnerRequest(string[][] Commands);

/// <summary>The batch's wall time and each command's exit code, in request order; Error when a command could not start.</summary>
public sealed record RunnerResponse(double WallMs, int[] ExitCodes, string? Error);
