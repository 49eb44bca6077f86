using System.Text;
using System.Text.Json.Nodes;
using PgReplica.Sandbox.Store;

namespace PgReplica.Sandbox.Tests.Node;

public class PodLifecycleTests
{
    private const string Claim = """{"metadata":{"name":"pg-data"},"spec":{"resources":{"requests":{"storage":"1Gi"}}}}""";

    private const string PostgresPod = """
    {"metadata":{"name":"pg"},
     "spec":{
       "terminationGracePeriodSeconds":20,
       "securityContext":{"runAsUser":999,"runAsGroup":999,"fsGroup":999,"fsGroupChangePolicy":"OnRootMismatch"},
       "volumes":[{"name":"data","persistentVolumeClaim":{"claimName":"pg-data"}}],
       "initContainers":[{"name":"initdb","image":"postgres","command":["initdb","-D","/var/lib/postgresql/data","--auth=trust","--no-sync"],
          "volumeMounts":[{"name":"data","mountPath":"/var/lib/postgresql"}]}],
       "containers":[{"name":"postgres","image":"postgres:16",
          "volumeMounts":[{"name":"data","mountPath":"/var/lib/postgresql"}],
          "readinessProbe":{"exec":{"command":["pg_isready","-q"]},"periodSeconds":1}}]}}
    """;

