using PgReplica.Kube.Client;
using PgReplica.Kube.Models;
using PgReplica.Kube.Tests.Fakes;

namespace PgReplica.Kube.Tests.Config;

/// <summary>Tests that read or set process environment variables; kept in one non-parallel collection.</summary>
[CollectionDefinition(nameof(EnvironmentConfigTests), DisableParallelization = true)]
public sealed class EnvironmentCollection;

[Collection(nameof(EnvironmentConfigTests))]
public sealed class EnvironmentConfigTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("kube-tests-").FullName;
    private readonly Dictionary<string, string?> saved = new()
    {
        ["KUBECONFIG"] = Environment.GetEnvironmentVariable("KUBECONFIG"),
        ["KUBERNETES_SERVICE_HOST"] = Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST"),
        ["KUBERNETES_SERVICE_PORT"] = Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_PORT"),
    };

    public void Dispose()
    {
        foreach (var (k, v) in saved)
        {
            Environment.SetEnvironmentVariable(k, v);
        }

        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void KubeconfigEnvironmentVariableIsTheDefaultPath()
    {
        var path = Path.Combine(dir, "config");
        File.WriteAllText(path, """
            apiVersion: v1
            kind: Config
            current-context: c
            clusters: [{name: k, cluster: {server: "http://127.0.0.1:9999"}}]
            contexts: [{name: c, context: {cluster: k, user: u, namespace: ns1}}]
            users: [{name: u, user: {tokenFile: token}}]
            """);
        File.WriteAllText(Path.Combine(dir, "token"), "from-file\n");
        Environment.SetEnvironmentVariable("KUBECONFIG", path + Path.PathSeparator + "/ignored/second");
        Assert.Equal(path, KubernetesClientConfiguration.DefaultKubeconfigPath());
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile();
        Assert.Equal(new Uri("http://127.0.0.1:9999"), config.Host);
        Assert.Equal("ns1", config.Namespace);
        Assert.Equal(Path.Combine(dir, "token"), config.TokenFile);

        Environment.SetEnvironmentVariable("KUBECONFIG", null);
        Assert.EndsWith(Path.Combine(".kube", "config"), KubernetesClientConfiguration.DefaultKubeconfigPath());
    }

    [Fact]
    public void InClusterConfigReadsEnvironmentTokenCaAndNamespace()
    {
        var certs = TestCertificates.Create();
        File.WriteAllText(Path.Combine(dir, "token"), "sa-token");
        File.WriteAllText(Path.Combine(dir, "ca.crt"), certs.Ca.ExportCertificatePem());
        File.WriteAllText(Path.Combine(dir, "namespace"), "pgreplica-system\n");
        Environment.SetEnvironmentVariable("KUBERNETES_SERVICE_HOST", "10.96.0.1");
        Environment.SetEnvironmentVariable("KUBERNETES_SERVICE_PORT", "443");

        Assert.True(KubernetesClientConfiguration.IsInCluster(dir));
        var config = KubernetesClientConfiguration.InClusterConfig(dir);
        Assert.Equal(new Uri("https://10.96.0.1:443"), config.Host);
        Assert.Equal("pgreplica-system", config.Namespace);
        Assert.Equal(Path.Combine(dir, "token"), config.TokenFile);
        Assert.Equal(certs.Ca.Thumbprint, Assert.Single(config.CaCertificates!).Thumbprint);

        Environment.SetEnvironmentVariable("KUBERNETES_SERVICE_HOST", "fd00::1");
        var v6 = KubernetesClientConfiguration.InClusterConfig(dir).Host;
        Assert.Equal(("[fd00::1]", 443), (v6.Host, v6.Port));

        Environment.SetEnvironmentVariable("KUBERNETES_SERVICE_HOST", null);
        Assert.False(KubernetesClientConfiguration.IsInCluster(dir));
        Assert.Throws<KubeConfigException>(() => KubernetesClientConfiguration.InClusterConfig(dir));
    }

    [Fact]
    public async Task RotatedTokenFileIsReRead()
    {
        await using var server = await FakeApiServer.StartAsync();
        var tokenFile = Path.Combine(dir, "token");
        File.WriteAllText(tokenFile, "first");
        using var client = new Kubernetes(new KubernetesClientConfiguration { Host = server.Address, TokenFile = tokenFile });
        await client.ListAsync<Pod>();
        Assert.Equal("Bearer first", server.AuthorizationHeaders.Last());

        // Kubelet rotates projected tokens by swapping the file; a longer token also changes the size.
        File.WriteAllText(tokenFile, "second-token");
        File.SetLastWriteTimeUtc(tokenFile, DateTime.UtcNow.AddSeconds(5));
        await client.ListAsync<Pod>();
        Assert.Equal("Bearer second-token", server.AuthorizationHeaders.Last());
    }
}
