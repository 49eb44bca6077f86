using k8s.Models;
using PgReplica.Entities.Naming;
using PgReplica.Entities.V1Alpha1;
using PgReplica.Operator.Postgres;

namespace PgReplica.Operator.Status;

/// <summary>Computes a PostgresReplicaSet's status from one pass's snapshot and the previous status.</summary>
public static class StatusBuilder
{
    /// <summary>Condition type for refused input.</summary>
    public const string SpecInvalid = "SpecInvalid";

    /// <summary>The new status; conditions keep their transition time unless their status flips.</summary>
    public static PostgresReplicaSetStatus Build(ClusterSnapshot snapshot, PostgresReplicaSetStatus? previous, DateTimeOffset now)
    {
        var cluster = snapshot.Cluster;
        var names = new ClusterNames(cluster.Metadata.Name!);
        var replication = snapshot.PrimaryAcceptsConnections ? snapshot.Replication : null;
        var standbys = new List<StandbyStatus>();
        foreach (var ordinal in snapshot.WantedStandbys.Concat(snapshot.RemovingStandbys).Distinct().Order())
        {
            var podName = names.Pod(ordinal);
            var slot = names.Slot(ordinal);
            snapshot.StandbyPods.TryGetValue(ordinal, out var pod);
            var row = replication?.ForSlot(slot);
            var previousState = previous?.Standbys?.FirstOrDefault(s => s.Name == podName)?.State;
            var state = snapshot.RemovingStandbys.Contains(ordinal)
                ? StandbyStates.Stopping
                : replication is null && previousState is not null && pod is not null
                    ? previousState == StandbyStates.Streaming ? StandbyStates.Disconnected : previousState
                    : StandbyStateRules.Decide(podName, pod, row, replication, previousState);
            standbys.Add(Entry(podName, slot, state, row));
        }

        var wanted = snapshot.WantedStandbys.Count;
        var streaming = standbys.Count(s => s.State == StandbyStates.Streaming && !snapshot.RemovingStandbys.Contains(names.OrdinalOf(s.Name) ?? 0));
        var phase = Phase(snapshot, previous, standbys, wanted, streaming);
        var status = new PostgresReplicaSetStatus
        {
            ObservedGeneration = cluster.Metadata.Generation,
            Phase = phase,
            Primary = new PrimaryStatus
            {
                Pod = names.Pod(snapshot.PrimaryOrdinal),
                CurrentLsn = replication?.CurrentLsn.ToString() ?? previous?.Primary?.CurrentLsn,
                Timeline = replication is { Timeline: > 0 } ? replication.Timeline : previous?.Primary?.Timeline,
            },
            Replicas = snapshot.StandbyPods.Count,
            ReadyReplicas = streaming,
            Selector = names.StandbySelector,
            MaxReplayLagBytes = standbys.Where(s => s.ReplayLagBytes is not null).Select(s => s.ReplayLagBytes).DefaultIfEmpty(null).Max(),
            Standbys = standbys,
        };
        status.Conditions = Conditions(snapshot, previous, phase, wanted, streaming, now);
        return status;
    }

    private static StandbyStatus Entry(string podName, string slot, string state, StandbyReplication? row)
    {
        var live = row?.WalSenderPid is not null;
        return new StandbyStatus
        {
            Name = podName,
            Slot = slot,
            State = state,
            SyncState = live ? row!.SyncState : null,
            SentLsn = live ? row!.SentLsn?.ToString() : null,
            WriteLsn = live ? row!.WriteLsn?.ToString() : null,
            FlushLsn = live ? row!.FlushLsn?.ToString() : null,
            ReplayLsn = live ? row!.ReplayLsn?.ToString() : null,
            // Negative only if replay_lsn raced ahead of the snapshot's current LSN; that is zero lag.
            ReplayLagBytes = live && row!.ReplayLagBytes is { } bytes ? Math.Max(0, bytes) : null,
            ReplayLagSeconds = live ? row!.ReplayLagSeconds : null,
            WriteLagSeconds = live ? row!.WriteLagSeconds ?? (row.ReplayLagSeconds == 0 ? 0 : null) : null,
            FlushLagSeconds = live ? row!.FlushLagSeconds ?? (row.ReplayLagSeconds == 0 ? 0 : null) : null,
            SlotRetainedWalBytes = row?.SlotRetainedWalBytes is { } retained ? Math.Max(0, retained) : null,
            SlotActive = row is null ? null : row.SlotActive,
        };
    }

    private static string Phase(ClusterSnapshot snapshot, PostgresReplicaSetStatus? previous, List<StandbyStatus> standbys, int wanted, int streaming)
    {
        if (!snapshot.PrimaryAcceptsConnections)
        {
            return previous?.Phase is null or Phases.Initializing ? Phases.Initializing : Phases.Degraded;
        }

        if (standbys.Any(s => s.State == StandbyStates.Disconnected)) return Phases.Degraded;
        if (streaming == wanted && snapshot.RemovingStandbys.Count == 0) return Phases.Ready;
        return Phases.Scaling;
    }

    private static List<V1Condition> Conditions(ClusterSnapshot snapshot, PostgresReplicaSetStatus? previous, string phase, int wanted, int streaming, DateTimeOffset now)
    {
        var generation = snapshot.Cluster.Metadata.Generation;
        var summary = $"{streaming}/{wanted} standbys streaming";
        var conditions = previous?.Conditions;
        conditions = ConditionList.Set(conditions, ConditionList.Types.Ready, phase == Phases.Ready,
            phase == Phases.Ready ? "AllStandbysStreaming" : phase, summary, generation, now);
        var progressing = phase is Phases.Initializing or Phases.Scaling;
        conditions = ConditionList.Set(conditions, ConditionList.Types.Progressing, progressing,
            progressing ? phase : "Stable", progressing ? ProgressMessage(snapshot, summary) : summary, generation, now);
        var degradedReason = phase == Phases.Degraded
            ? snapshot.PrimaryAcceptsConnections ? "StandbyDisconnected" : "PrimaryUnavailable"
            : "AsExpected";
        conditions = ConditionList.Set(conditions, ConditionList.Types.Degraded, phase == Phases.Degraded, degradedReason, summary, generation, now);
        var invalid = snapshot.Problems.Count > 0;
        conditions = ConditionList.Set(conditions, SpecInvalid, invalid, invalid ? "InvalidInput" : "Valid",
            invalid ? string.Join("; ", snapshot.Problems) : "spec accepted", generation, now);
        return conditions;
    }

    private static string ProgressMessage(ClusterSnapshot snapshot, string summary) =>
        !snapshot.PrimaryAcceptsConnections ? "waiting for the primary to accept connections"
        : snapshot.RemovingStandbys.Count > 0 ? $"{summary}; removing {snapshot.RemovingStandbys.Count}"
        : summary;
}
