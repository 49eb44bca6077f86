using System.Diagnostics;
using PgReplica.Sandbox.Store;

namespace PgReplica.Sandbox.Tests.Node;

public class PostgresPodTests
{
    private const string Claim = """{"metadata":{"name":"data-db"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}""";

    /// <summary>initdb on an empty PVC in an init container, then postgres; Ready through a tcpSocket probe.</summary>
    private const string DbPod = """
    {"metadata":{"name":"db","labels":{"app":"db"}},
     "spec":{
       "terminationGracePeriodSeconds":10,
       "securityContext":{"runAsUser":999,"runAsGroup":999,"fsGroup":999,"fsGroupChangePolicy":"OnRootMismatch"},
       "volumes":[{"name":"data","persistentVolumeClaim":{"claimName":"data-db"}}],
       "initContainers":[{"name":"initdb","image":"postgres:17",
          "command":["sh","-c","[ -s \"$PGDATA/PG_VERSION\" ] || initdb -D \"$PGDATA\" -U postgres --auth=trust"],
          "volumeMounts":[{"name":"data","mountPath":"/var/lib/postgresql"}]}],
       "containers":[{"name":"postgres","image":"postgres:17",
          "ports":[{"name":"pg","containerPort":5432}],
          "volumeMounts":[{"name":"data","mountPath":"/var/lib/postgresql"}],
          "readinessProbe":{"tcpSocket":{"port":"pg"},"periodSeconds":1}}]}}
    """;

    [Fact]
    public async Task PostgresPodWithInitdbBecomesReadyOnItsOwnAddress()
    {
        await using var env = await NodeEnvironment.StartAsync(podOctet: 11);
        env.Create(ResourceType.PersistentVolumeClaims, Claim);
        var sw = Stopwatch.StartNew();
        env.CreatePod(DbPod);
        var pod = await env.WaitForPodAsync("db", NodeEnvironment.IsReady);
        var elapsed = sw.Elapsed;
        Console.WriteLine($"MEASURE pod creation to Ready (initdb + postgres start): {elapsed.TotalMilliseconds:F0} ms");

        Assert.Equal("sandbox", pod["spec"]!["nodeName"]!.ToString());
        Assert.Equal("Running", pod["status"]!["phase"]!.ToString());
        var podIp = pod["status"]!["podIP"]!.ToString();
        Assert.StartsWith("127.11.", podIp, StringComparison.Ordinal);
        var init = NodeEnvironment.ContainerStatus(pod, "initdb", init: true)!;
        Assert.Equal(0, (int)init["state"]!["terminated"]!["exitCode"]!);
        Assert.Equal("Completed", init["state"]!["terminated"]!["reason"]!.ToString());
        var main = NodeEnvironment.ContainerStatus(pod, "postgres")!;
        Assert.NotNull(main["state"]!["running"]);
        Assert.True((bool)main["ready"]!);
        Assert.Contains(env.Agent.PostgresVersion!, main["imageID"]!.ToString(), StringComparison.Ordinal);
        var pvc = env.Store.Get(ResourceType.PersistentVolumeClaims, "default", "data-db")!;
        Assert.Equal("Bound", pvc["status"]!["phase"]!.ToString());
        Assert.True(File.Exists(Path.Combine(env.Root, "volumes", "default", "data-db", "data", "PG_VERSION")));

        // postgres answers on the pod IP only, and through psql run by exec inside the container (unix socket).
        // A tcpSocket probe passes once the port is open, which can be a moment before postgres takes queries
        // ("the database system is starting up"), so the first exec may be refused: retry for a bounded while.
        var stdout = new MemoryStream();
        var code = -1;
        for (var attempt = 0; attempt < 30 && code != 0; attempt++)
        {
            if (attempt > 0)
            {
                await Task.Delay(500);
            }

            stdout.SetLength(0);
            code = await env.Agent.ExecAsync(new ExecRequest("default", "db", "postgres",
                ["psql", "-tAc", "select inet_server_addr()::text || ' ' || current_setting('listen_addresses')", "-h", "localhost"],
                null, stdout, null, false), CancellationToken.None);
        }

        Assert.Equal(0, code);
        Assert.Equal($"{podIp}/32 {podIp}", System.Text.Encoding.UTF8.GetString(stdout.ToArray()).Trim());
    }

    [Fact]
    public async Task RestartedNodeRunsTheStoredPodAgainOnItsKeptVolume()
    {
        var first = await NodeEnvironment.StartAsync(podOctet: 25);
        var store = first.Store;
        var marker = Path.Combine(first.Root, "volumes", "default", "data-db", "kept-marker");
        try
        {
            first.Create(ResourceType.PersistentVolumeClaims, Claim);
            first.CreatePod(DbPod);
            await first.WaitForPodAsync("db", NodeEnvironment.IsReady);
            File.WriteAllText(marker, "x");
        }
        catch
        {
            await first.DisposeAsync();
            throw;
        }

        await first.StopKeepingRootAsync();
        Assert.Empty(NodeEnvironment.ProcessesOf(first.Root));
        // Stopped: the volume is unmounted and no loop device holds its image; its data waits in the image.
        Assert.False(File.Exists(marker));
        Assert.Empty(NodeEnvironment.LoopDevicesOf(first.Root));
        var stopped = NodeEnvironment.ContainerStatus(first.Pod("db")!, "postgres")!;
        Assert.Equal(0, (int)stopped["state"]!["terminated"]!["exitCode"]!); // fast shutdown exits 0

        await using var second = await NodeEnvironment.StartAsync(podOctet: 25, root: first.Root, store: store);
        var pod = await second.WaitForPodAsync("db", p => NodeEnvironment.IsReady(p) && NodeEnvironment.ContainerStatus(p, "postgres")?["state"]?["running"] is not null);
        Assert.True(File.Exists(marker));
        Assert.Contains("database system was shut down at", File.ReadAllText(second.Agent.LogPath("default", "db", "postgres")!), StringComparison.Ordinal);
        Assert.StartsWith("127.25.", pod["status"]!["podIP"]!.ToString(), StringComparison.Ordinal);
    }
}
