using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Tests.Api;

/// <summary>The API server serves TLS from its own CA and lets in only its bearer token, as a cluster does.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ApiAuthenticationTests
{
    private static string NewDir() => Path.Combine(Path.GetTempPath(), "sbx-auth-" + Guid.NewGuid().ToString("N")[..12]);

    [Fact]
    public async Task RequestsWithoutTheTokenOrWithAnotherGet401AndAStatus()
    {
        await using var s = await TestSandbox.StartAsync();
        foreach (var header in new[] { null, "Bearer not-the-token", "Basic " + s.Host.ApiCredentials.Token })
        {
            using var http = new HttpClient(s.Host.ApiCredentials.CreateTrustingHandler()) { BaseAddress = s.Host.ApiServerUrl };
            if (header is not null)
            {
                http.DefaultRequestHeaders.Authorization = AuthenticationHeaderValue.Parse(header);
            }

            var response = await http.GetAsync("/api/v1/namespaces/default/pods");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal("Unauthorized", status["reason"]!.GetValue<string>());
            Assert.Equal(401, status["code"]!.GetValue<int>());

            // Health and version stay open, as system:public-info-viewer leaves them on a cluster.
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/version")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await s.Http.GetAsync("/api/v1/namespaces/default/pods")).StatusCode);
    }

    [Fact]
    public async Task AClientThatDoesNotTrustTheSandboxCaIsRefusedTheConnection()
    {
        await using var s = await TestSandbox.StartAsync();
        using var http = new HttpClient { BaseAddress = s.Host.ApiServerUrl };
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("/version"));
        Assert.Equal("https", s.Host.ApiServerUrl.Scheme);
    }

    [Fact]
    public async Task TheKubeconfigHoldsTheCaAndTokenIsPrivateAndKubectlUsesIt()
    {
        await using var s = await TestSandbox.StartAsync();
        var path = s.Host.KubeconfigPath;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        var bytes = await File.ReadAllBytesAsync(path);
        Assert.False(bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF, "no byte-order mark");
        var text = System.Text.Encoding.UTF8.GetString(bytes);
        Assert.Contains("token: " + s.Host.ApiCredentials.Token, text);
        Assert.Contains("certificate-authority-data: ", text);
        Assert.Contains("sandbox", await s.KubectlOkAsync("get", "nodes", "-o", "name"));
    }

    [Fact]
    public async Task ARestartedSandboxKeepsItsCaAndTokenSoRunningClientsStayValid()
    {
        var dir = NewDir();
        try
        {
            string token;
            string ca;
            await using (var first = await TestSandbox.StartAsync(dir: dir))
            {
                token = first.Host.ApiCredentials.Token;
                ca = first.Host.ApiCredentials.CertificateAuthorityPem;
            }

            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(dir, "pki")));
            Assert.All(Directory.GetFiles(Path.Combine(dir, "pki")), f => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(f)));
            await using var second = await TestSandbox.StartAsync(dir: dir);
            Assert.Equal(token, second.Host.ApiCredentials.Token);
            Assert.Equal(ca, second.Host.ApiCredentials.CertificateAuthorityPem);
            Assert.Equal(HttpStatusCode.OK, (await second.Http.GetAsync("/api/v1/nodes")).StatusCode);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
