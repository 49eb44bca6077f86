using System.Text;
using PgReplica.Sandbox.Node;
using PgReplica.Sandbox.Store;

namespace PgReplica.Sandbox.Tests.Node;

public class ClaimVolumeTests
{
    private const string Claim = """{"metadata":{"name":"small"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"96Mi"}}}}""";

    private const string Pod = """
    {"metadata":{"name":"filler"},
     "spec":{
       "terminationGracePeriodSeconds":10,
       "securityContext":{"runAsUser":999,"runAsGroup":999,"fsGroup":999,"fsGroupChangePolicy":"OnRootMismatch"},
       "volumes":[{"name":"data","persistentVolumeClaim":{"claimName":"small"}}],
       "initContainers":[{"name":"initdb","image":"postgres",
          "command":["sh","-c","[ -s \"$PGDATA/PG_VERSION\" ] || initdb -D \"$PGDATA\" -U postgres --auth=trust --no-sync"],
          "volumeMounts":[{"name":"data","mountPath":"/var/lib/postgresql"}]}],
       "containers":[{"name":"postgres","image":"postgres","volumeMounts":[{"name":"data","mountPath":"/var/lib/postgresql"}],
          "readinessProbe":{"exec":{"command":["pg_isready","-q"]},"periodSeconds":1}}]}}
    """;

    [Theory]
    [InlineData("1Gi", 1L << 30)]
    [InlineData("96Mi", 96L << 20)]
    [InlineData("500M", 500_000_000)]
    [InlineData("1e9", 1_000_000_000)]
    [InlineData("1073741824", 1L << 30)]
    [InlineData("1.5Gi", 3L << 29)]
    public void StorageQuantitiesReadAsKubernetesWritesThem(string quantity, long bytes) =>
        Assert.Equal(bytes, StorageQuantity.Bytes(quantity));

    [Fact]
    public async Task PostgresFillingItsClaimFailsWithNoSpaceLeftAndDeletingTheClaimFreesTheImage()
    {
        await using var env = await NodeEnvironment.StartAsync(podOctet: 29);
        env.Create(ResourceType.PersistentVolumeClaims, Claim);
        env.CreatePod(Pod);
        await env.WaitForPodAsync("filler", NodeEnvironment.IsReady);
        var image = Path.Combine(env.Root, "volumes", "default", "small.img");
        Assert.Equal(96L << 20, new FileInfo(image).Length);
        // Its loop device does direct I/O (no second page cache for the image file).
        var loop = Assert.Single(NodeEnvironment.LoopDevicesOf(env.Root));
        Assert.Equal("1", File.ReadAllText(Path.Combine(Path.GetDirectoryName(loop)!, "dio")).Trim());

        // 200 MB of rows into a 96 MiB volume: postgres stops with the disk-full error a cluster's volume gives.
        var (code, output) = await PsqlAsync(env, "create table t (v text); insert into t select repeat(md5(i::text), 32) from generate_series(1, 200000) i;");
        Assert.NotEqual(0, code);
        Assert.Contains("No space left on device", output, StringComparison.Ordinal);

        // Deleting the pod, then the claim, unmounts the volume and deletes its image (the reclaim policy Delete).
        var pod = env.Pod("filler")!;
        pod["metadata"]!["deletionTimestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ");
        env.Store.Replace(ResourceType.Pods, "default", pod);
        await NodeEnvironment.WaitUntilAsync(() => env.Pod("filler") is null, "pod removal");
        env.Store.Remove(ResourceType.PersistentVolumeClaims, "default", "small");
        await NodeEnvironment.WaitUntilAsync(() => !File.Exists(image), "the image deleted");
        Assert.False(ClaimVolume.IsMounted(Path.Combine(env.Root, "volumes", "default", "small")));
        Assert.Empty(NodeEnvironment.LoopDevicesOf(env.Root));
    }

    private static async Task<(int Code, string Output)> PsqlAsync(NodeEnvironment env, string sql)
    {
        // The exec probe passes before postgres takes queries at times ("the database system is starting up"): retry that.
        for (var attempt = 0; ; attempt++)
        {
            var output = new MemoryStream();
            var code = await env.Agent.ExecAsync(new ExecRequest("default", "filler", "postgres",
                ["psql", "-v", "ON_ERROR_STOP=1", "-U", "postgres", "-c", sql], null, output, output, false), CancellationToken.None);
            var text = Encoding.UTF8.GetString(output.ToArray());
            if (!text.Contains("starting up", StringComparison.Ordinal) || attempt == 30)
            {
                return (code, text);
            }

            await Task.Delay(500);
        }
    }
}
