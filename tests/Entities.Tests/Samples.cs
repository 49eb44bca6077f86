using PgReplica.Entities.V1Alpha1;
using k8s;
using k8s.Models;

namespace PgReplica.Entities.Tests;

/// <summary>Resources built in C#, with every field set, for schema and serialization tests.</summary>
internal static class Samples
{
    public static PostgresReplicaSet FullResource() => new()
    {
        Metadata = new V1ObjectMeta { Name = "orders", NamespaceProperty = "default", Generation = 3 },
        Spec = new PostgresReplicaSetSpec
        {
            Replicas = 2,
            Image = "postgres:17",
            Storage = new StorageSpec { Size = "2Gi", StorageClassName = "standard" },
            Resources = new ResourcesSpec
            {
                Limits = new() { ["memory"] = "1Gi" },
                Requests = new() { ["cpu"] = "250m", ["memory"] = "512Mi" },
            },
            Postgresql = new PostgresqlSpec { Parameters = new() { ["shared_buffers"] = "128MB" } },
            Replication = new ReplicationSpec
            {
                MaxSlotWalKeepSize = "4GB",
                Synchronous = new SynchronousReplicationSpec { Method = SynchronousMethods.First, Number = 1 },
            },
            ReadService = new ReadServiceSpec { MaxLagBytes = 16 * 1024 * 1024 },
        },
        Status = new PostgresReplicaSetStatus
        {
            ObservedGeneration = 3,
            Phase = Phases.Ready,
            Primary = new PrimaryStatus { Pod = "orders-1", CurrentLsn = "0/3000148", Timeline = 1 },
            Replicas = 2,
            ReadyReplicas = 2,
            Selector = "pgreplica.io/cluster=orders,pgreplica.io/role=standby",
            MaxReplayLagBytes = 120,
            Standbys =
            [
                new StandbyStatus
                {
                    Name = "orders-2", Slot = "orders_2", State = StandbyStates.Streaming, SyncState = SyncStates.Sync,
                    SentLsn = "0/3000148", WriteLsn = "0/3000148", FlushLsn = "0/3000148", ReplayLsn = "0/3000148",
                    ReplayLagBytes = 0, ReplayLagSeconds = 0.004, WriteLagSeconds = 0.001, FlushLagSeconds = 0.002,
                    SlotRetainedWalBytes = 16384, SlotActive = true,
                },
                new StandbyStatus
                {
                    Name = "orders-3", Slot = "orders_3", State = StandbyStates.Catchup, SyncState = SyncStates.Async,
                    SentLsn = "0/3000148", ReplayLsn = "0/30000D0", ReplayLagBytes = 120, SlotActive = true,
                },
            ],
            Conditions =
            [
                new V1Condition
                {
                    Type = "Ready", Status = "True", ObservedGeneration = 3, Reason = "AllStandbysStreaming",
                    Message = "2 of 2 standbys streaming", LastTransitionTime = new DateTime(2026, 11, 21, 23, 0, 0, DateTimeKind.Utc),
                },
            ],
        },
    };
}
