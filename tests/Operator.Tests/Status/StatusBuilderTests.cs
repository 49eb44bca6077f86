using PgReplica.Entities.V1Alpha1;
using k8s;
using k8s.Models;
using PgReplica.Operator.Postgres;
using PgReplica.Operator.Status;
using PgReplica.Operator.Tests.Reconciliation;

namespace PgReplica.Operator.Tests.Status;

public sealed class StatusBuilderTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Lsn Current = Lsn.Parse("0/5000000");

    private static V1Pod RunningPod(bool ready = true) => new()
    {
        Status = new V1PodStatus
        {
            Phase = "Running",
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }],
            InitContainerStatuses = [new V1ContainerStatus { Name = "init", State = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 0 } } }],
        },
    };

    private static V1Pod CloningPod() => new()
    {
        Status = new V1PodStatus
        {
            Phase = "Pending",
            InitContainerStatuses = [new V1ContainerStatus { Name = "init", State = new V1ContainerState { Running = new V1ContainerStateRunning() } }],
        },
    };

    private static StandbyReplication Streaming(string slot, string app, long lagBytes = 0) => new()
    {
        SlotName = slot,
        SlotActive = true,
        WalSenderPid = 100,
        ApplicationName = app,
        State = "streaming",
        SyncState = "async",
        CurrentLsn = Current,
        SentLsn = Current,
        WriteLsn = Current,
        FlushLsn = Current,
        ReplayLsn = new Lsn(Current.Value - (ulong)lagBytes),
        ReplayLagBytes = lagBytes,
        ReplayLagSecondsReported = lagBytes == 0 ? null : 0.25,
        SlotRetainedWalBytes = lagBytes + 100,
    };

    private static StandbyReplication IdleSlot(string slot) => new() { SlotName = slot, CurrentLsn = Current, SlotRetainedWalBytes = 4096 };

    private static ClusterSnapshot Snapshot(
        IReadOnlyList<StandbyReplication> rows,
        Dictionary<int, V1Pod> pods,
        int[]? wanted = null,
        int[]? removing = null,
        bool primaryUp = true,
        string[]? problems = null) =>
        new(TestClusters.Named("orders"), 1, RunningPod(), primaryUp,
            primaryUp ? new ReplicationObservation(Current, 1, rows) : null,
            wanted ?? [2, 3], removing ?? [], pods, problems ?? []);

    [Fact]
    public void Waiting_for_the_primary_is_initializing_and_progressing()
    {
        var status = StatusBuilder.Build(Snapshot([], [], primaryUp: false), null, T0);

        Assert.Equal(Phases.Initializing, status.Phase);
        Assert.Equal("True", ConditionList.Find(status.Conditions, "Progressing")!.Status);
        Assert.Equal("False", ConditionList.Find(status.Conditions, "Ready")!.Status);
        Assert.Equal("orders-1", status.Primary!.Pod);
        Assert.Equal(["pending", "pending"], status.Standbys!.Select(s => s.State));
        Assert.Equal("pgreplica.io/cluster=orders,pgreplica.io/role=standby", status.Selector);
        Assert.Equal(1, status.ObservedGeneration);
    }

    [Fact]
    public void One_streaming_and_one_cloning_is_scaling_with_one_ready()
    {
        var status = StatusBuilder.Build(
            Snapshot([Streaming("orders_2", "orders-2", lagBytes: 8192)], new() { [2] = RunningPod(), [3] = CloningPod() }), null, T0);

        Assert.Equal(Phases.Scaling, status.Phase);
        Assert.Equal(1, status.ReadyReplicas);
        Assert.Equal(2, status.Replicas);
        Assert.Equal(8192, status.MaxReplayLagBytes);
        var two = status.Standbys![0];
        Assert.Equal(("orders-2", "orders_2", "streaming", "async"), (two.Name, two.Slot, two.State, two.SyncState));
        Assert.Equal(8192, two.ReplayLagBytes);
        Assert.Equal(0.25, two.ReplayLagSeconds);
        Assert.Equal(8292, two.SlotRetainedWalBytes);
        Assert.Equal("0/5000000", two.SentLsn);
        Assert.Equal("0/4FFE000", two.ReplayLsn);
        Assert.Equal("cloning", status.Standbys[1].State);
        Assert.Equal("0/5000000", status.Primary!.CurrentLsn);
        Assert.Equal(1, status.Primary.Timeline);
    }

    [Fact]
    public void The_base_backup_walsender_marks_a_standby_as_cloning_even_though_its_slot_streams()
    {
        var basebackup = new StandbyReplication { WalSenderPid = 7, ApplicationName = "orders-3", State = "backup", CurrentLsn = Current };
        var walStream = Streaming("orders_3", "orders-3");
        var status = StatusBuilder.Build(
            Snapshot([Streaming("orders_2", "orders-2"), walStream, basebackup], new() { [2] = RunningPod(), [3] = new V1Pod() }), null, T0);
        Assert.Equal("cloning", status.Standbys![1].State);
        Assert.Equal(1, status.ReadyReplicas);
    }

    [Fact]
    public void All_streaming_is_ready_and_a_second_identical_pass_changes_nothing()
    {
        var snapshot = Snapshot([Streaming("orders_2", "orders-2"), Streaming("orders_3", "orders-3")], new() { [2] = RunningPod(), [3] = RunningPod() });
        var first = StatusBuilder.Build(snapshot, null, T0);
        var second = StatusBuilder.Build(snapshot, first, T0.AddSeconds(5));

        Assert.Equal(Phases.Ready, first.Phase);
        Assert.Equal(2, first.ReadyReplicas);
        Assert.Equal(0, first.MaxReplayLagBytes);
        Assert.All(first.Standbys!, s => Assert.Equal(0.0, s.ReplayLagSeconds)); // idle and caught up: NULL lag means 0
        Assert.Equal("True", ConditionList.Find(first.Conditions, "Ready")!.Status);
        Assert.True(StatusTransitions.Same(first, second));
        Assert.Empty(StatusTransitions.Between(first, second));
        Assert.Contains(StatusTransitions.Between(null, first), e => e.Reason == "ClusterReady");
        Assert.Equal(2, StatusTransitions.Between(null, first).Count(e => e.Reason == "StandbyStreaming"));
    }

    [Fact]
    public void A_standby_that_loses_its_walsender_is_disconnected_and_the_cluster_degraded()
    {
        var ready = StatusBuilder.Build(
            Snapshot([Streaming("orders_2", "orders-2"), Streaming("orders_3", "orders-3")], new() { [2] = RunningPod(), [3] = RunningPod() }), null, T0);
        var broken = StatusBuilder.Build(
            Snapshot([Streaming("orders_2", "orders-2"), IdleSlot("orders_3")], new() { [2] = RunningPod(), [3] = RunningPod(ready: false) }), ready, T0.AddMinutes(1));

        Assert.Equal(Phases.Degraded, broken.Phase);
        var three = broken.Standbys![1];
        Assert.Equal("disconnected", three.State);
        Assert.False(three.SlotActive);
        Assert.Null(three.ReplayLagBytes);
        Assert.Equal(4096, three.SlotRetainedWalBytes);
        Assert.Equal(1, broken.ReadyReplicas);
        var degraded = ConditionList.Find(broken.Conditions, "Degraded")!;
        Assert.Equal(("True", "StandbyDisconnected"), (degraded.Status, degraded.Reason));
        Assert.Equal(T0.AddMinutes(1), degraded.LastTransitionTime);
        Assert.Equal(T0.AddMinutes(1), ConditionList.Find(broken.Conditions, "Ready")!.LastTransitionTime);

        var events = StatusTransitions.Between(ready, broken);
        Assert.Contains(events, e => e.Reason == "StandbyDisconnected" && e.Type == "Warning" && e.Message.Contains("orders-3"));
        Assert.Contains(events, e => e.Reason == "ClusterDegraded");
        Assert.False(StatusTransitions.Same(ready, broken));
    }

    [Fact]
    public void A_standby_being_removed_is_stopping_and_not_counted()
    {
        var status = StatusBuilder.Build(
            Snapshot([Streaming("orders_2", "orders-2"), Streaming("orders_3", "orders-3")], new() { [2] = RunningPod(), [3] = RunningPod() }, wanted: [2], removing: [3]),
            null, T0);
        Assert.Equal(Phases.Scaling, status.Phase);
        Assert.Equal("stopping", status.Standbys![1].State);
        Assert.Equal(1, status.ReadyReplicas);
    }

    [Fact]
    public void Refused_input_sets_spec_invalid_and_warns_once()
    {
        var snapshot = Snapshot([Streaming("orders_2", "orders-2"), Streaming("orders_3", "orders-3")], new() { [2] = RunningPod(), [3] = RunningPod() },
            problems: ["spec.postgresql.parameters.wal_level: set by the operator"]);
        var first = StatusBuilder.Build(snapshot, null, T0);
        var second = StatusBuilder.Build(snapshot, first, T0.AddSeconds(5));

        var invalid = ConditionList.Find(first.Conditions, StatusBuilder.SpecInvalid)!;
        Assert.Equal("True", invalid.Status);
        Assert.Contains("wal_level", invalid.Message);
        Assert.Contains(StatusTransitions.Between(null, first), e => e.Reason == "InvalidSpec" && e.Type == "Warning");
        Assert.DoesNotContain(StatusTransitions.Between(first, second), e => e.Reason == "InvalidSpec");
        Assert.Equal(Phases.Ready, first.Phase); // the rest of the cluster keeps running on the last good settings
    }
}
