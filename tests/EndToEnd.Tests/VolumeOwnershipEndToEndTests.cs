using System.Diagnostics;
using Npgsql;
using PgReplica.Entities.V1Alpha1;

namespace PgReplica.EndToEnd.Tests;

/// <summary>
/// The sandbox applies fsGroup to claim volumes as the kubelet does on block storage (group, g+rw, setgid
/// directories at each mount): a cluster whose pods are all re-created must still come back.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class VolumeOwnershipEndToEndTests(SandboxFixture sandbox, Xunit.Abstractions.ITestOutputHelper output)
{
    private const string Ns = "default";

    [Fact]
    public async Task A_config_rollout_recreating_every_pod_over_volumes_that_get_fsGroup_again_returns_to_Ready_with_the_rows()
    {
        const string name = "delta";
        await sandbox.Kubectl.ApplyAsync(SandboxFixture.ClusterYaml(Ns, name, 1));
        await WaitReadyAsync(name, "first start");
        await using (var primary = await sandbox.ConnectAsync(Ns, name, "delta-1"))
        {
            await using var create = primary.CreateCommand("CREATE TABLE kept AS SELECT g FROM generate_series(1, 1000) g");
            await create.ExecuteNonQueryAsync();
        }

        var oldPods = (await sandbox.PodsAsync(Ns, name)).ToDictionary(p => p.Metadata.Name!, p => p.Metadata.Uid);
        Assert.Equal(["delta-1", "delta-2"], oldPods.Keys.Order());
        // OnRootMismatch spares the walk only while each volume's root keeps its group and bits; a root that lost them
        // (a restored snapshot, a copy by a tool that does not keep modes) is walked at the next mount as with Always.
        foreach (var claim in new[] { "delta-1-data", "delta-2-data" })
        {
            var root = Path.Combine(sandbox.Root, "node", "volumes", Ns, claim);
            await RunAsync("chgrp", "root", root);
            await RunAsync("chmod", "g-ws", root);
        }

        // A changed setting rolls out by re-creating every pod, standby first, on its volume.
        await sandbox.Kubectl.RunAsync("patch", "postgresreplicaset", name, "-n", Ns, "--type=merge",
            "-p", """{"spec":{"postgresql":{"parameters":{"max_connections":"40"}}}}""");
        try
        {
            await SandboxFixture.EventuallyAsync(
                () => sandbox.PodsAsync(Ns, name),
                pods => pods.Count == 2 && pods.All(p => oldPods.GetValueOrDefault(p.Metadata.Name!) is { } old && old != p.Metadata.Uid),
                pods => string.Join(", ", pods.Select(p => $"{p.Metadata.Name} {(oldPods.GetValueOrDefault(p.Metadata.Name!) == p.Metadata.Uid ? "old" : "new")}")),
                seconds: 240);
        }
        catch (TimeoutException e)
        {
            // The re-created standby's own words say why the rollout stopped.
            var states = await sandbox.Kubectl.RunAsync("get", "pod", "delta-2", "-n", Ns, "-o", "jsonpath={.status.initContainerStatuses}{.status.containerStatuses}");
            // The last run's log, from the node (kubectl logs refuses a container waiting in back-off here).
            var log = Directory.EnumerateFiles(Path.Combine(sandbox.Root, "node", "pods"), "*.log", SearchOption.AllDirectories)
                .Where(f => f.Contains($"{Ns}_delta-2_", StringComparison.Ordinal) && Path.GetFileName(Path.GetDirectoryName(f)) == "postgres")
                .OrderByDescending(File.GetLastWriteTimeUtc).Select(File.ReadAllText).FirstOrDefault();
            throw new TimeoutException($"{e.Message}\ndelta-2: {states}\npostgres log:\n{log}", e);
        }

        await WaitReadyAsync(name, "the rollout");

        // The walk did happen: files in the data directory got the group's write bit.
        var pgVersion = Path.Combine(sandbox.Root, "node", "volumes", Ns, "delta-2-data", "pgdata", "PG_VERSION");
        Assert.Equal("660", (await RunAsync("stat", "-c", "%a", pgVersion)).Trim());
        foreach (var pod in new[] { "delta-1", "delta-2" })
        {
            await using var db = await sandbox.ConnectAsync(Ns, name, pod);
            await SandboxFixture.EventuallyAsync(
                async () =>
                {
                    await using var c = db.CreateCommand("SELECT count(*)::text || ' ' || current_setting('max_connections') FROM kept");
                    return (string)(await c.ExecuteScalarAsync())!;
                },
                v => v == "1000 40",
                v => $"{pod}: {v}",
                seconds: 60);
        }

        await sandbox.Kubectl.RunAsync("delete", "postgresreplicaset", name, "-n", Ns, "--wait=true", "--timeout=120s");
    }

    private async Task WaitReadyAsync(string name, string after)
    {
        var clock = Stopwatch.StartNew();
        await SandboxFixture.EventuallyAsync(
            () => sandbox.ClusterAsync(Ns, name),
            c => c?.Status is { Phase: Phases.Ready, ReadyReplicas: 1 } s && s.Standbys is [{ State: StandbyStates.Streaming }],
            c => $"phase {c?.Status?.Phase}, ready {c?.Status?.ReadyReplicas}, conditions {string.Join("; ", c?.Status?.Conditions?.Select(x => $"{x.Type}={x.Status} {x.Message}") ?? [])}",
            seconds: 240);
        output.WriteLine($"Ready after {after}: {clock.Elapsed.TotalSeconds:0.0} s");
    }

    private static async Task<string> RunAsync(string file, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = await p.StandardOutput.ReadToEndAsync();
        var stderr = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, $"{file} {string.Join(' ', args)}: {stderr}");
        return stdout;
    }
}
