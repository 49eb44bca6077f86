using PgReplica.Operator.Reconciliation;

namespace PgReplica.Operator.Tests.Reconciliation;

public sealed class PgHbaTests
{
    private static List<string[]> Rules() => PgHba.Build().Split('\n')
        .Where(l => l.Length > 0 && !l.StartsWith('#'))
        .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        .ToList();

    [Fact]
    public void Replication_is_only_for_the_replication_role_with_scram()
    {
        var replication = Rules().Where(r => r[0] == "host" && r[1] == "replication").ToList();
        Assert.Equal(["host", "replication", "replicator", "all", "scram-sha-256"], replication[0]);
        Assert.Equal("reject", replication[1][^1]);
    }

    [Fact]
    public void Trust_only_for_postgres_over_the_socket_and_scram_everywhere_else()
    {
        var rules = Rules();
        Assert.All(rules.Where(r => r[^1] == "trust"), r => Assert.Equal(["local", "all", "postgres", "trust"], r));
        Assert.Equal(["host", "all", "all", "all", "scram-sha-256"], rules[^1]);
        Assert.DoesNotContain(rules, r => r[^1] is "md5" or "password" or "ident");
    }
}
