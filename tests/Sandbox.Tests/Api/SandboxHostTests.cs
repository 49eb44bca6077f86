using System.Text.Json.Nodes;
using PgReplica.Sandbox.Store;
using Xunit.Abstractions;
using static PgReplica.Sandbox.Tests.Api.TestObjects;

namespace PgReplica.Sandbox.Tests.Api;

public sealed class SandboxHostTests(ITestOutputHelper output)
{
    private static string NewDir() => Path.Combine(Path.GetTempPath(), "sbx-host-" + Guid.NewGuid().ToString("N")[..12]);

    [Fact]
    public async Task ObjectsSurviveARestartAndResetWipesThem()
    {
        var dir = NewDir();
        try
        {
            string uid;
            long rv;
            await using (var first = await TestSandbox.StartAsync(dir: dir))
            {
                await first.InstallThingsCrdAsync();
                var (_, thing) = await first.PostAsync(Things, Thing("kept"));
                uid = thing!["metadata"]!["uid"]!.GetValue<string>();
                await first.PostAsync(ConfigMaps, ConfigMap("short-lived"));
                await first.DeleteAsync($"{ConfigMaps}/short-lived");
                rv = first.Host.Store.CurrentResourceVersion;
            }

            await using (var second = await SandboxHost.StartAsync(new SandboxOptions { Directory = dir }))
            {
                using var http = second.CreateApiHttpClient();
                var kept = JsonNode.Parse(await http.GetStringAsync(Things + "/kept"))!;
                Assert.Equal(uid, kept["metadata"]!["uid"]!.GetValue<string>());
                Assert.Equal(404, (int)(await http.GetAsync(ConfigMaps + "/short-lived")).StatusCode);
                Assert.True(second.Store.CurrentResourceVersion >= rv, "resourceVersions never go back after a restart");
                Assert.Single(second.Store.List(ResourceType.Nodes, null));
            }

            await using (var reset = await SandboxHost.StartAsync(new SandboxOptions { Directory = dir, Reset = true }))
            {
                Assert.Empty(reset.Store.List(ResourceType.CustomResourceDefinitions, null));
                Assert.Contains(reset.Store.List(ResourceType.Namespaces, null), n => n["metadata"]!["name"]!.GetValue<string>() == "default");
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task WritesAKubeconfigForContextSandboxAndReportsItsStartTime()
    {
        await using var s = await TestSandbox.StartAsync();
        var text = await File.ReadAllTextAsync(s.Host.KubeconfigPath);
        Assert.Contains($"server: https://127.0.0.1:{s.Host.ApiServerUrl.Port}", text);
        Assert.Contains("current-context: sandbox", text);
        Assert.Equal("sandbox", (await s.KubectlOkAsync("config", "current-context")).Trim());
        output.WriteLine($"sandbox API start time: {s.Host.ApiStartTime.TotalMilliseconds:F0} ms");
        Assert.True(s.Host.ApiStartTime > TimeSpan.Zero);

        var version = JsonNode.Parse(await s.Http.GetStringAsync("/version"))!;
        Assert.Equal("32", version["minor"]!.GetValue<string>());
    }

    [Fact]
    public async Task InstallCrdServesTheResourceAndReplacesAnExistingDefinition()
    {
        await using var s = await TestSandbox.StartAsync();
        s.Host.InstallCrd(ThingsCrd());
        var resources = JsonNode.Parse(await s.Http.GetStringAsync("/apis/example.com/v1"))!["resources"]!.AsArray()
            .Select(r => r!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(["things", "things/status", "things/scale"], resources);

        var changed = ThingsCrd();
        changed["spec"]!["names"]!["shortNames"] = new JsonArray("thg");
        var stored = s.Host.InstallCrd(changed);
        Assert.Equal("thg", stored["spec"]!["names"]!["shortNames"]![0]!.GetValue<string>());
        Assert.Equal("True", stored["status"]!["conditions"]!.AsArray().First(c => c!["type"]!.GetValue<string>() == "Established")!["status"]!.GetValue<string>());
        var list = JsonNode.Parse(await s.Http.GetStringAsync("/apis/example.com/v1"))!;
        Assert.Equal("thg", list["resources"]![0]!["shortNames"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task ComponentsStartAfterTheApiServerAndStopFirst()
    {
        var log = new List<string>();
        var dir = NewDir();
        var host = await SandboxHost.StartAsync(new SandboxOptions
        {
            Directory = dir,
            Components = [store => new RecordingComponent("node", store, log), store => new RecordingComponent("proxies", store, log)],
        });
        await host.StopAsync();
        Directory.Delete(dir, recursive: true);
        Assert.Equal(["start node (nodes: 1)", "start proxies (nodes: 1)", "stop proxies", "stop node"], log);
    }

    private sealed class RecordingComponent(string name, IObjectStore store, List<string> log) : ISandboxComponent
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            log.Add($"start {name} (nodes: {store.List(ResourceType.Nodes, null).Count})");
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            log.Add($"stop {name}");
            return ValueTask.CompletedTask;
        }
    }
}
