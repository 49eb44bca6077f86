using Npgsql;
using PgReplica.Entities.V1Alpha1;

namespace PgReplica.EndToEnd.Tests;

[Collection(SandboxCollection.Name)]
public sealed class ReplicationEndToEndTests(SandboxFixture sandbox, Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Ns = "default";

    [Fact]
    public async Task Two_standbys_stream_from_their_slots_and_serve_reads_only()
    {
        const string name = "alpha";
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await sandbox.Kubectl.ApplyAsync(SandboxFixture.ClusterYaml(Ns, name, 2));

        var ready = await SandboxFixture.EventuallyAsync(
            () => sandbox.ClusterAsync(Ns, name),
            c => c?.Status is { Phase: Phases.Ready, ReadyReplicas: 2 },
            c => $"phase {c?.Status?.Phase}, ready {c?.Status?.ReadyReplicas}, standbys {string.Join(",", c?.Status?.Standbys?.Select(s => $"{s.Name}:{s.State}") ?? [])}",
            seconds: 240);
        output.WriteLine($"apply to Ready with 2 streaming standbys: {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(["alpha-2", "alpha-3"], ready!.Status!.Standbys!.Select(s => s.Name));

        await using var primary = await sandbox.ConnectAsync(Ns, name, "alpha-1");
        Assert.Equal(2L, await ScalarAsync<long>(primary, "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'"));
        Assert.Equal(2L, await ScalarAsync<long>(primary, "SELECT count(*) FROM pg_replication_slots WHERE active AND slot_name IN ('alpha_2', 'alpha_3')"));
        Assert.Equal(
            "alpha-2,alpha-3",
            await ScalarAsync<string>(primary, "SELECT string_agg(application_name, ',' ORDER BY application_name) FROM pg_stat_replication"));

        await ExecuteAsync(primary, "CREATE TABLE e2e (id int PRIMARY KEY, note text); INSERT INTO e2e SELECT g, md5(g::text) FROM generate_series(1, 10000) g");

        foreach (var standbyPod in new[] { "alpha-2", "alpha-3" })
        {
            await using var standby = await sandbox.ConnectAsync(Ns, name, standbyPod);
            await SandboxFixture.EventuallyAsync(
                async () => await ScalarAsync<long>(standby, "SELECT count(*) FROM e2e"),
                n => n == 10000,
                n => $"{standbyPod} has {n} rows",
                seconds: 60);
            var error = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(standby, "INSERT INTO e2e VALUES (10001, 'x')"));
            Assert.Equal(PostgresErrorCodes.ReadOnlySqlTransaction, error.SqlState);
        }

        // The status shows every standby's lag, back to zero once the insert is replayed.
        var caughtUp = await SandboxFixture.EventuallyAsync(
            () => sandbox.ClusterAsync(Ns, name),
            c => c?.Status?.Standbys is { Count: 2 } s && s.All(x => x.ReplayLagBytes == 0 && x.State == StandbyStates.Streaming) && c.Status.MaxReplayLagBytes == 0,
            c => string.Join(", ", c?.Status?.Standbys?.Select(s => $"{s.Name} lag {s.ReplayLagBytes}") ?? []),
            seconds: 60);
        Assert.All(caughtUp!.Status!.Standbys!, s => Assert.True(s.SlotActive));
        Assert.NotNull(caughtUp.Status.Primary!.CurrentLsn);

        await DeleteAndWaitAsync(name);
    }

    internal async Task DeleteAndWaitAsync(string name)
    {
        await sandbox.Kubectl.RunAsync("delete", "postgresreplicaset", name, "-n", Ns, "--wait=true", "--timeout=120s");
        await SandboxFixture.EventuallyAsync(
            () => sandbox.PodsAsync(Ns, name),
            pods => pods.Count == 0,
            pods => string.Join(",", pods.Select(p => p.Metadata.Name)),
            seconds: 120);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource source, string sql)
    {
        await using var command = source.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task ExecuteAsync(NpgsqlDataSource source, string sql)
    {
        await using var command = source.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }
}
