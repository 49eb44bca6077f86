using System.Text;
using PgReplica.Sandbox.Node;
using PgReplica.Sandbox.Store;

namespace PgReplica.Sandbox.Tests.Node;

/// <summary>runAsUser, runAsGroup, fsGroup and supplementalGroups decide who a container is, as on a cluster.</summary>
public class ContainerIdentityTests
{
    private const string Claim = """{"metadata":{"name":"who-data"},"spec":{"resources":{"requests":{"storage":"64Mi"}}}}""";

    [Fact]
    public async Task ContainersRunAsTheUidTheSpecAsksForWithFsGroupAmongTheirGroups()
    {
        await using var env = await NodeEnvironment.StartAsync(podOctet: 51);
        env.Create(ResourceType.PersistentVolumeClaims, Claim);
        env.CreatePod("""
            {"metadata":{"name":"who"},
             "spec":{"terminationGracePeriodSeconds":1,
               "securityContext":{"runAsUser":999,"fsGroup":1234,"supplementalGroups":[2345]},
               "volumes":[{"name":"data","persistentVolumeClaim":{"claimName":"who-data"}}],
               "containers":[
                 {"name":"debian","image":"postgres:17","command":["sh","-c","umask 077; echo x > /data/file; exec sleep 600"],
                  "volumeMounts":[{"name":"data","mountPath":"/data"}]},
                 {"name":"alpine","image":"postgres:16-alpine","command":["sleep","600"],"securityContext":{"runAsUser":70}},
                 {"name":"other","image":"postgres:17","command":["sleep","600"],"securityContext":{"runAsUser":1000,"runAsGroup":3000}}]}}
            """);
        await env.WaitForPodAsync("who", NodeEnvironment.IsReady);

        // The Debian image's postgres is 999:999; fsGroup and supplementalGroups come on top of the primary group.
        Assert.Equal("uid=999(postgres) gid=999(postgres) groups=999(postgres),1234,2345\n/var/lib/postgresql\n",
            await ExecAsync(env, "debian", ["sh", "-c", "id; echo $HOME"]));
        // The Alpine image's postgres is 70:70.
        Assert.Equal("uid=70(postgres) gid=70(postgres) groups=70(postgres),1234,2345\n", await ExecAsync(env, "alpine", ["id"]));
        // A uid the image does not know gets an entry of its own (as for an arbitrary uid on OpenShift); runAsGroup is its gid.
        Assert.Equal("1000 uid=1000(1000) gid=3000 groups=3000,1234,2345\n/\n", await ExecAsync(env, "other", ["sh", "-c", "echo $(id -un) $(id); echo $HOME"]));

        // On the host the file belongs to the numeric uid and, through the setgid volume root, to fsGroup.
        var file = Path.Combine(env.Root, "volumes", "default", "who-data", "file");
        await NodeEnvironment.WaitUntilAsync(() => File.Exists(file), "the container to write its file");
        Assert.Equal((999L, 1234L), FileOwnership.Get(file));
    }

    [Fact]
    public async Task WithoutRunAsUserTheContainerIsRootAndPostgresRefusesToRun()
    {
        await using var env = await NodeEnvironment.StartAsync(podOctet: 52);
        env.CreatePod("""
            {"metadata":{"name":"rooted"},
             "spec":{"restartPolicy":"Never","terminationGracePeriodSeconds":1,
               "initContainers":[{"name":"whoami","image":"postgres:17","command":["sh","-c","id -u; id -un"]}],
               "containers":[{"name":"postgres","image":"postgres:17","command":["postgres","-D","/tmp"]}]}}
            """);
        var pod = await env.WaitForPodAsync("rooted", p => p["status"]?["phase"]?.ToString() == "Failed");

        Assert.Equal("0\nroot\n", File.ReadAllText(env.Agent.LogPath("default", "rooted", "whoami")!));
        Assert.Equal(1, (int)NodeEnvironment.ContainerStatus(pod, "postgres")!["state"]!["terminated"]!["exitCode"]!);
        Assert.Contains("\"root\" execution of the PostgreSQL server is not permitted", File.ReadAllText(env.Agent.LogPath("default", "rooted", "postgres")!), StringComparison.Ordinal);
    }

    private static async Task<string> ExecAsync(NodeEnvironment env, string container, IReadOnlyList<string> command)
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var code = await env.Agent.ExecAsync(new ExecRequest("default", "who", container, command, null, stdout, stderr, false), CancellationToken.None);
        Assert.True(code == 0, $"exit {code}: {Encoding.UTF8.GetString(stderr.ToArray())}");
        return Encoding.UTF8.GetString(stdout.ToArray());
    }
}
