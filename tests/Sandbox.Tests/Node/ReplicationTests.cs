using System.Net;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using PgReplica.Sandbox.Store;

namespace PgReplica.Sandbox.Tests.Node;

public class ReplicationTests
{
    // The primary's init container makes a cluster with a replication user whose password comes from a Secret;
    // the test itself connects as postgres with trust (host all all … trust is fine for a sandboxed test).
    private const string PrimaryInit = """
        set -e
        [ -s "$PGDATA/PG_VERSION" ] && exit 0
        initdb -D "$PGDATA" -U postgres --auth-local=trust --auth-host=scram-sha-256
        { printf 'host replication replicator 0.0.0.0/0 scram-sha-256\nhost all postgres 0.0.0.0/0 trust\n'; cat "$PGDATA/pg_hba.conf"; } > "$PGDATA/hba.new"
        mv "$PGDATA/hba.new" "$PGDATA/pg_hba.conf"
        pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start
        psql -v ON_ERROR_STOP=1 -U postgres <<SQL
        CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD '$REPLICATION_PASSWORD';
        SQL
        pg_ctl -D "$PGDATA" -m fast -w stop
        """;

    private const string StandbyInit = """
        set -e
        [ -s "$PGDATA/PG_VERSION" ] && exit 0
        pg_basebackup -h db-rw -U replicator -D "$PGDATA" -X stream -R
        """;

