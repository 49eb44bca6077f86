using System.Diagnostics;
using System.Globalization;
using System.Net;
using Npgsql;
using PgReplica.Operator.Reconciliation;
using PgReplica.Operator.Reconciliation.Builders;
using PgReplica.Sandbox.Node;

namespace PgReplica.Bench.Convergence;

/// <summary>
/// A primary and standbys made by hand with the same binaries and the same settings the operator writes
/// (PostgresParameters and PgHba), each on 127.0.0.1 with a port of its own. Adding a standby is timed step
/// by step: create slot, pg_basebackup -c fast, pg_ctl start (no wait), until the primary's pg_stat_replication says streaming.
/// </summary>
public sealed class ManualCluster : IAsyncDisposable
{
    private const string Address = "127.0.0.1";
    private readonly string root;
    private readonly string sockets;
    private readonly PostgresUserCommand pg;
    private readonly BenchOptions options;
    private readonly string replicationPassword = SecretBuilder.NewPassword();
    private readonly HashSet<int> standbys = [];
    private readonly string volumes;
    private int primaryPort;
    private NpgsqlDataSource? primary;

    private ManualCluster(string root, string binDirectory, BenchOptions options)
    {
        this.root = root;
        sockets = Path.Combine(root, "sockets");
        volumes = Path.Combine(root, "volumes");
        pg = new PostgresUserCommand(binDirectory);
        this.options = options;
    }

    /// <summary>The same user parameters the operator side's resource carries.</summary>
    public static IReadOnlyDictionary<string, string> UserParameters { get; } = new Dictionary<string, string>
    {
        ["shared_buffers"] = "16MB",
        ["max_connections"] = "30",
    };

