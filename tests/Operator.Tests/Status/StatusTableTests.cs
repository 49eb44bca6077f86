using PgReplica.Entities.V1Alpha1;
using PgReplica.Operator.Status;
using PgReplica.Operator.Tests.Reconciliation;

namespace PgReplica.Operator.Tests.Status;

public sealed class StatusTableTests
{
    [Fact]
    public void Prints_a_summary_the_primary_and_one_aligned_row_per_standby()
    {
        var cluster = TestClusters.Named("orders");
        cluster.Status = new PostgresReplicaSetStatus
        {
            ObservedGeneration = 1,
            Phase = Phases.Degraded,
            ReadyReplicas = 1,
            Primary = new PrimaryStatus { Pod = "orders-1", CurrentLsn = "0/3000148", Timeline = 1 },
            Standbys =
            [
                new StandbyStatus { Name = "orders-2", Slot = "orders_2", State = "streaming", SyncState = "async", ReplayLsn = "0/3000148", ReplayLagBytes = 0, ReplayLagSeconds = 0.004, SlotRetainedWalBytes = 16384, SlotActive = true },
                new StandbyStatus { Name = "orders-3", Slot = "orders_3", State = "disconnected", SlotRetainedWalBytes = 3L << 20, SlotActive = false },
            ],
            Conditions = ConditionList.Set(null, "Degraded", true, "StandbyDisconnected", "1/2 standbys streaming", 1, DateTimeOffset.UnixEpoch),
        };

        var lines = StatusTable.Render(cluster).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("db/orders: Degraded, 1/2 standbys streaming", lines[0]);
        Assert.Equal("primary orders-1: current LSN 0/3000148, timeline 1", lines[1]);
        Assert.StartsWith("STANDBY", lines[2]);
        Assert.Equal(lines[2].IndexOf("STATE", StringComparison.Ordinal), lines[3].IndexOf("streaming", StringComparison.Ordinal));
        Assert.Contains("16.0 KiB", lines[3]);
        Assert.Contains("0.004", lines[3]);
        Assert.Contains("3.0 MiB", lines[4]);
        Assert.Contains("Degraded: StandbyDisconnected", lines[5]);
    }

    [Fact]
    public void Says_so_when_there_is_no_status()
    {
        Assert.Contains("no status yet", StatusTable.Render(TestClusters.Named("orders")));
    }
}
