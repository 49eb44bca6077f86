using Npgsql;
using PgReplica.Entities.V1Alpha1;
using PgReplica.Kube.Client;
using k8s;
using k8s.Models;

namespace PgReplica.EndToEnd.Tests;

[Collection(SandboxCollection.Name)]
public sealed class ScalingEndToEndTests(SandboxFixture sandbox, Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Ns = "default";

    [Fact]
    public async Task Kubectl_scale_2_to_3_to_1_leaves_exactly_the_wanted_pods_and_slots()
    {
        const string name = "bravo";
        await sandbox.Kubectl.ApplyAsync(SandboxFixture.ClusterYaml(Ns, name, 2));
        await WaitReadyAsync(name, 2);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await sandbox.Kubectl.RunAsync("scale", "postgresreplicaset", name, "-n", Ns, "--replicas=3");
        await WaitReadyAsync(name, 3);
        output.WriteLine($"scale 2→3 to Ready: {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(["bravo-1", "bravo-2", "bravo-3", "bravo-4"], await PodNamesAsync(name));
        Assert.Equal(["bravo_2", "bravo_3", "bravo_4"], await SlotsAsync(name));

        clock.Restart();
        await sandbox.Kubectl.RunAsync("scale", "postgresreplicaset", name, "-n", Ns, "--replicas=1");
        await WaitReadyAsync(name, 1);
        await SandboxFixture.EventuallyAsync(() => PodNamesAsync(name), p => p.Count == 2, p => string.Join(",", p));
        output.WriteLine($"scale 3→1 to Ready with the pods gone: {clock.Elapsed.TotalSeconds:0.0} s");

        Assert.Equal(["bravo-1", "bravo-2"], await PodNamesAsync(name));
        Assert.Equal(["bravo_2"], await SlotsAsync(name));
        var claims = (await sandbox.Client.ListAsync<V1PersistentVolumeClaim>(Ns, new ListOptions { LabelSelector = $"pgreplica.io/cluster={name}" })).Items;
        Assert.Equal(["bravo-1-data", "bravo-2-data"], claims.Select(c => c.Metadata.Name!).Order());
        var services = (await sandbox.Client.ListAsync<V1Service>(Ns, new ListOptions { LabelSelector = $"pgreplica.io/cluster={name}" })).Items;
        Assert.Equal(["bravo-2", "bravo-ro", "bravo-rw"], services.Select(s => s.Metadata.Name!).Order());
        var scale = await sandbox.Kubectl.RunAsync("get", "postgresreplicaset", name, "-n", Ns, "-o", "jsonpath={.status.replicas}/{.status.readyReplicas}");
        Assert.Equal("1/1", scale);

        await DeleteAsync(name);
    }

    [Fact]
    public async Task A_deleted_standby_pod_comes_back_with_its_data_and_slot_without_a_new_base_backup()
    {
        const string name = "charlie";
        await sandbox.Kubectl.ApplyAsync(SandboxFixture.ClusterYaml(Ns, name, 1));
        await WaitReadyAsync(name, 1);
        var claimUid = (await sandbox.Client.GetAsync<V1PersistentVolumeClaim>("charlie-2-data", Ns))!.Metadata.Uid;
        // A file only the old data directory has: a fresh pg_basebackup would not bring it back.
        var marker = Path.Combine(sandbox.Root, "node", "volumes", Ns, "charlie-2-data", "pgdata", "e2e-marker");
        Assert.True(Directory.Exists(Path.GetDirectoryName(marker)), "the sandbox keeps PVC data under <root>/volumes/<ns>/<claim>");
        await File.WriteAllTextAsync(marker, "same data directory");
        var oldPodUid = (await sandbox.Client.GetAsync<V1Pod>("charlie-2", Ns))!.Metadata.Uid;

        await sandbox.Kubectl.RunAsync("delete", "pod", "charlie-2", "-n", Ns, "--wait=true");
        await using (var primary = await sandbox.ConnectAsync(Ns, name, "charlie-1"))
        {
            await using var command = primary.CreateCommand("CREATE TABLE while_away AS SELECT g FROM generate_series(1, 500) g");
            await command.ExecuteNonQueryAsync();
            await using var slot = primary.CreateCommand("SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'charlie_2'");
            Assert.Equal(1L, await slot.ExecuteScalarAsync());
        }

        await SandboxFixture.EventuallyAsync(
            () => sandbox.Client.GetAsync<V1Pod>("charlie-2", Ns),
            p => p is not null && p.Metadata.Uid != oldPodUid,
            p => p?.Metadata.Uid ?? "absent");
        await WaitReadyAsync(name, 1);

        Assert.True(File.Exists(marker));
        Assert.Equal(claimUid, (await sandbox.Client.GetAsync<V1PersistentVolumeClaim>("charlie-2-data", Ns))!.Metadata.Uid);
        await using var standby = await sandbox.ConnectAsync(Ns, name, "charlie-2");
        await SandboxFixture.EventuallyAsync(
            async () =>
            {
                await using var c = standby.CreateCommand("SELECT count(*) FROM while_away");
                return (long)(await c.ExecuteScalarAsync())!;
            },
            n => n == 500,
            n => $"{n} rows");

        await DeleteAsync(name);
    }

    [Fact]
    public async Task Deleting_the_resource_leaves_nothing_behind()
    {
        const string name = "delta";
        await sandbox.Kubectl.ApplyAsync(SandboxFixture.ClusterYaml(Ns, name, 1));
        await WaitReadyAsync(name, 1);

        await DeleteAsync(name);

        var selector = new ListOptions { LabelSelector = $"pgreplica.io/cluster={name}" };
        await SandboxFixture.EventuallyAsync(
            async () => (await sandbox.Client.ListAsync<V1PersistentVolumeClaim>(Ns, selector)).Items.Count
                + (await sandbox.Client.ListAsync<V1Service>(Ns, selector)).Items.Count
                + (await sandbox.Client.ListAsync<V1Secret>(Ns, selector)).Items.Count
                + (await sandbox.Client.ListAsync<V1Pod>(Ns, selector)).Items.Count,
            n => n == 0,
            n => $"{n} objects left");
        Assert.Null(await sandbox.ClusterAsync(Ns, name));
    }

    [Fact]
    public async Task An_operator_killed_mid_scale_is_restarted_and_converges()
    {
        const string name = "echo";
        await sandbox.Kubectl.ApplyAsync(SandboxFixture.ClusterYaml(Ns, name, 1));
        await WaitReadyAsync(name, 1);

        await sandbox.Kubectl.RunAsync("scale", "postgresreplicaset", name, "-n", Ns, "--replicas=3");
        await SandboxFixture.EventuallyAsync(() => PodNamesAsync(name), p => p.Count >= 3, p => string.Join(",", p), seconds: 60);
        await sandbox.StopOperatorAsync();
        sandbox.StartOperator();
        await WaitReadyAsync(name, 3);
        Assert.Equal(["echo-1", "echo-2", "echo-3", "echo-4"], await PodNamesAsync(name));
        Assert.Equal(["echo_2", "echo_3", "echo_4"], await SlotsAsync(name));

        await sandbox.Kubectl.RunAsync("scale", "postgresreplicaset", name, "-n", Ns, "--replicas=1");
        await SandboxFixture.EventuallyAsync(() => PodNamesAsync(name), p => p.Count <= 3, p => string.Join(",", p), seconds: 60);
        await sandbox.StopOperatorAsync();
        sandbox.StartOperator();
        await WaitReadyAsync(name, 1);
        await SandboxFixture.EventuallyAsync(() => SlotsAsync(name), s => s.Count == 1, s => string.Join(",", s));
        Assert.Equal(["echo-1", "echo-2"], await PodNamesAsync(name));
        Assert.Equal(["echo_2"], await SlotsAsync(name));

        await DeleteAsync(name);
    }

    [Fact]
    public async Task Changed_settings_reach_every_instance_by_rolling_restarts_on_the_same_data()
    {
        const string name = "foxtrot";
        await sandbox.Kubectl.ApplyAsync(SandboxFixture.ClusterYaml(Ns, name, 1));
        await WaitReadyAsync(name, 1);
        await using (var primary = await sandbox.ConnectAsync(Ns, name, "foxtrot-1"))
        {
            await using var c = primary.CreateCommand("CREATE TABLE kept AS SELECT 1 AS one");
            await c.ExecuteNonQueryAsync();
        }

        await sandbox.Kubectl.ApplyAsync(SandboxFixture.ClusterYaml(Ns, name, 1) + "\n      work_mem: 12MB\n");

        foreach (var pod in new[] { "foxtrot-1", "foxtrot-2" })
        {
            await SandboxFixture.EventuallyAsync(
                async () =>
                {
                    await using var db = await sandbox.ConnectAsync(Ns, name, pod);
                    await using var c = db.CreateCommand("SELECT current_setting('work_mem') || ' ' || (SELECT count(*) FROM kept)");
                    return (string)(await c.ExecuteScalarAsync())!;
                },
                v => v == "12MB 1",
                v => $"{pod}: {v}",
                seconds: 240);
        }

        await WaitReadyAsync(name, 1);
        await DeleteAsync(name);
    }

    private async Task WaitReadyAsync(string name, int standbys) =>
        await SandboxFixture.EventuallyAsync(
            () => sandbox.ClusterAsync(Ns, name),
            c => c?.Status is { Phase: Phases.Ready } s && s.ReadyReplicas == standbys && s.Standbys?.Count == standbys && s.ObservedGeneration == c.Metadata.Generation,
            c => $"phase {c?.Status?.Phase}, ready {c?.Status?.ReadyReplicas}, standbys {string.Join(",", c?.Status?.Standbys?.Select(s => $"{s.Name}:{s.State}") ?? [])}",
            seconds: 240);

    private async Task<List<string>> PodNamesAsync(string name) =>
        (await sandbox.PodsAsync(Ns, name)).Select(p => p.Metadata.Name!).Order(StringComparer.Ordinal).ToList();

    private async Task<List<string>> SlotsAsync(string name)
    {
        await using var primary = await sandbox.ConnectAsync(Ns, name, name + "-1");
        await using var command = primary.CreateCommand("SELECT slot_name::text FROM pg_replication_slots ORDER BY 1");
        await using var reader = await command.ExecuteReaderAsync();
        var slots = new List<string>();
        while (await reader.ReadAsync()) slots.Add(reader.GetString(0));
        return slots;
    }

    private async Task DeleteAsync(string name)
    {
        await sandbox.Kubectl.RunAsync("delete", "postgresreplicaset", name, "-n", Ns, "--wait=true", "--timeout=120s");
        await SandboxFixture.EventuallyAsync(() => sandbox.PodsAsync(Ns, name), p => p.Count == 0, p => string.Join(",", p.Select(x => x.Metadata.Name)), seconds: 120);
    }
}
