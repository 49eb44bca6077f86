using Npgsql;

namespace PgReplica.Bench.Convergence;

/// <summary>The same data on both primaries: <c>rows</c> rows of about 100 bytes in table bench_rows.</summary>
public static class RowLoad
{
    /// <summary>Creates and fills bench_rows (nothing for zero rows), then checkpoints so both sides start alike.</summary>
    public static async Task LoadAsync(NpgsqlDataSource primary, long rows, CancellationToken ct)
    {
        if (rows <= 0)
        {
            return;
        }

        await using var create = primary.CreateCommand("CREATE TABLE bench_rows AS SELECT g AS id, repeat('x', 100) AS payload FROM generate_series(1::bigint, $1) g");
        create.Parameters.Add(new NpgsqlParameter { Value = rows });
        create.CommandTimeout = 0;
        await create.ExecuteNonQueryAsync(ct);
        await using var checkpoint = primary.CreateCommand("CHECKPOINT");
        checkpoint.CommandTimeout = 0;
        await checkpoint.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Bytes in all databases of a primary, to show both sides copy about the same amount.</summary>
    public static async Task<long> DatabaseBytesAsync(NpgsqlDataSource primary, CancellationToken ct)
    {
        await using var size = primary.CreateCommand("SELECT sum(pg_database_size(datname))::bigint FROM pg_database");
        return (long)(await size.ExecuteScalarAsync(ct))!;
    }
}
