namespace PgReplica.Operator.Postgres;

/// <summary>How to reach one PostgreSQL server: address, role and password. ToString never shows the password.</summary>
public sealed record PostgresEndpoint(string Host, int Port, string Username, string Password, bool RequireTls = false)
{
    /// <summary>PostgreSQL's port, the one every instance listens on.</summary>
    public const int DefaultPort = 5432;

    /// <summary>The operator's own session name, visible in pg_stat_activity.</summary>
    public const string ApplicationName = "pgreplica-operator";

    /// <summary>Renders the address without the secret, so an endpoint is safe to log.</summary>
    public override string ToString() => $"{Username}@{Host}:{Port}";
}
