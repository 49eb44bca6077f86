using System.Security.Cryptography;
using Npgsql;
using PgReplica.Operator.Postgres;

namespace PgReplica.Operator.Tests.Postgres;

/// <summary>
/// A real primary and one streaming standby cloned with pg_basebackup -R -S, as the operator's
/// standby init container does, built once for the tests that share it and stopped afterwards.
/// </summary>
public sealed class PostgresPairFixture : IAsyncLifetime
{
    public const string StandbySlot = "pair_2";
    public const string StandbyApplicationName = "pair-2";
    private const string ReplicationUser = "replicator";

    private string root = "";

    public int PrimaryPort { get; private set; }
    public int StandbyPort { get; private set; }
    public string SuperuserPassword { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
    public string ReplicationPassword { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
    public string PrimaryData => Path.Combine(root, "primary");
    public string StandbyData => Path.Combine(root, "standby");

    public PostgresEndpoint PrimaryEndpoint => new("127.0.0.1", PrimaryPort, "postgres", SuperuserPassword);
    public PostgresEndpoint StandbyEndpoint => new("127.0.0.1", StandbyPort, "postgres", SuperuserPassword);

    public NpgsqlDataSource Primary { get; private set; } = null!;
    public NpgsqlDataSource Standby { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        root = LocalPostgres.CreateOwnedTempDirectory("pgreplica-pair-");
        PrimaryPort = LocalPostgres.FreePort();
        StandbyPort = LocalPostgres.FreePort();
        var pwfile = Path.Combine(root, "pwfile");
        LocalPostgres.WriteOwnedFile(pwfile, SuperuserPassword + "\n");

        LocalPostgres.Pg("initdb", ["-D", PrimaryData, "-U", "postgres", "--pwfile", pwfile,
            "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync"]);
        File.Delete(pwfile);
        File.AppendAllText(Path.Combine(PrimaryData, "postgresql.conf"), $"""

            listen_addresses = '127.0.0.1'
            port = {PrimaryPort}
            unix_socket_directories = '{root}'
            wal_level = replica
            max_wal_senders = 10
            max_replication_slots = 10
            hot_standby = on
            fsync = off
            shared_buffers = 16MB
            """);
        LocalPostgres.Pg("pg_ctl", ["-D", PrimaryData, "-l", Path.Combine(root, "primary.log"), "-w", "-t", "60", "start"]);
        Primary = NpgsqlDataSource.Create(PostgresTestConnections.ConnectionString(PrimaryEndpoint));

        // The password is random hex, so the literal is safe; CREATE ROLE takes no parameters.
        await using (var create = Primary.CreateCommand($"CREATE ROLE {ReplicationUser} WITH LOGIN REPLICATION PASSWORD '{ReplicationPassword}'"))
        {
            await create.ExecuteNonQueryAsync();
        }

        await new SlotStore(Primary).EnsureAsync(StandbySlot, CancellationToken.None);

        // Same shape as the standby init container: -d carries application_name, -R writes it into primary_conninfo.
        LocalPostgres.Pg("pg_basebackup",
            ["-d", $"host=127.0.0.1 port={PrimaryPort} user={ReplicationUser} application_name={StandbyApplicationName}",
             "-D", StandbyData, "-X", "stream", "-S", StandbySlot, "-R", "-c", "fast", "--no-sync"],
            new Dictionary<string, string> { ["PGPASSWORD"] = ReplicationPassword });
        File.AppendAllText(Path.Combine(StandbyData, "postgresql.conf"), $"""

            port = {StandbyPort}
            """);
        LocalPostgres.Pg("pg_ctl", ["-D", StandbyData, "-l", Path.Combine(root, "standby.log"), "-w", "-t", "60", "start"]);
        Standby = NpgsqlDataSource.Create(PostgresTestConnections.ConnectionString(StandbyEndpoint));
        await WaitUntilAsync(async () => await ScalarAsync<long>(Primary, "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'") == 1);
    }

    public async Task DisposeAsync()
    {
        if (Standby is not null) await Standby.DisposeAsync();
        if (Primary is not null) await Primary.DisposeAsync();
        foreach (var data in new[] { StandbyData, PrimaryData })
        {
            if (File.Exists(Path.Combine(data, "postmaster.pid")))
            {
                LocalPostgres.Pg("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
            }
        }

        Directory.Delete(root, recursive: true);
    }

    public static async Task<T> ScalarAsync<T>(NpgsqlDataSource source, string sql)
    {
        await using var command = source.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public static async Task ExecuteAsync(NpgsqlDataSource source, string sql)
    {
        await using var command = source.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Polls until the condition holds, failing after a generous bound.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, int timeoutSeconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met in time");
            await Task.Delay(100);
        }
    }
}

/// <summary>Collection sharing one primary/standby pair between the test classes that need it.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresPairCollection : ICollectionFixture<PostgresPairFixture>
{
    public const string Name = "postgres pair";
}

/// <summary>Connection strings for tests: no pooling surprises, short timeouts.</summary>
public static class PostgresTestConnections
{
    public static string ConnectionString(PostgresEndpoint endpoint) => PrimaryDatabases.ConnectionString(endpoint);
}
