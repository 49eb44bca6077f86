using PgReplica.Entities.V1Alpha1;
using k8s;
using k8s.Models;
using PgReplica.Operator.Postgres;

namespace PgReplica.Operator.Status;

/// <summary>Decides where a standby is on its way to streaming, from its pod and the primary's view.</summary>
public static class StandbyStateRules
{
    /// <summary>
    /// pending: no pod yet, or it has not started postgres for the first time; cloning: its init container
    /// (pg_basebackup) runs, or the primary shows its base-backup walsender; catchup/streaming: the walsender
    /// on its slot says so; disconnected: it was connected before, or is ready, but nothing streams from its slot.
    /// </summary>
    public static string Decide(string podName, V1Pod? pod, StandbyReplication? slotRow, ReplicationObservation? replication, string? previousState)
    {
        if (pod is null) return StandbyStates.Pending;
        var backingUp = replication?.Standbys.Any(s => s.ApplicationName == podName && s.State == "backup") == true;
        if (backingUp || InitContainerRunning(pod)) return StandbyStates.Cloning;
        if (slotRow?.WalSenderPid is not null)
        {
            return slotRow.State switch
            {
                "streaming" => StandbyStates.Streaming,
                "startup" or "catchup" => StandbyStates.Catchup,
                _ => StandbyStates.Disconnected,
            };
        }

        var wasConnected = previousState is StandbyStates.Streaming or StandbyStates.Catchup or StandbyStates.Disconnected;
        return wasConnected || PodReady(pod) ? StandbyStates.Disconnected : StandbyStates.Pending;
    }

    /// <summary>True when the pod's Ready condition is True.</summary>
    public static bool PodReady(V1Pod? pod) =>
        pod?.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    private static bool InitContainerRunning(V1Pod pod) =>
        pod.Status?.InitContainerStatuses?.Any(s => s.State?.Running is not null) == true;
}
