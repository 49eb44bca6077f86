using Npgsql;

namespace PgReplica.Operator.Postgres;

/// <summary>A cluster's primary reached through one Npgsql data source.</summary>
public sealed class PrimaryDatabase(NpgsqlDataSource dataSource) : IPrimaryDatabase
{
    /// <inheritdoc />
    public ISlotStore Slots { get; } = new SlotStore(dataSource);

    /// <inheritdoc />
    public IReplicationObserver Replication { get; } = new ReplicationObserver(dataSource);

    /// <inheritdoc />
    public async Task<bool> AcceptsConnectionsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var command = dataSource.CreateCommand("SELECT NOT pg_is_in_recovery()");
            return await command.ExecuteScalarAsync(cancellationToken) is true;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return false;
        }
    }
}
