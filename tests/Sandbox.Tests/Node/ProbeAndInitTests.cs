using System.Collections.Concurrent;
using PgReplica.Sandbox.Node;
using PgReplica.Sandbox.Store;

namespace PgReplica.Sandbox.Tests.Node;

public class ProbeAndInitTests
{
    [Fact]
    public async Task StartupProbeHoldsReadinessUntilItPasses()
    {
        await using var env = await NodeEnvironment.StartAsync(podOctet: 22);
        env.CreatePod("""
        {"metadata":{"name":"slow"},
         "spec":{"volumes":[{"name":"s","emptyDir":{}}],
           "containers":[{"name":"c","image":"postgres","command":["sh","-c","sleep 2; touch /s/up; exec sleep 600"],
             "volumeMounts":[{"name":"s","mountPath":"/s"}],
             "startupProbe":{"exec":{"command":["test","-e","/s/up"]},"periodSeconds":1,"failureThreshold":30}}]}}
        """);
        var running = await env.WaitForPodAsync("slow", p => NodeEnvironment.ContainerStatus(p, "c")?["state"]?["running"] is not null);
        var status = NodeEnvironment.ContainerStatus(running, "c")!;
        Assert.False((bool)status["started"]!);
        Assert.False((bool)status["ready"]!);
        var ready = await env.WaitForPodAsync("slow", NodeEnvironment.IsReady);
        Assert.True((bool)NodeEnvironment.ContainerStatus(ready, "c")!["started"]!);
        Assert.Equal(0, (int)NodeEnvironment.ContainerStatus(ready, "c")!["restartCount"]!);
    }

    [Fact]
    public async Task FailingInitContainerBacksOffOrFailsThePod()
    {
        await using var env = await NodeEnvironment.StartAsync(podOctet: 23);
        const string Spec = """
            "initContainers":[{"name":"init","image":"postgres","command":["sh","-c","exit 7"]}],
            "containers":[{"name":"c","image":"postgres","command":["sleep","600"]}]}}
            """;
        env.CreatePod("""{"metadata":{"name":"never"},"spec":{"restartPolicy":"Never",""" + Spec);
        env.CreatePod("""{"metadata":{"name":"always"},"spec":{""" + Spec);

        var failed = await env.WaitForPodAsync("never", p => p["status"]?["phase"]?.ToString() == "Failed");
        Assert.Equal(7, (int)NodeEnvironment.ContainerStatus(failed, "init", init: true)!["state"]!["terminated"]!["exitCode"]!);
        Assert.Equal("PodInitializing", NodeEnvironment.ContainerStatus(failed, "c")!["state"]!["waiting"]!["reason"]!.ToString());

        var looping = await env.WaitForPodAsync("always", p =>
            NodeEnvironment.ContainerStatus(p, "init", init: true)?["state"]?["waiting"]?["reason"]?.ToString() == "CrashLoopBackOff"
            && (int?)NodeEnvironment.ContainerStatus(p, "init", init: true)?["restartCount"] >= 1);
        Assert.Equal("Pending", looping["status"]!["phase"]!.ToString());
        Assert.Equal(7, (int)NodeEnvironment.ContainerStatus(looping, "init", init: true)!["lastState"]!["terminated"]!["exitCode"]!);
        var initialized = looping["status"]!["conditions"]!.AsArray().First(c => c!["type"]!.ToString() == "Initialized")!;
        Assert.Equal("False", initialized["status"]!.ToString());
    }

    [Fact]
    public async Task TheAgentReportsEachStepOfAPodStartInOrder()
    {
        var steps = new ConcurrentQueue<PodStepTiming>();
        await using var env = await NodeEnvironment.StartAsync(podOctet: 31, stepTimed: steps.Enqueue);
        env.Create(ResourceType.PersistentVolumeClaims, """{"metadata":{"name":"timed"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"16Mi"}}}}""");
        env.CreatePod("""
        {"metadata":{"name":"timed"},
         "spec":{"volumes":[{"name":"d","persistentVolumeClaim":{"claimName":"timed"}}],
           "initContainers":[{"name":"init","image":"postgres","command":["sh","-c","touch /d/cloned"],"volumeMounts":[{"name":"d","mountPath":"/d"}]}],
           "containers":[{"name":"c","image":"postgres","command":["sleep","600"],"volumeMounts":[{"name":"d","mountPath":"/d"}]}]}}
        """);
        await env.WaitForPodAsync("timed", p => NodeEnvironment.ContainerStatus(p, "c")?["state"]?["running"] is not null);

        // sandbox, volumes, the init container's set-up and run, then the main container's set-up; its run is not over.
        var order = steps.Where(s => s.Pod == "timed").Select(s => (s.Step, s.Container)).ToList();
        Assert.Equal(
            [(PodStepTiming.SandboxStep, null), (PodStepTiming.VolumesStep, null), (PodStepTiming.SetUpStep, "init"), (PodStepTiming.RunStep, "init"), (PodStepTiming.SetUpStep, "c")],
            order);
        var timed = steps.Where(s => s.Pod == "timed").ToList();
        Assert.All(timed, s => Assert.True(s.End >= s.Start, $"{s.Step} {s.Container} ends before it starts"));
        Assert.All(timed.Zip(timed.Skip(1)), pair => Assert.True(pair.Second.Start >= pair.First.End, $"{pair.Second.Step} starts before {pair.First.Step} ends"));
        Assert.True(File.Exists(Path.Combine(env.Root, "volumes", "default", "timed", "cloned")));
    }

    [Fact]
    public async Task PodTheAgentCannotRunFailsInsteadOfBeingRetried()
    {
        await using var env = await NodeEnvironment.StartAsync(podOctet: 24);
        env.CreatePod("""{"metadata":{"name":"bad"},"spec":{"containers":[{"name":"c","image":"postgres","command":["sleep","600"],"volumeMounts":[{"name":"nowhere","mountPath":"/x"}]}]}}""");
        var pod = await env.WaitForPodAsync("bad", p => p["status"]?["phase"]?.ToString() == "Failed");
        Assert.Contains(env.Store.List(ResourceType.Events, "default"), e => e["reason"]?.ToString() == "Failed" && e["message"]!.ToString().Contains("nowhere", StringComparison.Ordinal));
        await Task.Delay(300);
        Assert.Single(env.Store.List(ResourceType.Events, "default"), e => e["reason"]?.ToString() == "Failed");
    }

    [Fact]
    public async Task HttpGetReadinessProbeReachesTheServerOnThePodIp()
    {
        await using var env = await NodeEnvironment.StartAsync(podOctet: 26);
        env.CreatePod("""
        {"metadata":{"name":"web"},
         "spec":{"containers":[{"name":"c","image":"postgres","workingDir":"/tmp",
           "command":["python3","-m","http.server","--bind","$(IP)","8080"],
           "env":[{"name":"IP","valueFrom":{"fieldRef":{"fieldPath":"status.podIP"}}}],
           "ports":[{"name":"http","containerPort":8080}],
           "readinessProbe":{"httpGet":{"path":"/","port":"http"},"periodSeconds":1}}]}}
        """);
        var pod = await env.WaitForPodAsync("web", NodeEnvironment.IsReady);
        using var http = new HttpClient();
        var response = await http.GetAsync($"http://{pod["status"]!["podIP"]}:8080/");
        Assert.True(response.IsSuccessStatusCode);
    }
}
