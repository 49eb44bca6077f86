using Npgsql;
using k8s;
using k8s.Models;
using PgReplica.Operator.Postgres;
using PgReplica.Operator.Reconciliation;
using PgReplica.Operator.Reconciliation.Builders;
using PgReplica.Operator.Tests.Postgres;

namespace PgReplica.Operator.Tests.Reconciliation;

/// <summary>
/// Runs the pods' real init scripts with the environment the pod specs give them (secretKeyRef values
/// resolved from a built Secret) against the machine's PostgreSQL, then starts the instances.
/// </summary>
public sealed class InstanceScriptsTests : IAsyncLifetime
{
    private readonly string root = LocalPostgres.CreateOwnedTempDirectory("pgreplica-scripts-");
    private readonly List<string> started = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        foreach (var data in started)
        {
            LocalPostgres.Pg("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
        }

        Directory.Delete(root, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Primary_then_standby_scripts_build_a_streaming_pair_with_the_secret_passwords()
    {
        var cluster = TestClusters.Named("scripts", replicas: 1);
        var secret = SecretBuilder.Build(cluster);
        var parameters = PostgresParameters.Merge(new Dictionary<string, string> { ["work_mem"] = "7MB", ["log_line_prefix"] = "$(HOME) %m " }, "1GB");
        var primaryPort = LocalPostgres.FreePort();
        var standbyPort = LocalPostgres.FreePort();
        var primaryData = Path.Combine(root, "p", "pgdata");
        var standbyData = Path.Combine(root, "s", "pgdata");
        Directory.CreateDirectory(Path.GetDirectoryName(primaryData)!);
        Directory.CreateDirectory(Path.GetDirectoryName(standbyData)!);
        LocalPostgres.Run("chown", ["-R", "postgres:postgres", root], asPostgres: false);

        var primaryPod = InstancePodBuilder.Primary(cluster, 1, parameters);
        RunInit(primaryPod, secret, primaryData, primaryPort, primaryHost: null);
        // A second run on the finished directory only rewrites the config files.
        RunInit(primaryPod, secret, primaryData, primaryPort, primaryHost: null);
        Start(primaryData, primaryPort);

        var superuser = new PostgresEndpoint("127.0.0.1", primaryPort, "postgres", SecretBuilder.Read(secret, SecretBuilder.SuperuserPasswordKey)!);
        await using var primary = NpgsqlDataSource.Create(PrimaryDatabases.ConnectionString(superuser));
        Assert.Equal("replica", await PostgresPairFixture.ScalarAsync<string>(primary, "SHOW wal_level"));
        Assert.Equal("7MB", await PostgresPairFixture.ScalarAsync<string>(primary, "SHOW work_mem"));
        Assert.Equal("40", await PostgresPairFixture.ScalarAsync<string>(primary, "SHOW max_replication_slots"));
        Assert.True(await PostgresPairFixture.ScalarAsync<bool>(primary, "SELECT rolreplication FROM pg_roles WHERE rolname = 'replicator'"));
        Assert.Equal(PgHba.Build(), File.ReadAllText(Path.Combine(primaryData, "pg_hba.conf")));
        Assert.Equal(parameters.ToConfigFile(), File.ReadAllText(Path.Combine(primaryData, "pgreplica.conf")));

        var slot = cluster.Metadata.Name + "_2";
        await new SlotStore(primary).EnsureAsync(slot, default);

        // A clone that died half-way leaves a .partial directory; the script starts over.
        Directory.CreateDirectory(standbyData + ".partial");
        File.WriteAllText(Path.Combine(standbyData + ".partial", "PG_VERSION"), "junk");
        LocalPostgres.Run("chown", ["-R", "postgres:postgres", root], asPostgres: false);

        var standbyPod = InstancePodBuilder.Standby(cluster, 2, parameters);
        RunInit(standbyPod, secret, standbyData, primaryPort, primaryHost: "127.0.0.1");
        Assert.True(File.Exists(Path.Combine(standbyData, "standby.signal")));
        Assert.False(Directory.Exists(standbyData + ".partial"));
        Start(standbyData, standbyPort);

        var observer = new ReplicationObserver(primary);
        StandbyReplication? seen = null;
        await PostgresPairFixture.WaitUntilAsync(async () =>
        {
            seen = (await observer.ObserveAsync(default)).ForSlot(slot);
            return seen is { State: "streaming", SlotActive: true };
        });
        Assert.Equal("scripts-2", seen!.ApplicationName);

        // The wrong password is refused over TCP: host connections need the Secret's password.
        var wrong = superuser with { Password = "wrong" };
        await using var refused = NpgsqlDataSource.Create(PrimaryDatabases.ConnectionString(wrong));
        var error = await Assert.ThrowsAsync<PostgresException>(async () => await PostgresPairFixture.ScalarAsync<int>(refused, "SELECT 1"));
        Assert.Equal(PostgresErrorCodes.InvalidPassword, error.SqlState);
    }

    private void Start(string data, int port)
    {
        var sockets = Path.GetDirectoryName(data)!;
        LocalPostgres.Pg("pg_ctl", ["-D", data, "-l", data + ".log", "-w", "-t", "60",
            "-o", $"-c port={port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={sockets} -c shared_buffers=16MB", "start"]);
        started.Add(data);
    }

    /// <summary>Runs the pod's init container script as postgres with the pod's env (secrets resolved, paths moved to the test dir).</summary>
    private static void RunInit(V1Pod pod, V1Secret secret, string pgdata, int port, string? primaryHost)
    {
        var init = Assert.Single(pod.Spec!.InitContainers!);
        var env = new Dictionary<string, string> { ["PATH"] = LocalPostgres.BinDir + ":/usr/bin:/bin" };
        foreach (var e in init.Env!)
        {
            // Kubernetes' $(VAR) expansion: the builder escapes every literal $ as $$.
            env[e.Name] = e.Value?.Replace("$$", "$", StringComparison.Ordinal) ?? SecretBuilder.Read(secret, e.ValueFrom!.SecretKeyRef!.Key)!;
        }

        Assert.Equal(InstancePodBuilder.PgData, env["PGDATA"]);
        env["PGDATA"] = pgdata;
        env["PGPORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (primaryHost is not null)
        {
            Assert.Equal("scripts-rw", env["PRIMARY_HOST"]);
            env["PRIMARY_HOST"] = primaryHost;
        }

        Assert.Equal(["sh", "-c"], init.Command!.Take(2));
        LocalPostgres.Run("/bin/sh", ["-c", init.Command![2]], asPostgres: true, env);
    }
}
