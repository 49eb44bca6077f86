using PgReplica.Operator.Postgres;

namespace PgReplica.Operator.Tests.Reconciliation.Fakes;

/// <summary>
/// In-memory primary for step-logic tests: slots with an "in use" flag that the simulated kubelet sets
/// while a standby pod runs. PostgreSQL's own behaviour is covered by the tests against real servers.
/// </summary>
public sealed class FakePrimaryDatabases(CrashSwitch crash) : IPrimaryDatabases, IPrimaryDatabase, ISlotStore, IReplicationObserver
{
    public Dictionary<string, int?> Slots { get; } = new(StringComparer.Ordinal); // slot → walsender pid
    public Dictionary<string, string> ApplicationBySlot { get; } = new(StringComparer.Ordinal);
    public bool Up { get; set; }
    public PostgresEndpoint? LastEndpoint { get; private set; }
    public List<string> DropAttemptsWhileActive { get; } = [];

    public IPrimaryDatabase For(string clusterKey, PostgresEndpoint endpoint)
    {
        LastEndpoint = endpoint;
        return this;
    }

    public ValueTask ForgetAsync(string clusterKey) => ValueTask.CompletedTask;

    ISlotStore IPrimaryDatabase.Slots => this;
    public IReplicationObserver Replication => this;

    public Task<bool> AcceptsConnectionsAsync(CancellationToken cancellationToken) => Task.FromResult(Up);

    public Task<SlotEnsureOutcome> EnsureAsync(string slotName, CancellationToken cancellationToken)
    {
        ReplicationSlotName.Require(slotName);
        if (Slots.ContainsKey(slotName)) return Task.FromResult(SlotEnsureOutcome.AlreadyExisted);
        Slots[slotName] = null;
        crash.AfterMutation();
        return Task.FromResult(SlotEnsureOutcome.Created);
    }

    public Task<SlotDropResult> DropAsync(string slotName, CancellationToken cancellationToken)
    {
        ReplicationSlotName.Require(slotName);
        if (!Slots.TryGetValue(slotName, out var pid)) return Task.FromResult(new SlotDropResult(SlotDropOutcome.Absent));
        if (pid is not null)
        {
            DropAttemptsWhileActive.Add(slotName);
            return Task.FromResult(new SlotDropResult(SlotDropOutcome.Active, pid));
        }

        Slots.Remove(slotName);
        crash.AfterMutation();
        return Task.FromResult(new SlotDropResult(SlotDropOutcome.Dropped));
    }

    public Task<IReadOnlyList<ReplicationSlot>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ReplicationSlot>>(Slots.Select(s => new ReplicationSlot(s.Key, s.Value is not null, s.Value, Lsn.Zero, "reserved")).ToList());

    public Task<ReplicationObservation> ObserveAsync(CancellationToken cancellationToken)
    {
        var current = Lsn.Parse("0/3000000");
        var rows = Slots.Select(s => new StandbyReplication
        {
            SlotName = s.Key,
            SlotActive = s.Value is not null,
            WalSenderPid = s.Value,
            ApplicationName = s.Value is null ? null : ApplicationBySlot.GetValueOrDefault(s.Key),
            State = s.Value is null ? null : "streaming",
            SyncState = s.Value is null ? null : "async",
            CurrentLsn = current,
            SentLsn = s.Value is null ? null : current,
            ReplayLsn = s.Value is null ? null : current,
            ReplayLagBytes = s.Value is null ? null : 0,
            SlotRetainedWalBytes = 0,
        }).ToList();
        return Task.FromResult(new ReplicationObservation(current, 1, rows));
    }
}