    [Fact]
    public async Task StandbyClonedThroughTheServiceIsReadOnlyAndReceivesRows()
    {
        await using var env = await NodeEnvironment.StartAsync(podOctet: 12, serviceOctet: 42);
        await StartPrimaryAndStandbyAsync(env);
        var rwIp = env.Store.Get(ResourceType.Services, "default", "db-rw")!["spec"]!["clusterIP"]!.ToString();
        var roIp = env.Store.Get(ResourceType.Services, "default", "db-ro")!["spec"]!["clusterIP"]!.ToString();
        Assert.StartsWith("127.42.", rwIp, StringComparison.Ordinal);
        Assert.NotEqual(rwIp, roIp);
        await NodeEnvironment.WaitUntilAsync(() => Endpoint(env, "db-ro") is not null, "db-ro endpoints");
        Assert.Equal(env.Pod("db-2")!["status"]!["podIP"]!.ToString(), Endpoint(env, "db-ro"));

        await using (var primary = await OpenAsync(rwIp))
        {
            await using var cmd = new NpgsqlCommand("CREATE TABLE t(v int); INSERT INTO t VALUES (1),(2),(3); SELECT pg_is_in_recovery()", primary);
            Assert.False((bool)(await cmd.ExecuteScalarAsync())!);
        }

        await using var standby = await OpenAsync(roIp);
        await using (var cmd = new NpgsqlCommand("SELECT pg_is_in_recovery()", standby))
        {
            Assert.True((bool)(await cmd.ExecuteScalarAsync())!);
        }

        var error = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var write = new NpgsqlCommand("CREATE TABLE nope(v int)", standby);
            await write.ExecuteNonQueryAsync();
        });
        Assert.Equal("25006", error.SqlState); // read_only_sql_transaction

        long rows = 0;
        for (var i = 0; i < 200 && rows != 3; i++)
        {
            await using var count = new NpgsqlCommand("SELECT count(*) FROM t", standby);
            try
            {
                rows = (long)(await count.ExecuteScalarAsync())!;
            }
            catch (PostgresException e) when (e.SqlState == "42P01")
            {
                await Task.Delay(100); // the table has not been replayed yet
            }
        }

        Assert.Equal(3, rows);
    }

    [Fact]
    public async Task FaultsCutFreezeAndKillOnlyWhatTheyNameUntilHealedOrThawed()
    {
        await using var env = await NodeEnvironment.StartAsync(podOctet: 28, serviceOctet: 48);
        await StartPrimaryAndStandbyAsync(env);
        var faults = env.Agent.Faults!;
        var primaryIp = env.Pod("db-1")!["status"]!["podIP"]!.ToString();
        var standbyIp = env.Pod("db-2")!["status"]!["podIP"]!.ToString();
        await using (var setup = await OpenAsync(primaryIp))
        {
            await using var cmd = new NpgsqlCommand("CREATE TABLE t(v int)", setup);
            await cmd.ExecuteNonQueryAsync();
        }

        // The primary cut off from the operator: the host reaches it neither by pod IP nor through its Service,
        // while the standby's WAL stream still flows and the node's probes keep it Ready.
        await faults.PartitionAsync("default", "db-1", null);
        Assert.Equal([new SandboxFault("partition", "default", "db-1", "operator")], faults.List());
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => OpenAsync(primaryIp, timeout: 3));
        var rwIp = env.Store.Get(ResourceType.Services, "default", "db-rw")!["spec"]!["clusterIP"]!.ToString();
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => OpenAsync(rwIp, timeout: 3));
        Assert.Equal(0, (await ExecAsync(env, "db-1", "psql -U postgres -c 'INSERT INTO t VALUES (1)'")).Code);
        await using (var standby = await OpenAsync(standbyIp))
        {
            await WaitForRowsAsync(standby, 1);
        }

        Assert.True(NodeEnvironment.IsReady(env.Pod("db-1")!));
        await faults.HealAsync("default", "db-1");
        Assert.Empty(faults.List());
        await (await OpenAsync(primaryIp)).DisposeAsync();

        // Two pods cut off from each other: a new connection from the standby to the primary's Service hangs until
        // its timeout, while the host still reaches both.
        await faults.PartitionAsync("default", "db-2", "db-1");
        var cut = await ExecAsync(env, "db-2", "PGCONNECT_TIMEOUT=2 psql -h db-rw -U postgres -c 'SELECT 1'");
        Assert.NotEqual(0, cut.Code);
        Assert.Contains("timeout expired", cut.Output, StringComparison.Ordinal);
        await (await OpenAsync(standbyIp)).DisposeAsync();
        await (await OpenAsync(primaryIp)).DisposeAsync();
        await faults.HealAsync("default", null);
        Assert.Equal(0, (await ExecAsync(env, "db-2", "PGCONNECT_TIMEOUT=10 psql -h db-rw -U postgres -c 'SELECT 1'")).Code);

        // A frozen standby accepts TCP connections in the kernel but answers nothing until thawed.
        await faults.FreezeAsync("default", "db-2", null);
        Assert.Equal([new SandboxFault("frozen", "default", "db-2", Container: "postgres")], faults.List());
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => OpenAsync(standbyIp, timeout: 3));
        await faults.ThawAsync("default", "db-2", null);
        await (await OpenAsync(standbyIp)).DisposeAsync();

        // A killed main process: the container restarts under restartPolicy Always and the pod is Ready again.
        await faults.KillAsync("default", "db-1", null);
        var restarted = await env.WaitForPodAsync("db-1", p => NodeEnvironment.IsReady(p)
            && (int)NodeEnvironment.ContainerStatus(p, "postgres")!["restartCount"]! == 1, 120);
        Assert.Equal(137, (int)NodeEnvironment.ContainerStatus(restarted, "postgres")!["lastState"]!["terminated"]!["exitCode"]!);
        var missing = await Assert.ThrowsAsync<SandboxFaultException>(() => faults.FreezeAsync("default", "nope", null));
        Assert.Equal(404, missing.Code);
    }

    private static async Task StartPrimaryAndStandbyAsync(NodeEnvironment env)
    {
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        env.Create(ResourceType.Secrets, $$$$$"""{"metadata":{"name":"db-replication"},"type":"Opaque","data":{"password":"{{{{{Convert.ToBase64String(Encoding.UTF8.GetBytes(password))}}}}}"}}""");
        foreach (var claim in new[] { "data-db-1", "data-db-2" })
        {
            env.Create(ResourceType.PersistentVolumeClaims, $$$$$"""{"metadata":{"name":"{{{{{claim}}}}}"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}""");
        }

        env.Create(ResourceType.Services, """{"metadata":{"name":"db-rw"},"spec":{"selector":{"role":"primary"},"ports":[{"name":"pg","port":5432,"targetPort":"pg"}]}}""");
        env.Create(ResourceType.Services, """{"metadata":{"name":"db-ro"},"spec":{"selector":{"role":"standby"},"ports":[{"port":5432,"targetPort":5432}]}}""");
        env.CreatePod(Pod("db-1", "primary", PrimaryInit, "data-db-1", """{"tcpSocket":{"port":"pg"},"periodSeconds":1}"""));
        await env.WaitForPodAsync("db-1", NodeEnvironment.IsReady, 120);
        env.CreatePod(Pod("db-2", "standby", StandbyInit, "data-db-2", """{"exec":{"command":["pg_isready","-q"]},"periodSeconds":1}"""));
        await env.WaitForPodAsync("db-2", NodeEnvironment.IsReady, 120);
    }

    private static async Task WaitForRowsAsync(NpgsqlConnection standby, long expected)
    {
        long rows = -1;
        for (var i = 0; i < 300 && rows != expected; i++)
        {
            await using var count = new NpgsqlCommand("SELECT count(*) FROM t", standby);
            try
            {
                rows = (long)(await count.ExecuteScalarAsync())!;
            }
            catch (PostgresException e) when (e.SqlState == "42P01")
            {
                // The table has not been replayed yet.
            }

            if (rows != expected)
            {
                await Task.Delay(100);
            }
        }

        Assert.Equal(expected, rows);
    }

    private static async Task<(int Code, string Output)> ExecAsync(NodeEnvironment env, string pod, string script)
    {
        var output = new MemoryStream();
        var code = await env.Agent.ExecAsync(new ExecRequest("default", pod, "postgres", ["sh", "-c", script], null, output, output, false), CancellationToken.None);
        return (code, Encoding.UTF8.GetString(output.ToArray()));
    }

    private static string? Endpoint(NodeEnvironment env, string service) =>
        env.Store.Get(ResourceType.Endpoints, "default", service)?["subsets"]?[0]?["addresses"]?[0]?["ip"]?.ToString();

    private static async Task<NpgsqlConnection> OpenAsync(string host, int timeout = 10)
    {
        var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder
        {
            Host = host,
            Port = 5432,
            Username = "postgres",
            Database = "postgres",
            Pooling = false,
            Timeout = timeout,
        }.ConnectionString);
        await conn.OpenAsync();
        return conn;
    }

    private static string Pod(string name, string role, string init, string claim, string readiness) => $$$$$"""
        {"metadata":{"name":"{{{{{name}}}}}","labels":{"role":"{{{{{role}}}}}"}},
         "spec":{
           "terminationGracePeriodSeconds":10,
           "securityContext":{"runAsUser":999,"runAsGroup":999,"fsGroup":999,"fsGroupChangePolicy":"OnRootMismatch"},
           "volumes":[{"name":"data","persistentVolumeClaim":{"claimName":"{{{{{claim}}}}}"}}],
           "initContainers":[{"name":"init","image":"postgres:17","command":["sh","-c",{{{{{System.Text.Json.JsonSerializer.Serialize(init)}}}}}],
              "env":[{"name":"REPLICATION_PASSWORD","valueFrom":{"secretKeyRef":{"name":"db-replication","key":"password"}}},
                     {"name":"PGPASSWORD","valueFrom":{"secretKeyRef":{"name":"db-replication","key":"password"}}}],
              "volumeMounts":[{"name":"data","mountPath":"/var/lib/postgresql"}]}],
           "containers":[{"name":"postgres","image":"postgres:17",
              "args":["-c","hot_standby=on"],
              "ports":[{"name":"pg","containerPort":5432}],
              "volumeMounts":[{"name":"data","mountPath":"/var/lib/postgresql"}],
              "readinessProbe":{{{{{readiness}}}}}}]}}
        """;
}
