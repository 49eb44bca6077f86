using PgReplica.Operator.Postgres;

namespace PgReplica.Operator.Tests.Postgres;

public sealed class LsnTests
{
    [Theory]
    [InlineData("0/0", 0UL)]
    [InlineData("0/3000148", 0x3000148UL)]
    [InlineData("16/B374D848", 0x16_B374D848UL)]
    [InlineData("FFFFFFFF/FFFFFFFF", ulong.MaxValue)]
    [InlineData("16/b374d848", 0x16_B374D848UL)]
    public void Parses_and_prints_postgres_text_form(string text, ulong value)
    {
        var lsn = Lsn.Parse(text);
        Assert.Equal(value, lsn.Value);
        Assert.Equal(text.ToUpperInvariant(), lsn.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("3000148")]
    [InlineData("/1")]
    [InlineData("1/")]
    [InlineData("1/2/3")]
    [InlineData("G/1")]
    [InlineData("123456789/1")]
    [InlineData("-1/1")]
    public void Rejects_anything_else(string text)
    {
        Assert.False(Lsn.TryParse(text, out _));
        Assert.Throws<FormatException>(() => Lsn.Parse(text));
    }

    [Fact]
    public void Difference_crosses_the_high_half_like_pg_wal_lsn_diff()
    {
        var older = Lsn.Parse("0/FFFFFF00");
        var newer = Lsn.Parse("1/100");
        Assert.Equal(0x200, newer.BytesSince(older));
        Assert.Equal(-0x200, older.BytesSince(newer));
        Assert.True(older < newer);
        Assert.Equal(0, newer.BytesSince(newer));
    }

    [Fact]
    public void Idle_caught_up_standby_has_zero_replay_lag_seconds_but_a_lagging_one_stays_unknown()
    {
        var at = Lsn.Parse("0/5000000");
        var idle = new StandbyReplication { CurrentLsn = at, SentLsn = at, ReplayLsn = at, ReplayLagSecondsReported = null };
        Assert.Equal(0.0, idle.ReplayLagSeconds);

        var behind = idle with { ReplayLsn = Lsn.Parse("0/4000000") };
        Assert.Null(behind.ReplayLagSeconds);

        var reported = behind with { ReplayLagSecondsReported = 1.5 };
        Assert.Equal(1.5, reported.ReplayLagSeconds);
    }

    [Theory]
    [InlineData("orders_2", true)]
    [InlineData("a", true)]
    [InlineData("orders-2", false)]
    [InlineData("Orders_2", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("x\n", false)]
    public void Slot_names_follow_postgres_rules(string? name, bool valid)
    {
        Assert.Equal(valid, ReplicationSlotName.IsValid(name));
        Assert.True(ReplicationSlotName.IsValid(new string('a', 63)));
        Assert.False(ReplicationSlotName.IsValid(new string('a', 64)));
    }
}
