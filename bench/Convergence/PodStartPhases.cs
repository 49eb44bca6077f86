using PgReplica.Sandbox.Node;

namespace PgReplica.Bench.Convergence;

/// <summary>What the benchmark saw of one standby addition through the operator, on the wall clock.</summary>
public sealed record OperatorMarks(DateTimeOffset Patched, DateTimeOffset PodSeen, DateTimeOffset ContainerRunning, DateTimeOffset PgStreaming, DateTimeOffset Reported);

/// <summary>
/// Splits an operator round into phases from the benchmark's marks (polled every 100 ms) and the node agent's
/// step timings of the new pod (its own clock, exact). Marks are kept in order, so phases never go below zero
/// and add up to the total. Pure.
/// </summary>
public static class PodStartPhases
{
    /// <summary>The clone itself: the init container's run (pg_basebackup), from its exec to its exit.</summary>
    public const string Clone = "pg_basebackup (init container run, timed by the node agent)";

    /// <summary>From the pod's creation until the init container execs: the sandbox, the volumes and the init container's set-up.</summary>
    public const string Provisioning = "provisioning (pod created until the init container execs)";

    /// <summary>The phases of the round, and the parts of <see cref="Provisioning"/>.</summary>
    public static RoundResult Build(OperatorMarks marks, IReadOnlyList<PodStepTiming> podSteps, string initContainer)
    {
        var sandbox = podSteps.FirstOrDefault(s => s.Step == PodStepTiming.SandboxStep);
        var volumes = podSteps.FirstOrDefault(s => s.Step == PodStepTiming.VolumesStep);
        // The last run of the init container is the one that cloned (an earlier one may have failed and backed off).
        var setUp = podSteps.LastOrDefault(s => s.Step == PodStepTiming.SetUpStep && s.Container == initContainer);
        var run = podSteps.LastOrDefault(s => s.Step == PodStepTiming.RunStep && s.Container == initContainer);
        if (sandbox is null || volumes is null || setUp is null || run is null)
        {
            throw new InvalidOperationException($"the node agent reported no complete start of the pod (steps: {string.Join(", ", podSteps.Select(s => s.Step + " " + s.Container))})");
        }

        // The node agent cannot start a pod before it exists, so the earlier of the two is when it was created.
        var created = Min(marks.PodSeen, sandbox.Start);
        var times = new List<DateTimeOffset> { marks.Patched };
        DateTimeOffset Next(DateTimeOffset t)
        {
            var kept = t < times[^1] ? times[^1] : t;
            times.Add(kept);
            return kept;
        }

        var pod = Next(created);
        var exec = Next(run.Start);
        var exited = Next(run.End);
        var running = Next(marks.ContainerRunning);
        var streaming = Next(marks.PgStreaming);
        var reported = Next(marks.Reported);
        return new RoundResult(
            Seconds(marks.Patched, reported),
            [
                new Phase("scale patch to pod created", Seconds(marks.Patched, pod)),
                new Phase(Provisioning, Seconds(pod, exec)),
                new Phase(Clone, Seconds(exec, exited)),
                new Phase("init exited until postgres container running", Seconds(exited, running)),
                new Phase("until streaming in pg_stat_replication", Seconds(running, streaming)),
                new Phase("until status says streaming", Seconds(streaming, reported)),
            ],
            [
                new Phase("pod sandbox", sandbox.Duration.TotalSeconds),
                new Phase("volumes (claim image made, formatted, mounted)", volumes.Duration.TotalSeconds),
                new Phase("init container set-up", setUp.Duration.TotalSeconds),
                new Phase("the rest (watch, waits between steps)", Math.Max(0, Seconds(pod, exec) - sandbox.Duration.TotalSeconds - volumes.Duration.TotalSeconds - setUp.Duration.TotalSeconds)),
            ]);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static double Seconds(DateTimeOffset from, DateTimeOffset to) => (to - from).TotalSeconds;
}