    [Fact]
    public async Task KilledPostgresIsRestartedAndDeletionStopsEveryProcess()
    {
        await using var env = await NodeEnvironment.StartAsync(podOctet: 13);
        env.Create(ResourceType.PersistentVolumeClaims, Claim);
        env.CreatePod(PostgresPod);
        var pod = await env.WaitForPodAsync("pg", NodeEnvironment.IsReady);
        var pid = ContainerPid(pod);
        Assert.Equal("postgres", Path.GetFileName(new FileInfo($"/proc/{pid}/exe").LinkTarget));

        PgReplica.Sandbox.Node.UnixSignal.Send(pid, PgReplica.Sandbox.Node.UnixSignal.Kill);
        pod = await env.WaitForPodAsync("pg", p =>
            (int?)NodeEnvironment.ContainerStatus(p, "postgres")?["restartCount"] == 1 && NodeEnvironment.IsReady(p), 90);
        var status = NodeEnvironment.ContainerStatus(pod, "postgres")!;
        Assert.Equal(137, (int)status["lastState"]!["terminated"]!["exitCode"]!);
        Assert.Equal("Error", status["lastState"]!["terminated"]!["reason"]!.ToString());
        Assert.NotEqual(pid, ContainerPid(pod));
        Assert.NotNull(env.Agent.LogPath("default", "pg", "postgres", previous: true));
        Assert.Contains("database system is ready to accept connections", File.ReadAllText(env.Agent.LogPath("default", "pg", "postgres")!), StringComparison.Ordinal);

        // The API server's graceful DELETE: deletionTimestamp set, the node stops the processes and removes the object.
        Assert.NotEmpty(NodeEnvironment.ProcessesOf(env.Root));
        var current = env.Pod("pg")!;
        current["metadata"]!["deletionTimestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ");
        current["metadata"]!["deletionGracePeriodSeconds"] = 20;
        env.Store.Replace(ResourceType.Pods, "default", current);
        await NodeEnvironment.WaitUntilAsync(() => env.Pod("pg") is null, "pod removal");
        Assert.Empty(NodeEnvironment.ProcessesOf(env.Root));
        // SIGINT made it a fast shutdown, which leaves the cluster cleanly shut down (SIGKILL would leave "in production").
        var control = RunPgControlData(Path.Combine(env.Root, "volumes", "default", "pg-data", "data"));
        Assert.Contains("Database cluster state:               shut down", control, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PodRemovedFromTheStoreAtOnceStillHasItsProcessesStopped()
    {
        await using var env = await NodeEnvironment.StartAsync(podOctet: 14);
        env.CreatePod("""{"metadata":{"name":"sleeper"},"spec":{"containers":[{"name":"c","image":"postgres","command":["sleep","600"]}]}}""");
        var pod = await env.WaitForPodAsync("sleeper", NodeEnvironment.IsReady);
        var pid = ContainerPid(pod);
        Assert.True(PgReplica.Sandbox.Node.UnixSignal.Alive(pid));
        env.Store.Remove(ResourceType.Pods, "default", "sleeper");
        await NodeEnvironment.WaitUntilAsync(() => !File.Exists($"/proc/{pid}/status") || File.ReadAllText($"/proc/{pid}/status").Contains("State:\tZ", StringComparison.Ordinal), "the sleeper to end");
        await NodeEnvironment.WaitUntilAsync(() => NodeEnvironment.ProcessesOf(env.Root).Count == 0, "no process left");
    }

    [Fact]
    public async Task PodWithFinalizersIsStoppedButLeftForItsFinalizerOwner()
    {
        await using var env = await NodeEnvironment.StartAsync(podOctet: 30);
        env.CreatePod("""{"metadata":{"name":"kept","finalizers":["example.com/keep"]},"spec":{"containers":[{"name":"c","image":"postgres","command":["sleep","600"]}]}}""");
        var pod = await env.WaitForPodAsync("kept", NodeEnvironment.IsReady);
        var pid = ContainerPid(pod);
        pod["metadata"]!["deletionTimestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ");
        pod["metadata"]!["deletionGracePeriodSeconds"] = 0;
        env.Store.Replace(ResourceType.Pods, "default", pod);
        pod = await env.WaitForPodAsync("kept", p => NodeEnvironment.ContainerStatus(p, "c")?["state"]?["terminated"] is not null);
        Assert.False(NodeEnvironment.IsReady(pod));
        Assert.Equal(143, (int)NodeEnvironment.ContainerStatus(pod, "c")!["state"]!["terminated"]!["exitCode"]!); // SIGTERM
        Assert.False(PgReplica.Sandbox.Node.UnixSignal.Alive(pid) && !File.ReadAllText($"/proc/{pid}/status").Contains("State:\tZ", StringComparison.Ordinal));
        await Task.Delay(500);
        Assert.NotNull(env.Pod("kept"));
    }

    [Fact]
    public async Task ProcessesAContainerLeftBehindEndWithThePod()
    {
        await using var env = await NodeEnvironment.StartAsync(podOctet: 27);
        // The shell dies of SIGTERM at once; its background sleep (same group) and a setsid'd sleep would linger.
        env.CreatePod("""{"metadata":{"name":"messy"},"spec":{"terminationGracePeriodSeconds":30,"containers":[{"name":"c","image":"postgres","command":["sh","-c","sleep 600 & setsid sleep 601 & wait"]}]}}""");
        await env.WaitForPodAsync("messy", NodeEnvironment.IsReady);
        await NodeEnvironment.WaitUntilAsync(() => NodeEnvironment.ProcessesOf(env.Root).Count == 3, "sh and two sleeps");
        var pod = env.Pod("messy")!;
        pod["metadata"]!["deletionTimestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ");
        pod["metadata"]!["deletionGracePeriodSeconds"] = 30;
        env.Store.Replace(ResourceType.Pods, "default", pod);
        await NodeEnvironment.WaitUntilAsync(() => env.Pod("messy") is null, "pod removal", seconds: 20);
        Assert.Empty(NodeEnvironment.ProcessesOf(env.Root));
    }

    [Fact]
    public async Task NonPostgresImageFailsWithErrImagePull()
    {
        await using var env = await NodeEnvironment.StartAsync(podOctet: 15);
        env.CreatePod("""{"metadata":{"name":"web"},"spec":{"containers":[{"name":"nginx","image":"nginx:1.27"}]}}""");
        var pod = await env.WaitForPodAsync("web", p => NodeEnvironment.ContainerStatus(p, "nginx")?["state"]?["waiting"]?["reason"]?.ToString() == "ErrImagePull");
        Assert.Contains("only PostgreSQL images", NodeEnvironment.ContainerStatus(pod, "nginx")!["state"]!["waiting"]!["message"]!.ToString(), StringComparison.Ordinal);
        Assert.Equal("Pending", pod["status"]!["phase"]!.ToString());
        Assert.False(NodeEnvironment.IsReady(pod));
        Assert.Contains(env.Store.List(ResourceType.Events, "default"), e => e["reason"]?.ToString() == "Failed" && e["involvedObject"]?["name"]?.ToString() == "web");
    }

    [Fact]
    public async Task RestartPolicyNeverEndsFailedAndOnFailureEndsSucceeded()
    {
        await using var env = await NodeEnvironment.StartAsync(podOctet: 16);
        env.CreatePod("""{"metadata":{"name":"fails"},"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"postgres","command":["sh","-c","echo bye; exit 3"]}]}}""");
        env.CreatePod("""{"metadata":{"name":"retries"},"spec":{"restartPolicy":"OnFailure","volumes":[{"name":"scratch","emptyDir":{}}],"containers":[{"name":"c","image":"postgres","command":["sh","-c","[ -e /scratch/once ] && exit 0; touch /scratch/once; exit 1"],"volumeMounts":[{"name":"scratch","mountPath":"/scratch"}]}]}}""");
        var failed = await env.WaitForPodAsync("fails", p => p["status"]?["phase"]?.ToString() == "Failed");
        var terminated = NodeEnvironment.ContainerStatus(failed, "c")!["state"]!["terminated"]!;
        Assert.Equal(3, (int)terminated["exitCode"]!);
        Assert.Equal("Error", terminated["reason"]!.ToString());
        Assert.Equal("bye\n", File.ReadAllText(env.Agent.LogPath("default", "fails", "c")!));

        var done = await env.WaitForPodAsync("retries", p => p["status"]?["phase"]?.ToString() == "Succeeded");
        var c = NodeEnvironment.ContainerStatus(done, "c")!;
        Assert.Equal(1, (int)c["restartCount"]!);
        Assert.Equal("Completed", c["state"]!["terminated"]!["reason"]!.ToString());
    }

    [Fact]
    public async Task ContainerSeesEnvSecretFilesHostsAndRunsAsPostgres()
    {
        await using var env = await NodeEnvironment.StartAsync(podOctet: 17);
        env.Create(ResourceType.Secrets, $$$"""{"metadata":{"name":"s"},"data":{"user":"{{{B64("alice")}}}","pass":"{{{B64("pa$$ word")}}}"}}""");
        env.Create(new ResourceType("", "configmaps"), """{"metadata":{"name":"cm"},"data":{"postgresql.conf":"shared_buffers = 16MB\n","mode":"fast"}}""");
        env.Create(ResourceType.Services, """{"metadata":{"name":"db-rw"},"spec":{"clusterIP":"127.43.0.9","ports":[{"port":5432}]}}""");
        env.Create(ResourceType.Services, """{"metadata":{"name":"other","namespace":"elsewhere"},"spec":{"clusterIP":"127.43.0.10","ports":[{"port":5432}]}}""", ns: "elsewhere");
        env.CreatePod("""
        {"metadata":{"name":"probe-me"},
         "spec":{
           "hostname":"db-host",
           "securityContext":{"runAsUser":999,"fsGroup":999},
           "volumes":[{"name":"sec","secret":{"secretName":"s","defaultMode":384,"items":[{"key":"pass","path":"dir/password"}]}},
                      {"name":"conf","configMap":{"name":"cm","items":[{"key":"postgresql.conf","path":"pg.conf"}]}}],
           "containers":[{"name":"c","image":"postgres","command":["sleep","600"],"workingDir":"/etc/sec",
             "env":[{"name":"NAME","valueFrom":{"fieldRef":{"fieldPath":"metadata.name"}}},
                    {"name":"IP","valueFrom":{"fieldRef":{"fieldPath":"status.podIP"}}},
                    {"name":"USER_NAME","valueFrom":{"secretKeyRef":{"name":"s","key":"user"}}},
                    {"name":"GREETING","value":"hello $(USER_NAME) at $(NAME), $$(NAME)"},
                    {"name":"MODE","valueFrom":{"configMapKeyRef":{"name":"cm","key":"mode"}}}],
             "volumeMounts":[{"name":"sec","mountPath":"/etc/sec","readOnly":true},{"name":"conf","mountPath":"/etc/pgconf"}]}]}}
        """);
        var pod = await env.WaitForPodAsync("probe-me", NodeEnvironment.IsReady);
        var ip = pod["status"]!["podIP"]!.ToString();

        var script = """
            echo "$GREETING"; echo "$IP"; id -un; hostname; getent hosts db-host | cut -d' ' -f1; pwd; cat dir/password; echo; stat -c %a dir/password
            getent hosts db-rw | cut -d' ' -f1; getent hosts db-rw.default.svc.cluster.local | cut -d' ' -f1
            getent hosts other.elsewhere | cut -d' ' -f1; getent hosts other >/dev/null || echo no-short-name
            getent hosts localhost | cut -d' ' -f1; touch x 2>/dev/null || echo read-only
            echo "$MODE"; cat /etc/pgconf/pg.conf
            """;
        var output = await ExecAsync(env, "probe-me", ["sh", "-c", script]);
        Assert.Equal(
            $"hello alice at probe-me, $(NAME)\n{ip}\npostgres\ndb-host\n{ip}\n/etc/sec\npa$$ word\n640\n127.43.0.9\n127.43.0.9\n127.43.0.10\nno-short-name\n{ip}\nread-only\nfast\nshared_buffers = 16MB\n",
            output);

        // A Service that appears later resolves too: /etc/hosts is kept up to date in place.
        env.Create(ResourceType.Services, """{"metadata":{"name":"late"},"spec":{"clusterIP":"127.43.0.11","ports":[{"port":5432}]}}""");
        var resolved = "";
        for (var i = 0; i < 100 && !resolved.StartsWith("127.43.0.11", StringComparison.Ordinal); i++)
        {
            await Task.Delay(100);
            resolved = await ExecAsync(env, "probe-me", ["sh", "-c", "getent hosts late || true"]);
        }

        Assert.StartsWith("127.43.0.11", resolved, StringComparison.Ordinal);

        // With a tty the command gets a terminal; stdin reaches it.
        var stdout = new MemoryStream();
        var code = await env.Agent.ExecAsync(new ExecRequest("default", "probe-me", "c", ["sh", "-c", "tty; read line; echo got:$line"],
            new MemoryStream(Encoding.UTF8.GetBytes("abc\n")), stdout, null, true), CancellationToken.None);
        Assert.Equal(0, code);
        var tty = Encoding.UTF8.GetString(stdout.ToArray());
        Assert.Contains("/dev/pts/", tty, StringComparison.Ordinal);
        Assert.Contains("got:abc", tty, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailingLivenessProbeRestartsTheContainer()
    {
        await using var env = await NodeEnvironment.StartAsync(podOctet: 18);
        env.CreatePod("""
        {"metadata":{"name":"flaky"},
         "spec":{"terminationGracePeriodSeconds":2,"volumes":[{"name":"scratch","emptyDir":{}}],
           "containers":[{"name":"c","image":"postgres","command":["sh","-c","if [ -e /s/ran ]; then touch /s/alive; else touch /s/ran; fi; exec sleep 600"],
             "volumeMounts":[{"name":"scratch","mountPath":"/s"}],
             "livenessProbe":{"exec":{"command":["test","-e","/s/alive"]},"periodSeconds":1,"failureThreshold":2}}]}}
        """);
        var pod = await env.WaitForPodAsync("flaky", p => (int?)NodeEnvironment.ContainerStatus(p, "c")?["restartCount"] >= 1 && NodeEnvironment.IsReady(p));
        Assert.Contains(env.Store.List(ResourceType.Events, "default"), e => e["reason"]?.ToString() == "Unhealthy");
    }

    [Fact]
    public async Task StopAsyncLeavesNoProcessBehind()
    {
        var env = await NodeEnvironment.StartAsync(podOctet: 19);
        var root = env.Root;
        try
        {
            env.Create(ResourceType.PersistentVolumeClaims, Claim);
            env.CreatePod(PostgresPod);
            env.CreatePod("""{"metadata":{"name":"sleeper"},"spec":{"terminationGracePeriodSeconds":1,"containers":[{"name":"c","image":"postgres","command":["sh","-c","trap '' TERM; sleep 600"]}]}}""");
            await env.WaitForPodAsync("pg", NodeEnvironment.IsReady);
            await env.WaitForPodAsync("sleeper", NodeEnvironment.IsReady);
            Assert.True(NodeEnvironment.ProcessesOf(root).Count >= 3);
        }
        finally
        {
            await env.DisposeAsync();
        }

        Assert.Empty(NodeEnvironment.ProcessesOf(root));
    }

    private static int ContainerPid(JsonObject pod) =>
        int.Parse(NodeEnvironment.ContainerStatus(pod, "postgres")?["containerID"]?.ToString()?.Replace("sandbox://", "", StringComparison.Ordinal)
            ?? NodeEnvironment.ContainerStatus(pod, "c")!["containerID"]!.ToString().Replace("sandbox://", "", StringComparison.Ordinal));

    private static async Task<string> ExecAsync(NodeEnvironment env, string pod, IReadOnlyList<string> command)
    {
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var code = await env.Agent.ExecAsync(new ExecRequest("default", pod, null, command, null, stdout, stderr, false), CancellationToken.None);
        Assert.True(code == 0, $"exit {code}: {Encoding.UTF8.GetString(stderr.ToArray())}");
        return Encoding.UTF8.GetString(stdout.ToArray());
    }

    private static string RunPgControlData(string dataDir)
    {
        var bin = Directory.EnumerateDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", "pg_controldata")).First(File.Exists);
        using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(bin, dataDir) { RedirectStandardOutput = true })!;
        var text = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return text;
    }

    private static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

}

public class ClaimVolumeLifecycleTests
{
    [Fact]
    public async Task ClaimDeletedWhileItsPodRunsKeepsTheVolumeUntilThePodIsGone()
    {
        await using var env = await NodeEnvironment.StartAsync(podOctet: 47);
        env.Create(ResourceType.PersistentVolumeClaims, """{"metadata":{"name":"gc-data"},"spec":{"resources":{"requests":{"storage":"1Gi"}}}}""");
        env.CreatePod("""
            {"metadata":{"name":"user"},
             "spec":{"terminationGracePeriodSeconds":5,
               "volumes":[{"name":"data","persistentVolumeClaim":{"claimName":"gc-data"}}],
               "containers":[{"name":"c","image":"postgres","command":["sh","-c","echo kept > /data/marker; exec sleep 600"],
                 "volumeMounts":[{"name":"data","mountPath":"/data"}]}]}}
            """);
        await env.WaitForPodAsync("user", NodeEnvironment.IsReady);
        var volume = Path.Combine(env.Root, "volumes", "default", "gc-data");
        await NodeEnvironment.WaitUntilAsync(() => File.Exists(Path.Combine(volume, "marker")), "the pod to write its volume");

        // Garbage collection deletes the claim and the pod together; the pod still has the volume mounted.
        env.Store.Remove(ResourceType.PersistentVolumeClaims, "default", "gc-data");
        await Task.Delay(500);
        Assert.True(Directory.Exists(volume), "a volume in use must outlive its claim until the pod is gone");
        var pod = env.Pod("user")!;
        pod["metadata"]!["deletionTimestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ");
        pod["metadata"]!["deletionGracePeriodSeconds"] = 5;
        env.Store.Replace(ResourceType.Pods, "default", pod);

        await NodeEnvironment.WaitUntilAsync(() => env.Pod("user") is null, "pod removal");
        await NodeEnvironment.WaitUntilAsync(() => !Directory.Exists(volume), "the claim's volume to be deleted once no pod uses it");
    }
}
