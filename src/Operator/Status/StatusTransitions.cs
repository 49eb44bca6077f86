using System.Text.Json;
using PgReplica.Entities.V1Alpha1;

namespace PgReplica.Operator.Status;

/// <summary>What changed between two statuses: the Events to emit, and whether a write is needed at all.</summary>
public static class StatusTransitions
{
    /// <summary>Events for the transitions from previous to current (none when nothing flipped).</summary>
    public static IReadOnlyList<ClusterEvent> Between(PostgresReplicaSetStatus? previous, PostgresReplicaSetStatus current)
    {
        var events = new List<ClusterEvent>();
        foreach (var standby in current.Standbys ?? [])
        {
            var before = previous?.Standbys?.FirstOrDefault(s => s.Name == standby.Name)?.State;
            if (before == standby.State) continue;
            switch (standby.State)
            {
                case StandbyStates.Cloning:
                    events.Add(ClusterEvent.Info("StandbyCloning", $"{standby.Name} is copying the primary with pg_basebackup through slot {standby.Slot}"));
                    break;
                case StandbyStates.Streaming:
                    events.Add(ClusterEvent.Info("StandbyStreaming", $"{standby.Name} is streaming WAL through slot {standby.Slot}"));
                    break;
                case StandbyStates.Disconnected when before is not null:
                    events.Add(ClusterEvent.Warn("StandbyDisconnected", $"{standby.Name} has no replication connection (was {before}); its slot {standby.Slot} keeps the WAL it needs"));
                    break;
            }
        }

        if (previous?.Phase != current.Phase)
        {
            if (current.Phase == Phases.Ready)
                events.Add(ClusterEvent.Info("ClusterReady", $"the primary and all {current.ReadyReplicas} standbys are streaming"));
            else if (current.Phase == Phases.Degraded)
                events.Add(ClusterEvent.Warn("ClusterDegraded", ConditionMessage(current, ConditionList.Types.Degraded)));
        }

        var wasInvalid = ConditionList.Find(previous?.Conditions, StatusBuilder.SpecInvalid);
        var isInvalid = ConditionList.Find(current.Conditions, StatusBuilder.SpecInvalid);
        if (isInvalid?.Status == "True" && (wasInvalid?.Status != "True" || wasInvalid.Message != isInvalid.Message))
        {
            events.Add(ClusterEvent.Warn("InvalidSpec", isInvalid.Message));
        }

        return events;
    }

    /// <summary>True when the two statuses would serialize identically, so writing would change nothing.</summary>
    public static bool Same(PostgresReplicaSetStatus? a, PostgresReplicaSetStatus? b) =>
        JsonSerializer.Serialize(a) == JsonSerializer.Serialize(b);

    private static string ConditionMessage(PostgresReplicaSetStatus status, string type) =>
        ConditionList.Find(status.Conditions, type)?.Message ?? type;
}
