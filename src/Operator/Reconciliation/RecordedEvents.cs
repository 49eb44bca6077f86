using Microsoft.Extensions.Logging;
using PgReplica.Entities.V1Alpha1;
using PgReplica.Kube.Runtime;
using PgReplica.Operator.Status;

namespace PgReplica.Operator.Reconciliation;

/// <summary>Sends the reconciler's Events through the runtime's EventRecorder; a failed Event is logged, never fatal.</summary>
public sealed class RecordedEvents(EventRecorder recorder, ILogger<RecordedEvents> logger) : IClusterEvents
{
    /// <inheritdoc />
    public async Task RecordAsync(PostgresReplicaSet cluster, ClusterEvent clusterEvent, CancellationToken cancellationToken)
    {
        logger.LogInformation("{Namespace}/{Cluster}: {Reason}: {Message}", cluster.Metadata.NamespaceProperty, cluster.Metadata.Name, clusterEvent.Reason, clusterEvent.Message);
        try
        {
            await recorder.RecordAsync(cluster, clusterEvent.Type, clusterEvent.Reason, clusterEvent.Message, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "could not record Event {Reason} on {Cluster}", clusterEvent.Reason, cluster.Metadata.Name);
        }
    }
}