    /// <summary>Creates and starts the primary (initdb as postgres, operator's settings, replicator role), loads rows, and adds N untimed standbys.</summary>
    public static async Task<ManualCluster> StartAsync(string root, string binDirectory, BenchOptions options, CancellationToken ct)
    {
        var cluster = new ManualCluster(root, binDirectory, options);
        try
        {
            await cluster.StartPrimaryAsync(ct);
            for (var n = 1; n <= options.Standbys; n++)
            {
                await cluster.AddStandbyAsync(n, ct);
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Slot name of standby n.</summary>
    public static string SlotName(int n) => $"bench_{n.ToString(CultureInfo.InvariantCulture)}";

    private string PrimaryDirectory => Path.Combine(root, "primary");

    // A standby's data directory is the root of its own volume, as in a pod.
    private string StandbyDirectory(int n) => Path.Combine(volumes, "standalone", SlotName(n));

    // Each standby gets a volume of the size the operator side's claims have, made the same way (sparse ext4 image,
    // loop-mounted with direct I/O): both clones then write to the same kind of disk.
    private long VolumeBytes => (long)OperatorCluster.StorageGibibytes(options.Rows) << 30;

    private NpgsqlDataSource Primary => primary ?? throw new InvalidOperationException("primary not started");

    private async Task StartPrimaryAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(root);
        await PostgresUserCommand.GiveToPostgresAsync(root, ct);
        StandaloneVolume.PrepareRoot(volumes);
        await pg.RunAsync("/bin/mkdir", ["-m", "0700", sockets], ct);
        // Host auth is replaced by the operator's pg_hba.conf right after; the superuser works over the local socket (trust), as in the pods.
        await pg.RunAsync("initdb", ["-D", PrimaryDirectory, "-U", PgHba.Superuser, "--auth-local=trust", "--auth-host=trust", "--encoding=UTF8"], ct);
        await File.AppendAllTextAsync(Path.Combine(PrimaryDirectory, "postgresql.conf"), "include_if_exists = 'pgreplica.conf'\n", ct);
        await File.WriteAllTextAsync(Path.Combine(PrimaryDirectory, "pgreplica.conf"), PostgresParameters.Merge(UserParameters, null).ToConfigFile(), ct);
        await File.WriteAllTextAsync(Path.Combine(PrimaryDirectory, "pg_hba.conf"), PgHba.Build(), ct);
        primaryPort = FreePort.Pick(IPAddress.Loopback);
        await StartServerAsync(PrimaryDirectory, primaryPort, wait: true, ct);
        primary = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder
        {
            Host = sockets,
            Port = primaryPort,
            Username = PgHba.Superuser,
            Database = "postgres",
            CommandTimeout = 0,
        }.ConnectionString);

        // The password is in the statement text over the local socket, never in a process's arguments.
        await using var role = Primary.CreateCommand($"CREATE ROLE {PgHba.ReplicationUser} WITH LOGIN REPLICATION PASSWORD '{replicationPassword.Replace("'", "''", StringComparison.Ordinal)}'");
        await role.ExecuteNonQueryAsync(ct);
        await RowLoad.LoadAsync(Primary, options.Rows, ct);
    }

    // wait: pg_ctl start -w returns once the server accepts connections. A standby is started with -W instead,
    // as a pod's container starts postgres, and the primary's pg_stat_replication alone says when it streams.
    private Task StartServerAsync(string dataDirectory, int port, bool wait, CancellationToken ct) =>
        pg.RunAsync(
            "pg_ctl",
            ["start", wait ? "-w" : "-W", "-t", "600", "-D", dataDirectory, "-l", Path.Combine(root, Path.GetFileName(dataDirectory) + ".log"),
             "-o", $"-c listen_addresses={Address} -c port={port.ToString(CultureInfo.InvariantCulture)} -c unix_socket_directories={sockets}"],
            ct);

    /// <summary>The phase that holds the clone (pg_basebackup straight at the primary's address).</summary>
    public const string ClonePhase = "pg_basebackup";

    /// <summary>The phase that makes the standby's volume.</summary>
    public const string VolumePhase = "volume (image made, formatted, mounted)";

    /// <summary>Adds standby n by hand; the result's phases are slot, base backup, pg_ctl start, and the wait until the primary sees it streaming.</summary>
    public async Task<RoundResult> AddStandbyAsync(int n, CancellationToken ct)
    {
        var slot = SlotName(n);
        var clock = Stopwatch.StartNew();
        var phases = new List<Phase>();
        void Mark(string name)
        {
            phases.Add(new Phase(name, clock.Elapsed.TotalSeconds - phases.Sum(p => p.Seconds)));
        }

        await PostgresUserCommand.GiveToPostgresAsync(StandaloneVolume.Mount(volumes, slot, VolumeBytes), ct);
        Mark(VolumePhase);
        await using (var create = Primary.CreateCommand("SELECT pg_create_physical_replication_slot($1)"))
        {
            create.Parameters.Add(new NpgsqlParameter { Value = slot });
            await create.ExecuteNonQueryAsync(ct);
        }

        standbys.Add(n);
        Mark("create slot");
        await pg.RunAsync(
            "pg_basebackup",
            ["-d", $"host={Address} port={primaryPort.ToString(CultureInfo.InvariantCulture)} user={PgHba.ReplicationUser} application_name={slot}",
             "-D", StandbyDirectory(n), "-X", "stream", "-S", slot, "-R", "-c", "fast"],
            ct,
            new Dictionary<string, string> { ["PGPASSWORD"] = replicationPassword });
        Mark(ClonePhase);
        await StartServerAsync(StandbyDirectory(n), FreePort.Pick(IPAddress.Loopback), wait: false, ct);
        Mark("pg_ctl start");
        await Poll.UntilAsync(
            async token =>
            {
                await using var state = Primary.CreateCommand("SELECT state FROM pg_stat_replication WHERE application_name = $1");
                state.Parameters.Add(new NpgsqlParameter { Value = slot });
                return await state.ExecuteScalarAsync(token) as string == "streaming";
            },
            options.PollInterval,
            options.Timeout,
            $"{slot} streaming",
            ct);
        Mark("until streaming");
        return new RoundResult(clock.Elapsed.TotalSeconds, phases);
    }

    /// <summary>Bytes in the primary's databases.</summary>
    public Task<long> DatabaseBytesAsync(CancellationToken ct) => RowLoad.DatabaseBytesAsync(Primary, ct);

    /// <summary>Brings the primary and its standbys to rest, untimed (<see cref="PrimarySettle"/>).</summary>
    public Task SettleAsync(CancellationToken ct) => PrimarySettle.SettleAsync(Primary, options, ct);

    /// <summary>Stops standby n, deletes its data directory, and drops its slot once the primary has let go of it.</summary>
    public async Task RemoveStandbyAsync(int n, CancellationToken ct)
    {
        await pg.RunAsync("pg_ctl", ["stop", "-w", "-m", "fast", "-D", StandbyDirectory(n)], ct);
        standbys.Remove(n);
        StandaloneVolume.Delete(volumes, SlotName(n));
        await Poll.UntilAsync(
            async token =>
            {
                await using var drop = Primary.CreateCommand(
                    "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1 AND NOT active");
                drop.Parameters.Add(new NpgsqlParameter { Value = SlotName(n) });
                await drop.ExecuteNonQueryAsync(token);
                await using var left = Primary.CreateCommand("SELECT count(*) FROM pg_replication_slots WHERE slot_name = $1");
                left.Parameters.Add(new NpgsqlParameter { Value = SlotName(n) });
                return (long)(await left.ExecuteScalarAsync(token))! == 0;
            },
            options.PollInterval,
            options.Timeout,
            $"slot {SlotName(n)} dropped",
            ct);
    }

    /// <summary>Stops every server it started (immediate), then deletes the directories unless --keep.</summary>
    public async ValueTask DisposeAsync()
    {
        if (primary is not null)
        {
            await primary.DisposeAsync();
        }

        foreach (var dir in standbys.Select(StandbyDirectory).Append(PrimaryDirectory))
        {
            await StopQuietlyAsync(dir);
        }

        if (Directory.Exists(volumes))
        {
            StandaloneVolume.UnmountAll(volumes);
        }

        if (!options.Keep && Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    // Cleanup runs after Ctrl-C too, so it must not take the cancelled token; a server that never started is no error.
    private async Task StopQuietlyAsync(string dataDirectory)
    {
        if (!File.Exists(Path.Combine(dataDirectory, "postmaster.pid")))
        {
            return;
        }

        try
        {
            using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await pg.RunAsync("pg_ctl", ["stop", "-w", "-m", "immediate", "-D", dataDirectory], bound.Token);
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
            Console.Error.WriteLine($"manual: could not stop {dataDirectory}: {e.Message}");
        }
    }
}
