using PgReplica.Operator.Reconciliation;

namespace PgReplica.Operator.Tests.Reconciliation;

public sealed class PostgresParametersTests
{
    [Fact]
    public void User_values_override_defaults_but_not_replication_settings()
    {
        var merged = PostgresParameters.Merge(
            new Dictionary<string, string> { ["shared_buffers"] = "256MB", ["work_mem"] = "8MB", ["wal_level"] = "minimal", ["Max_Wal_Senders"] = "1" },
            "2GB");

        Assert.Equal("256MB", merged.Settings["shared_buffers"]);
        Assert.Equal("8MB", merged.Settings["work_mem"]);
        Assert.Equal("replica", merged.Settings["wal_level"]);
        Assert.Equal("40", merged.Settings["max_wal_senders"]);
        Assert.Equal("40", merged.Settings["max_replication_slots"]);
        Assert.Equal("on", merged.Settings["hot_standby"]);
        Assert.Equal("2GB", merged.Settings["max_slot_wal_keep_size"]);
        Assert.Equal("5432", merged.Settings["port"]);
        Assert.Equal("scram-sha-256", merged.Settings["password_encryption"]);
        Assert.Equal(["Max_Wal_Senders", "wal_level"], merged.Rejected.Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.All(merged.Rejected, r => Assert.Equal("set by the operator", r.Reason));
    }

    [Fact]
    public void Names_and_values_that_could_inject_configuration_are_refused()
    {
        var merged = PostgresParameters.Merge(
            new Dictionary<string, string>
            {
                ["work_mem = 1\nwal_level"] = "x",
                ["application_name"] = "a\nport = 1",
                ["pg_stat_statements.max"] = "1000",
                ["include_dir"] = "/etc",
                ["work_mem\n"] = "1MB",
            },
            null);

        Assert.Equal(4, merged.Rejected.Count);
        Assert.Equal("1000", merged.Settings["pg_stat_statements.max"]);
        Assert.False(merged.Settings.ContainsKey("application_name"));
        Assert.Equal("4GB", merged.Settings["max_slot_wal_keep_size"]);
    }

    [Fact]
    public void An_unusable_wal_keep_size_falls_back_to_the_default_and_is_reported()
    {
        var merged = PostgresParameters.Merge(null, "4Gi");
        Assert.Single(PostgresParameters.Merge(null, "4GB\n").Rejected);
        Assert.Equal("4GB", merged.Settings["max_slot_wal_keep_size"]);
        Assert.Equal("maxSlotWalKeepSize", Assert.Single(merged.Rejected).Name);
        Assert.Equal("-1", PostgresParameters.Merge(null, "-1").Settings["max_slot_wal_keep_size"]);
    }

    [Fact]
    public void Config_file_quotes_and_escapes_every_value_one_per_line()
    {
        var merged = PostgresParameters.Merge(new Dictionary<string, string> { ["log_line_prefix"] = "it's \\ %m " }, null);
        var text = merged.ToConfigFile();
        Assert.Contains("log_line_prefix = 'it''s \\\\ %m '\n", text);
        Assert.Contains("wal_level = 'replica'\n", text);
        var settingLines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')).ToList();
        Assert.Equal(merged.Settings.Count, settingLines.Count);
    }
}
