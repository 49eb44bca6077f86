using System.Text.Json.Nodes;
using static PgReplica.Sandbox.Tests.Api.TestObjects;

namespace PgReplica.Sandbox.Tests.Api;

/// <summary>Runs the real kubectl 1.32 against the sandbox and checks what it prints.</summary>
public sealed class KubectlTests : IAsyncLifetime
{
    private TestSandbox _s = null!;
    private LocalProcessRuntime _runtime = null!;
    private string _files = null!;

    public async Task InitializeAsync()
    {
        _files = Path.Combine(Path.GetTempPath(), "sbx-kubectl-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_files);
        _runtime = new LocalProcessRuntime(_files);
        _s = await TestSandbox.StartAsync(_runtime);
    }

    public async Task DisposeAsync()
    {
        await _s.DisposeAsync();
        Directory.Delete(_files, recursive: true);
    }

    private string Write(string name, string yaml)
    {
        var path = Path.Combine(_files, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    private static string CrdYaml => """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.example.com
        spec:
          group: example.com
          scope: Namespaced
          names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}
          versions:
          - name: v1
            served: true
            storage: true
            subresources:
              status: {}
              scale: {specReplicasPath: .spec.replicas, statusReplicasPath: .status.replicas}
            additionalPrinterColumns:
            - {name: Replicas, type: integer, jsonPath: .spec.replicas}
            - {name: Color, type: string, jsonPath: .spec.color}
            - {name: Phase, type: string, jsonPath: .status.phase, priority: 1}
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      replicas: {type: integer}
                      color: {type: string}
                  status:
                    type: object
                    properties:
                      replicas: {type: integer}
                      phase: {type: string}
        """;

    private static string Widget(string color, int replicas = 2) => $"""
        apiVersion: example.com/v1
        kind: Widget
        metadata: {"{"}name: w1{"}"}
        spec: {"{"}replicas: {replicas}, color: {color}{"}"}
        """;

    private async Task ApplyWidgetCrd()
    {
        var output = await _s.KubectlOkAsync("apply", "-f", Write("crd.yaml", CrdYaml));
        Assert.Contains("customresourcedefinition.apiextensions.k8s.io/widgets.example.com created", output);
    }

    [Fact]
    public async Task ApplyCreatesThenConfiguresThenReportsUnchanged()
    {
        await ApplyWidgetCrd();
        var file = Write("w.yaml", Widget("red"));
        Assert.Contains("widget.example.com/w1 created", await _s.KubectlOkAsync("apply", "-f", file));
        Assert.Contains("widget.example.com/w1 unchanged", await _s.KubectlOkAsync("apply", "-f", file));
        File.WriteAllText(file, Widget("blue"));
        Assert.Contains("widget.example.com/w1 configured", await _s.KubectlOkAsync("apply", "-f", file));

        var json = JsonNode.Parse(await _s.KubectlOkAsync("get", "widget", "w1", "-o", "json"))!;
        Assert.Equal("blue", json["spec"]!["color"]!.GetValue<string>());
        Assert.Equal(2, Generation(json));
        Assert.Contains("last-applied-configuration", json["metadata"]!["annotations"]!.ToJsonString());
    }

    [Fact]
    public async Task GetPrintsPrinterColumnsAndWideAddsPriorityColumns()
    {
        await ApplyWidgetCrd();
        await _s.KubectlOkAsync("apply", "-f", Write("w.yaml", Widget("green", 3)));
        var table = await _s.KubectlOkAsync("get", "widgets");
        var lines = table.Trim().Split('\n');
        Assert.Matches(@"^NAME\s+REPLICAS\s+COLOR$", lines[0].Trim());
        Assert.Matches(@"^w1\s+3\s+green$", lines[1].Trim());
        var wide = await _s.KubectlOkAsync("get", "wd", "-o", "wide");
        Assert.Matches(@"^NAME\s+REPLICAS\s+COLOR\s+PHASE", wide.Split('\n')[0]);
        var yaml = await _s.KubectlOkAsync("get", "widget", "w1", "-o", "yaml");
        Assert.Contains("kind: Widget", yaml);
        Assert.Contains("color: green", yaml);
    }

    [Fact]
    public async Task GetShowsBuiltInColumns()
    {
        var nodes = await _s.KubectlOkAsync("get", "nodes");
        Assert.Matches(@"NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION", nodes);
        Assert.Matches(@"sandbox\s+Ready\s+<none>\s+\S+\s+v1\.32\.0", nodes);

        var pod = """
            apiVersion: v1
            kind: Pod
            metadata: {name: p1, labels: {app: db}}
            spec:
              containers:
              - name: main
                image: postgres:17
                env: [{name: A, value: "1"}, {name: B, value: "2"}]
                ports: [{containerPort: 5432}]
            """;
        var file = Write("pod.yaml", pod);
        Assert.Contains("pod/p1 created", await _s.KubectlOkAsync("apply", "-f", file));
        var pods = await _s.KubectlOkAsync("get", "pods", "-o", "wide");
        Assert.Matches(@"NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE", pods);
        Assert.Matches(@"p1\s+0/1\s+Pending\s+0\s+\S+\s+<none>", pods);

        // Client-side apply of a built-in kind sends a strategic merge patch: env merges by name.
        File.WriteAllText(file, pod.Replace("value: \"1\"", "value: \"9\"", StringComparison.Ordinal));
        Assert.Contains("pod/p1 configured", await _s.KubectlOkAsync("apply", "-f", file));
        var env = JsonNode.Parse(await _s.KubectlOkAsync("get", "pod", "p1", "-o", "jsonpath={.spec.containers[0].env}"))!.AsArray();
        Assert.Equal("""[{"name":"A","value":"9"},{"name":"B","value":"2"}]""", env.ToJsonString());

        var svc = Write("svc.yaml", """
            apiVersion: v1
            kind: Service
            metadata: {name: db}
            spec:
              selector: {app: db}
              ports: [{port: 5432}]
            """);
        await _s.KubectlOkAsync("apply", "-f", svc);
        Assert.Matches(@"db\s+ClusterIP\s+\S+\s+<none>\s+5432/TCP", await _s.KubectlOkAsync("get", "svc"));
    }

    [Fact]
    public async Task ScaleWritesThroughTheScaleSubresource()
    {
        await ApplyWidgetCrd();
        await _s.KubectlOkAsync("apply", "-f", Write("w.yaml", Widget("red")));
        Assert.Contains("widget.example.com/w1 scaled", await _s.KubectlOkAsync("scale", "widget", "w1", "--replicas=5"));
        Assert.Equal("5", await _s.KubectlOkAsync("get", "widget", "w1", "-o", "jsonpath={.spec.replicas}"));
    }

    [Fact]
    public async Task DeleteWaitsUntilTheObjectIsGone()
    {
        await ApplyWidgetCrd();
        await _s.KubectlOkAsync("apply", "-f", Write("w.yaml", Widget("red")));
        Assert.Contains("widget.example.com \"w1\" deleted", await _s.KubectlOkAsync("delete", "widget", "w1"));
        var (exit, _, stderr) = await _s.KubectlAsync(["get", "widget", "w1"]);
        Assert.NotEqual(0, exit);
        Assert.Contains("Error from server (NotFound): widgets.example.com \"w1\" not found", stderr);
    }

    [Fact]
    public async Task DeleteOfAnObjectWithAFinalizerWaitsForItsRelease()
    {
        await ApplyWidgetCrd();
        await _s.KubectlOkAsync("apply", "-f", Write("w.yaml", Widget("red").Replace("name: w1", "name: w1, finalizers: [example.com/hold]", StringComparison.Ordinal)));
        var delete = _s.KubectlAsync(["delete", "widget", "w1"]);
        await TestSandbox.Eventually(async () => (await _s.GetAsync("/apis/example.com/v1/namespaces/default/widgets/w1")).Body?["metadata"]?["deletionTimestamp"] is not null, "deletion started");
        Assert.False(delete.IsCompleted);
        await _s.MergePatchAsync("/apis/example.com/v1/namespaces/default/widgets/w1", JsonNode.Parse("""{"metadata":{"finalizers":null}}""")!);
        var (exit, stdout, stderr) = await delete;
        Assert.True(exit == 0, stderr);
        Assert.Contains("deleted", stdout);
    }

    [Fact]
    public async Task GetWatchPrintsRowsAsObjectsChange()
    {
        await ApplyWidgetCrd();
        await _s.KubectlOkAsync("apply", "-f", Write("w.yaml", Widget("red")));
        var watch = _s.KubectlAsync(["get", "widgets", "-w", "--request-timeout=8s"], timeoutSeconds: 30);
        await Task.Delay(1500);
        await _s.KubectlOkAsync("scale", "widget", "w1", "--replicas=4");
        var (_, stdout, stderr) = await watch;
        var lines = stdout.Trim().Split('\n').Select(l => l.Trim()).ToList();
        Assert.True(lines.Count >= 3, stdout + stderr);
        Assert.Matches(@"^NAME\s+REPLICAS\s+COLOR$", lines[0]);
        Assert.Matches(@"^w1\s+2\s+red$", lines[1]);
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^w1\s+4\s+red$"));
    }

    [Fact]
    public async Task CreateSecretGenericAndDescribe()
    {
        Assert.Contains("secret/creds created", await _s.KubectlOkAsync("create", "secret", "generic", "creds", "--from-literal=password=s3cret", "--from-literal=user=app"));
        var secrets = await _s.KubectlOkAsync("get", "secrets");
        Assert.Matches(@"creds\s+Opaque\s+2\s+", secrets);
        var password = await _s.KubectlOkAsync("get", "secret", "creds", "-o", "jsonpath={.data.password}");
        Assert.Equal("s3cret", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(password)));

        var describe = await _s.KubectlOkAsync("describe", "secret", "creds");
        Assert.Contains("Name:         creds", describe);
        Assert.Matches(@"password:\s+6 bytes", describe);

        await ApplyWidgetCrd();
        await _s.KubectlOkAsync("apply", "-f", Write("w.yaml", Widget("red")));
        var widget = await _s.KubectlOkAsync("describe", "widget", "w1");
        Assert.Contains("Kind:         Widget", widget);
        Assert.Matches(@"Color:\s+red", widget);
    }

    [Fact]
    public async Task LogsReadTheContainerLogFile()
    {
        await _s.KubectlOkAsync("apply", "-f", Write("pod.yaml", """
            apiVersion: v1
            kind: Pod
            metadata: {name: logger}
            spec:
              containers: [{name: main, image: postgres:17}]
            """));
        File.WriteAllText(_runtime.LogFile("logger", "main"), "line 1\nline 2\nline 3\n");
        File.WriteAllText(_runtime.LogFile("logger", "main", previous: true), "before restart\n");
        Assert.Equal("line 1\nline 2\nline 3\n", await _s.KubectlOkAsync("logs", "logger"));
        Assert.Equal("line 3\n", await _s.KubectlOkAsync("logs", "logger", "-c", "main", "--tail=1"));
        Assert.Equal("before restart\n", await _s.KubectlOkAsync("logs", "logger", "--previous"));

        var follow = _s.KubectlAsync(["logs", "logger", "-f", "--tail=1"], timeoutSeconds: 30);
        await Task.Delay(1000);
        File.AppendAllText(_runtime.LogFile("logger", "main"), "line 4\n");
        await Task.Delay(1000);
        await _s.DeleteAsync("/api/v1/namespaces/default/pods/logger");
        var (exit, stdout, stderr) = await follow;
        Assert.True(exit == 0, stderr);
        Assert.Equal("line 3\nline 4\n", stdout);
    }

    [Fact]
    public async Task ExecRunsTheCommandOverTheWebSocketProtocol()
    {
        await _s.KubectlOkAsync("apply", "-f", Write("pod.yaml", """
            apiVersion: v1
            kind: Pod
            metadata: {name: shell}
            spec:
              containers: [{name: main, image: postgres:17}]
            """));
        var (exit, stdout, stderr) = await _s.KubectlAsync(["exec", "shell", "--", "sh", "-c", "echo out; echo err >&2"]);
        Assert.True(exit == 0, stderr);
        Assert.Equal("out\n", stdout);
        Assert.Equal("err\n", stderr);

        (exit, stdout, _) = await _s.KubectlAsync(["exec", "-i", "shell", "--", "cat"], stdin: "piped input\n");
        Assert.Equal(0, exit);
        Assert.Equal("piped input\n", stdout);

        (exit, _, stderr) = await _s.KubectlAsync(["exec", "shell", "--", "sh", "-c", "exit 3"]);
        Assert.Equal(3, exit);
        Assert.Contains("command terminated with exit code 3", stderr);
        Assert.All(_runtime.Execs, e => Assert.Equal("main", e.Container));
    }

    [Fact]
    public async Task InteractiveExecWithATerminalAsksForATty()
    {
        await _s.KubectlOkAsync("apply", "-f", Write("pod.yaml", """
            apiVersion: v1
            kind: Pod
            metadata: {name: tty}
            spec:
              containers: [{name: main, image: postgres:17}]
            """));
        // script(1) gives kubectl a terminal, as a person typing `kubectl exec -it` has.
        var kubectl = $"kubectl --kubeconfig {_s.Host.KubeconfigPath} --cache-dir {Path.Combine(_s.Directory, "kubectl-cache")} exec -it tty -- sh -c 'echo tty-ok'";
        var psi = new System.Diagnostics.ProcessStartInfo("script", ["-qec", kubectl, "/dev/null"])
        {
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        using var process = System.Diagnostics.Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);
        Assert.Contains("tty-ok", await stdout);
        Assert.Equal(0, process.ExitCode);
        var exec = Assert.Single(_runtime.Execs);
        Assert.True(exec.Tty);
        Assert.NotNull(exec.Stdin);
        Assert.Null(exec.Stderr);
        Assert.Equal(["sh", "-c", "echo tty-ok"], exec.Command);
    }
}

public sealed class PodLogsHttpTests : IAsyncLifetime
{
    private const string Pods = "/api/v1/namespaces/default/pods";
    private TestSandbox _s = null!;
    private string _files = null!;

    public async Task InitializeAsync()
    {
        _files = Path.Combine(Path.GetTempPath(), "sbx-logs-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_files);
        _s = await TestSandbox.StartAsync(new LocalProcessRuntime(_files));
        await _s.PostAsync(Pods, JsonNode.Parse("""
            {"metadata":{"name":"two"},"spec":{"containers":[{"name":"a","image":"postgres:17"},{"name":"b","image":"postgres:17"}]}}
            """)!);
    }

    public async Task DisposeAsync()
    {
        await _s.DisposeAsync();
        Directory.Delete(_files, recursive: true);
    }

    [Fact]
    public async Task APodWithSeveralContainersNeedsOneNamed()
    {
        var (code, status) = await _s.GetAsync($"{Pods}/two/log");
        Assert.Equal(400, code);
        Assert.Equal("a container name must be specified for pod two, choose one of: [a b]", status!["message"]!.GetValue<string>());
        (code, status) = await _s.GetAsync($"{Pods}/two/log?container=c");
        Assert.Equal(400, code);
        (code, status) = await _s.GetAsync($"{Pods}/two/log?container=b");
        Assert.Equal(400, code);
        Assert.Contains("is waiting to start", status!["message"]!.GetValue<string>());
        File.WriteAllText(Path.Combine(_files, "two-b.log"), "from b\n");
        Assert.Equal("from b\n", await _s.Http.GetStringAsync($"{Pods}/two/log?container=b"));
    }
}
