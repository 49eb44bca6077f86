using PgReplica.Operator.Postgres;

namespace PgReplica.Operator.Tests.Postgres;

[Collection(PostgresPairCollection.Name)]
public sealed class SlotStoreTests(PostgresPairFixture pair)
{
    private SlotStore Store => new(pair.Primary);

    [Fact]
    public async Task Ensure_creates_a_slot_that_reserves_wal_at_once_and_is_idempotent()
    {
        const string slot = "slotstore_ensure_1";
        Assert.Equal(SlotEnsureOutcome.Created, await Store.EnsureAsync(slot, default));
        Assert.Equal(SlotEnsureOutcome.AlreadyExisted, await Store.EnsureAsync(slot, default));

        var listed = Assert.Single(await Store.ListAsync(default), s => s.Name == slot);
        Assert.False(listed.Active);
        Assert.NotNull(listed.RestartLsn); // immediately_reserve = true
        Assert.Equal("reserved", listed.WalStatus);

        Assert.Equal(SlotDropOutcome.Dropped, (await Store.DropAsync(slot, default)).Outcome);
        Assert.DoesNotContain(await Store.ListAsync(default), s => s.Name == slot);
    }

    [Fact]
    public async Task Drop_of_a_missing_slot_reports_absent()
    {
        Assert.Equal(SlotDropOutcome.Absent, (await Store.DropAsync("slotstore_never_made", default)).Outcome);
    }

    [Fact]
    public async Task Drop_refuses_the_slot_a_streaming_standby_uses_and_names_its_walsender()
    {
        var result = await Store.DropAsync(PostgresPairFixture.StandbySlot, default);

        Assert.Equal(SlotDropOutcome.Active, result.Outcome);
        var walsender = await PostgresPairFixture.ScalarAsync<int>(pair.Primary,
            $"SELECT pid FROM pg_stat_replication WHERE application_name = '{PostgresPairFixture.StandbyApplicationName}'");
        Assert.Equal(walsender, result.ActivePid);
        var slot = Assert.Single(await Store.ListAsync(default), s => s.Name == PostgresPairFixture.StandbySlot);
        Assert.True(slot.Active);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Upper_1")]
    [InlineData("orders-2")]
    [InlineData("x'); SELECT pg_drop_replication_slot('pair_2'); --")]
    [InlineData("a234567890123456789012345678901234567890123456789012345678901234")]
    public async Task Invalid_names_are_refused_before_any_sql(string name)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.EnsureAsync(name, default));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.DropAsync(name, default));
        Assert.Contains(await Store.ListAsync(default), s => s.Name == PostgresPairFixture.StandbySlot);
    }
}
