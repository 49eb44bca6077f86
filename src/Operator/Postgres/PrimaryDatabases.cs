using System.Collections.Concurrent;
using Npgsql;

namespace PgReplica.Operator.Postgres;

/// <summary>One small connection pool per cluster, replaced when the primary's address or password changes.</summary>
public sealed class PrimaryDatabases : IPrimaryDatabases, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, (PostgresEndpoint Endpoint, NpgsqlDataSource Source, PrimaryDatabase Database)> pools = new();
    private readonly Lock gate = new();

    /// <inheritdoc />
    public IPrimaryDatabase For(string clusterKey, PostgresEndpoint endpoint)
    {
        NpgsqlDataSource? stale = null;
        PrimaryDatabase database;
        lock (gate)
        {
            if (pools.TryGetValue(clusterKey, out var pool) && pool.Endpoint == endpoint) return pool.Database;
            stale = pools.TryGetValue(clusterKey, out var old) ? old.Source : null;
            var source = NpgsqlDataSource.Create(ConnectionString(endpoint));
            database = new PrimaryDatabase(source);
            pools[clusterKey] = (endpoint, source, database);
        }

        // The old pool points at a pod that is gone or restarted; its connections are useless.
        stale?.Dispose();
        return database;
    }

    /// <inheritdoc />
    public async ValueTask ForgetAsync(string clusterKey)
    {
        if (pools.TryRemove(clusterKey, out var pool)) await pool.Source.DisposeAsync();
    }

    /// <summary>The connection string for an endpoint: database postgres, short timeouts, a small pool.</summary>
    public static string ConnectionString(PostgresEndpoint endpoint) => new NpgsqlConnectionStringBuilder
    {
        Host = endpoint.Host,
        Port = endpoint.Port,
        Username = endpoint.Username,
        Password = endpoint.Password,
        Database = "postgres",
        SslMode = endpoint.RequireTls ? SslMode.Require : SslMode.Prefer,
        ApplicationName = PostgresEndpoint.ApplicationName,
        Timeout = 5,
        CommandTimeout = 15,
        MaxPoolSize = 4,
        ConnectionIdleLifetime = 60,
    }.ConnectionString;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var key in pools.Keys) await ForgetAsync(key);
    }
}
