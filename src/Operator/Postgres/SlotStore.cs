using Npgsql;

namespace PgReplica.Operator.Postgres;

/// <summary>Physical replication slots on a primary. Names are validated and always sent as parameters.</summary>
public sealed class SlotStore(NpgsqlDataSource dataSource) : ISlotStore
{
    // immediately_reserve = true: the slot holds WAL from the moment it exists, so a standby
    // cloned from it afterwards never misses a segment the primary already recycled.
    private const string CreateSql = """
        SELECT slot_name::text FROM pg_create_physical_replication_slot($1, true)
        WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = $1)
        """;

    private const string FindSql = """
        SELECT active, active_pid FROM pg_replication_slots WHERE slot_name = $1
        """;

    private const string ListSql = """
        SELECT slot_name::text, active, active_pid, restart_lsn::text, wal_status
        FROM pg_replication_slots WHERE slot_type = 'physical' ORDER BY slot_name
        """;

    /// <inheritdoc />
    public async Task<SlotEnsureOutcome> EnsureAsync(string slotName, CancellationToken cancellationToken)
    {
        ReplicationSlotName.Require(slotName);
        await using var command = dataSource.CreateCommand(CreateSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = slotName, DataTypeName = "name" });
        try
        {
            var created = await command.ExecuteScalarAsync(cancellationToken);
            return created is null ? SlotEnsureOutcome.AlreadyExisted : SlotEnsureOutcome.Created;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateObject)
        {
            // Another pass created it between our check and the create.
            return SlotEnsureOutcome.AlreadyExisted;
        }
    }

    /// <inheritdoc />
    public async Task<SlotDropResult> DropAsync(string slotName, CancellationToken cancellationToken)
    {
        ReplicationSlotName.Require(slotName);
        await using (var find = dataSource.CreateCommand(FindSql))
        {
            find.Parameters.Add(new NpgsqlParameter<string> { TypedValue = slotName, DataTypeName = "name" });
            await using var reader = await find.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken)) return new SlotDropResult(SlotDropOutcome.Absent);
            var active = reader.GetBoolean(0);
            int? pid = reader.IsDBNull(1) ? null : reader.GetInt32(1);
            if (active || pid is not null) return new SlotDropResult(SlotDropOutcome.Active, pid);
        }

        await using var drop = dataSource.CreateCommand("SELECT pg_drop_replication_slot($1)");
        drop.Parameters.Add(new NpgsqlParameter<string> { TypedValue = slotName, DataTypeName = "name" });
        try
        {
            await drop.ExecuteNonQueryAsync(cancellationToken);
            return new SlotDropResult(SlotDropOutcome.Dropped);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectInUse)
        {
            // A walsender picked the slot up between the check and the drop; PostgreSQL refused, as it should.
            return new SlotDropResult(SlotDropOutcome.Active);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedObject)
        {
            return new SlotDropResult(SlotDropOutcome.Absent);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ReplicationSlot>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(ListSql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var slots = new List<ReplicationSlot>();
        while (await reader.ReadAsync(cancellationToken))
        {
            slots.Add(new ReplicationSlot(
                reader.GetString(0),
                reader.GetBoolean(1),
                reader.IsDBNull(2) ? null : reader.GetInt32(2),
                reader.IsDBNull(3) ? null : Lsn.Parse(reader.GetString(3)),
                reader.IsDBNull(4) ? null : reader.GetString(4)));
        }

        return slots;
    }
}
