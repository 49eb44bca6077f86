using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Tests.Api;

/// <summary>A sandbox in a temp directory with an HttpClient and a kubectl runner (own discovery cache dir).</summary>
public sealed class TestSandbox : IAsyncDisposable
{
    private readonly bool _ownsDirectory;

    private TestSandbox(SandboxHost host, string dir, bool ownsDirectory)
    {
        _ownsDirectory = ownsDirectory;
        Host = host;
        Directory = dir;
        Http = host.CreateApiHttpClient();
        Http.Timeout = TimeSpan.FromSeconds(60);
    }

    public SandboxHost Host { get; }

    public string Directory { get; }

    public HttpClient Http { get; }

    public static async Task<TestSandbox> StartAsync(IPodRuntime? runtime = null, string? dir = null)
    {
        var owns = dir is null;
        dir ??= Path.Combine(Path.GetTempPath(), "sbx-test-" + Guid.NewGuid().ToString("N")[..12]);
        var host = await SandboxHost.StartAsync(new SandboxOptions { Directory = dir, PodRuntime = runtime });
        return new TestSandbox(host, dir, owns);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
        if (!_ownsDirectory)
        {
            return;
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public async Task<(int Code, JsonNode? Body)> SendAsync(HttpMethod method, string url, JsonNode? body = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public Task<(int Code, JsonNode? Body)> GetAsync(string url) => SendAsync(HttpMethod.Get, url);

    public Task<(int Code, JsonNode? Body)> PostAsync(string url, JsonNode body) => SendAsync(HttpMethod.Post, url, body);

    public Task<(int Code, JsonNode? Body)> PutAsync(string url, JsonNode body) => SendAsync(HttpMethod.Put, url, body);

    public Task<(int Code, JsonNode? Body)> DeleteAsync(string url, JsonNode? body = null) => SendAsync(HttpMethod.Delete, url, body);

    public Task<(int Code, JsonNode? Body)> MergePatchAsync(string url, JsonNode patch) =>
        SendAsync(HttpMethod.Patch, url, patch, "application/merge-patch+json");

    /// <summary>Creates the test CRD things.example.com (status + scale subresources, printer columns) and waits until it is served.</summary>
    public async Task InstallThingsCrdAsync()
    {
        Host.InstallCrd(TestObjects.ThingsCrd());
        await Eventually(async () => (await GetAsync("/apis/example.com/v1")).Code == 200, "CRD served");
    }

    /// <summary>Runs the real kubectl against this sandbox; returns exit code and outputs.</summary>
    public async Task<(int Exit, string Stdout, string Stderr)> KubectlAsync(string[] args, string? stdin = null, int timeoutSeconds = 60)
    {
        var psi = new ProcessStartInfo("kubectl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("--kubeconfig");
        psi.ArgumentList.Add(Host.KubeconfigPath);
        psi.ArgumentList.Add("--cache-dir");
        psi.ArgumentList.Add(Path.Combine(Directory, "kubectl-cache"));
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["HOME"] = Directory;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }

        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>kubectl that must succeed; returns stdout.</summary>
    public async Task<string> KubectlOkAsync(params string[] args)
    {
        var (exit, stdout, stderr) = await KubectlAsync(args);
        Assert.True(exit == 0, $"kubectl {string.Join(' ', args)} exited {exit}: {stderr}{stdout}");
        return stdout;
    }

    /// <summary>Polls until the condition holds (bounded; fails the test otherwise).</summary>
    public static async Task Eventually(Func<Task<bool>> condition, string what, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        Assert.Fail($"timed out waiting for: {what}");
    }
}
