using PgReplica.Operator.Postgres;

namespace PgReplica.Operator.Tests.Postgres;

[Collection(PostgresPairCollection.Name)]
public sealed class ReplicationObserverTests(PostgresPairFixture pair)
{
    private ReplicationObserver Observer => new(pair.Primary);

    [Fact]
    public async Task Sees_the_streaming_standby_through_its_slot_with_lag_back_to_zero_after_writes()
    {
        await PostgresPairFixture.ExecuteAsync(pair.Primary, "CREATE TABLE IF NOT EXISTS observed (id int); INSERT INTO observed SELECT generate_series(1, 1000)");

        StandbyReplication? standby = null;
        ReplicationObservation? observation = null;
        await PostgresPairFixture.WaitUntilAsync(async () =>
        {
            observation = await Observer.ObserveAsync(default);
            standby = observation.ForSlot(PostgresPairFixture.StandbySlot);
            return standby is { ReplayLagBytes: 0 };
        });

        Assert.NotNull(observation);
        Assert.NotNull(standby);
        Assert.Equal(1, observation!.Timeline);
        var current = Lsn.Parse(await PostgresPairFixture.ScalarAsync<string>(pair.Primary, "SELECT pg_current_wal_lsn()::text"));
        Assert.True(observation.CurrentLsn <= current);
        Assert.True(observation.CurrentLsn > Lsn.Zero);

        Assert.Equal(PostgresPairFixture.StandbyApplicationName, standby!.ApplicationName);
        Assert.Equal("streaming", standby.State);
        Assert.Equal("async", standby.SyncState);
        Assert.True(standby.SlotActive);
        Assert.NotNull(standby.WalSenderPid);
        Assert.Equal(observation.CurrentLsn, standby.ReplayLsn);
        Assert.NotNull(standby.SentLsn);
        Assert.NotNull(standby.FlushLsn);
        Assert.Equal("reserved", standby.WalStatus);
        Assert.NotNull(standby.SlotRetainedWalBytes);
        Assert.True(standby.SlotRetainedWalBytes >= 0);
        Assert.NotNull(standby.ReplayLagSeconds);

        var onStandby = await PostgresPairFixture.ScalarAsync<long>(pair.Standby, "SELECT count(*) FROM observed");
        Assert.True(onStandby >= 1000);
    }

    [Fact]
    public async Task Reports_an_idle_slot_with_no_walsender_and_the_wal_it_pins()
    {
        const string slot = "observer_idle_1";
        var slots = new SlotStore(pair.Primary);
        await slots.EnsureAsync(slot, default);
        try
        {
            await PostgresPairFixture.ExecuteAsync(pair.Primary, "CREATE TABLE IF NOT EXISTS pinned (id int); INSERT INTO pinned SELECT generate_series(1, 5000)");
            var observation = await Observer.ObserveAsync(default);
            var idle = observation.ForSlot(slot);

            Assert.NotNull(idle);
            Assert.False(idle!.SlotActive);
            Assert.Null(idle.WalSenderPid);
            Assert.Null(idle.State);
            Assert.Null(idle.ReplayLagBytes);
            Assert.True(idle.SlotRetainedWalBytes > 0);
            Assert.Equal(observation.CurrentLsn.BytesSince(idle.RestartLsn!.Value), idle.SlotRetainedWalBytes);
            Assert.NotNull(observation.ForSlot(PostgresPairFixture.StandbySlot));
        }
        finally
        {
            await slots.DropAsync(slot, default);
        }
    }

    [Fact]
    public async Task Primary_database_accepts_connections_only_on_the_primary()
    {
        await using var databases = new PrimaryDatabases();
        Assert.True(await databases.For("ns/primary", pair.PrimaryEndpoint).AcceptsConnectionsAsync(default));
        // A standby answers but is in recovery: not a primary to reconcile against.
        Assert.False(await databases.For("ns/standby", pair.StandbyEndpoint).AcceptsConnectionsAsync(default));
        var closed = pair.PrimaryEndpoint with { Port = LocalPostgres.FreePort() };
        Assert.False(await databases.For("ns/closed", closed).AcceptsConnectionsAsync(default));
        var wrongPassword = pair.PrimaryEndpoint with { Password = "not-the-password" };
        Assert.False(await databases.For("ns/primary", wrongPassword).AcceptsConnectionsAsync(default));
    }

    [Fact]
    public void Timeline_comes_from_the_first_eight_hex_digits_of_the_wal_file_name()
    {
        Assert.Equal(1, ReplicationObserver.TimelineOfWalFile("000000010000000000000003"));
        Assert.Equal(0x1A, ReplicationObserver.TimelineOfWalFile("0000001A0000000200000003"));
        Assert.Throws<FormatException>(() => ReplicationObserver.TimelineOfWalFile("xyz"));
    }
}

[Collection(PostgresPairCollection.Name)]
public sealed class BaseBackupConninfoTests(PostgresPairFixture pair)
{
    [Fact]
    public void Pg_basebackup_R_writes_the_application_name_from_d_and_the_slot_from_S()
    {
        var auto = File.ReadAllText(Path.Combine(pair.StandbyData, "postgresql.auto.conf"));
        // libpq quotes the value: primary_conninfo = '... application_name=''pair-2'' ...'
        Assert.Contains($"application_name=''{PostgresPairFixture.StandbyApplicationName}''", auto);
        Assert.Contains("user=replicator", auto);
        Assert.Contains($"primary_slot_name = '{PostgresPairFixture.StandbySlot}'", auto);
        Assert.True(File.Exists(Path.Combine(pair.StandbyData, "standby.signal")));
    }
}
