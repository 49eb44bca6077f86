using System.Text;

namespace PgReplica.Operator.Reconciliation;

/// <summary>The pg_hba.conf every instance gets.</summary>
public static class PgHba
{
    /// <summary>The role standbys and pg_basebackup connect as.</summary>
    public const string ReplicationUser = "replicator";

    /// <summary>The superuser, trusted only over the local socket (probes, init scripts).</summary>
    public const string Superuser = "postgres";

    /// <summary>
    /// First match wins: postgres over the socket without a password, nobody else over the socket;
    /// replication connections only for the replication role with scram; everything else over TCP with scram.
    /// </summary>
    public static string Build()
    {
        var lines = new (string Type, string Database, string User, string Address, string Method)[]
        {
            ("local", "all", Superuser, "", "trust"),
            ("local", "all", "all", "", "reject"),
            ("host", "replication", ReplicationUser, "all", "scram-sha-256"),
            ("host", "replication", "all", "all", "reject"),
            ("host", "all", "all", "all", "scram-sha-256"),
        };
        var text = new StringBuilder("# Written by pgreplica; edits are overwritten.\n");
        foreach (var l in lines)
        {
            text.Append(l.Type.PadRight(8)).Append(l.Database.PadRight(13)).Append(l.User.PadRight(12))
                .Append(l.Address.PadRight(8)).Append(l.Method).Append('\n');
        }

        return text.ToString();
    }
}
