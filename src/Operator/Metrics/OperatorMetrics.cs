using Prometheus;

namespace PgReplica.Operator.Metrics;

/// <summary>One standby's replication figures as the metrics publish them.</summary>
public sealed record StandbySample(
    string Standby,
    double ReplayLagBytes,
    double ReplayLagSeconds,
    double WriteLagSeconds,
    double FlushLagSeconds,
    bool Streaming,
    double SlotRetainedWalBytes,
    bool SlotActive);

/// <summary>The operator's metric families: its own work, and one series per standby per cluster.</summary>
public sealed class OperatorMetrics
{
    private static readonly string[] StandbyLabels = ["namespace", "cluster", "standby"];
    private static readonly string[] ClusterLabels = ["namespace", "cluster"];

    private readonly Counter _reconciles;
    private readonly Histogram _reconcileDuration;
    private readonly Gauge _queueDepth;
    private readonly Gauge _replayLagBytes;
    private readonly Gauge _replayLagSeconds;
    private readonly Gauge _writeLagSeconds;
    private readonly Gauge _flushLagSeconds;
    private readonly Gauge _streaming;
    private readonly Gauge _slotRetained;
    private readonly Gauge _slotActive;
    private readonly Gauge _desired;
    private readonly Gauge _ready;

    /// <summary>Registers every family in the registry.</summary>
    public OperatorMetrics(CollectorRegistry registry)
    {
        Registry = registry;
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        _reconciles = factory.CreateCounter("pgreplica_reconcile_total", "Reconcile passes by result (success, requeue, error).", "result");
        _reconcileDuration = factory.CreateHistogram("pgreplica_reconcile_duration_seconds", "Duration of one reconcile pass.", new HistogramConfiguration { Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });
        _queueDepth = factory.CreateGauge("pgreplica_workqueue_depth", "Keys waiting in the reconcile work queue.");
        _replayLagBytes = factory.CreateGauge("pgreplica_standby_replay_lag_bytes", "WAL bytes between the primary's current LSN and the standby's replay LSN.", StandbyLabels);
        _replayLagSeconds = factory.CreateGauge("pgreplica_standby_replay_lag_seconds", "Replay lag reported by pg_stat_replication, in seconds.", StandbyLabels);
        _writeLagSeconds = factory.CreateGauge("pgreplica_standby_write_lag_seconds", "Write lag reported by pg_stat_replication, in seconds.", StandbyLabels);
        _flushLagSeconds = factory.CreateGauge("pgreplica_standby_flush_lag_seconds", "Flush lag reported by pg_stat_replication, in seconds.", StandbyLabels);
        _streaming = factory.CreateGauge("pgreplica_standby_streaming", "1 when the standby's walsender is streaming, else 0.", StandbyLabels);
        _slotRetained = factory.CreateGauge("pgreplica_slot_retained_wal_bytes", "WAL bytes the standby's replication slot keeps on the primary.", StandbyLabels);
        _slotActive = factory.CreateGauge("pgreplica_slot_active", "1 when a walsender uses the standby's slot, else 0.", StandbyLabels);
        _desired = factory.CreateGauge("pgreplica_cluster_desired_standbys", "Standbys the resource asks for (spec.replicas).", ClusterLabels);
        _ready = factory.CreateGauge("pgreplica_cluster_ready_standbys", "Standbys streaming.", ClusterLabels);
    }

    /// <summary>The registry the families live in (for the /metrics server).</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Counts one reconcile pass and its duration.</summary>
    public void ReconcileCompleted(string result, TimeSpan duration)
    {
        _reconciles.WithLabels(result).Inc();
        _reconcileDuration.Observe(duration.TotalSeconds);
    }

    /// <summary>Sets the work-queue depth.</summary>
    public void QueueDepth(int depth) => _queueDepth.Set(depth);

    /// <summary>Publishes one cluster's figures; series of standbys no longer listed are removed.</summary>
    public void PublishCluster(string ns, string cluster, int desiredStandbys, int readyStandbys, IReadOnlyCollection<StandbySample> standbys)
    {
        _desired.WithLabels(ns, cluster).Set(desiredStandbys);
        _ready.WithLabels(ns, cluster).Set(readyStandbys);
        var current = standbys.Select(s => s.Standby).ToHashSet(StringComparer.Ordinal);
        foreach (var family in StandbyFamilies())
        {
            RemoveWhere(family, l => l[0] == ns && l[1] == cluster && !current.Contains(l[2]));
        }

        foreach (var s in standbys)
        {
            _replayLagBytes.WithLabels(ns, cluster, s.Standby).Set(s.ReplayLagBytes);
            _replayLagSeconds.WithLabels(ns, cluster, s.Standby).Set(s.ReplayLagSeconds);
            _writeLagSeconds.WithLabels(ns, cluster, s.Standby).Set(s.WriteLagSeconds);
            _flushLagSeconds.WithLabels(ns, cluster, s.Standby).Set(s.FlushLagSeconds);
            _streaming.WithLabels(ns, cluster, s.Standby).Set(s.Streaming ? 1 : 0);
            _slotRetained.WithLabels(ns, cluster, s.Standby).Set(s.SlotRetainedWalBytes);
            _slotActive.WithLabels(ns, cluster, s.Standby).Set(s.SlotActive ? 1 : 0);
        }
    }

    /// <summary>Removes every series of a deleted cluster.</summary>
    public void ForgetCluster(string ns, string cluster)
    {
        foreach (var family in StandbyFamilies())
        {
            RemoveWhere(family, l => l[0] == ns && l[1] == cluster);
        }

        _desired.RemoveLabelled(ns, cluster);
        _ready.RemoveLabelled(ns, cluster);
    }

    private static void RemoveWhere(Gauge family, Func<string[], bool> match)
    {
        foreach (var labels in family.GetAllLabelValues().Where(match).ToList())
        {
            family.RemoveLabelled(labels);
        }
    }

    private IEnumerable<Gauge> StandbyFamilies() =>
        [_replayLagBytes, _replayLagSeconds, _writeLagSeconds, _flushLagSeconds, _streaming, _slotRetained, _slotActive];
}
