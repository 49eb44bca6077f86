using System.Net.Http;
using PgReplica.Kube.Client;
using PgReplica.Kube.Models;
using PgReplica.Kube.Tests.Fakes;

namespace PgReplica.Kube.Tests.Config;

public class KubeconfigTests
{
    private static string Kubeconfig(string server, string clusterExtra, string userBody, string? ns = null) => $"""
        apiVersion: v1
        kind: Config
        current-context: kind-test
        clusters:
        - name: other
          cluster:
            server: https://10.0.0.1:6443
        - name: kind-test
          cluster:
            server: {server}
        {clusterExtra}
        contexts:
        - name: kind-test
          context:
            cluster: kind-test
            user: kind-test
        {(ns is null ? "" : "    namespace: " + ns)}
        - name: other
          context:
            cluster: other
            user: other
        users:
        - name: other
          user:
            token: wrong
        - name: kind-test
          user:
        {userBody}
        """;

    [Fact]
    public async Task TokenAndPlainHttpServerFromTheCurrentContext()
    {
        await using var server = await FakeApiServer.StartAsync();
        var config = KubernetesClientConfiguration.BuildConfigFromConfigText(
            Kubeconfig(server.Address.ToString(), "", "    token: s3cr3t-token", ns: "prod"));
        Assert.Equal(server.Address, config.Host);
        Assert.Equal("prod", config.Namespace);
        using var client = new Kubernetes(config);
        Assert.Equal("prod", client.DefaultNamespace);
        await client.ListAsync<Pod>("prod");
        Assert.Equal("Bearer s3cr3t-token", server.AuthorizationHeaders.Last());

        var other = KubernetesClientConfiguration.BuildConfigFromConfigText(Kubeconfig(server.Address.ToString(), "", "    token: x"), context: "other");
        Assert.Equal(new Uri("https://10.0.0.1:6443"), other.Host);
        Assert.Equal("wrong", other.AccessToken);
    }

    [Fact]
    public async Task CaDataAndClientCertificateDataAuthenticateOverTls()
    {
        var certs = TestCertificates.Create();
        await using var server = await FakeApiServer.StartAsync(certs.Server);
        var yaml = Kubeconfig(
            server.Address.ToString(),
            $"    certificate-authority-data: {TestCertificates.Base64Pem(certs.Ca)}",
            $"    client-certificate-data: {TestCertificates.Base64Pem(certs.Client)}\n    client-key-data: {TestCertificates.Base64KeyPem(certs.Client)}");
        var config = KubernetesClientConfiguration.BuildConfigFromConfigText(yaml);
        Assert.NotNull(config.ClientCertificate);
        Assert.True(config.ClientCertificate!.HasPrivateKey);
        Assert.Single(config.CaCertificates!);

        using var client = new Kubernetes(config);
        await client.CreateAsync(Thing.Named("a"));
        Assert.Equal("a", (await client.GetAsync<Thing>("a"))!.Metadata.Name);
        Assert.Contains("CN=kube-admin", server.LastClientCertificateSubject);
    }

    [Fact]
    public async Task AServerCertificateFromAnotherCaIsRejected()
    {
        var certs = TestCertificates.Create();
        var stranger = TestCertificates.Create("CN=other-ca");
        await using var server = await FakeApiServer.StartAsync(certs.Server);
        var config = KubernetesClientConfiguration.BuildConfigFromConfigText(Kubeconfig(
            server.Address.ToString(), $"    certificate-authority-data: {TestCertificates.Base64Pem(stranger.Ca)}", "    token: t"));
        using var client = new Kubernetes(config);
        await Assert.ThrowsAsync<HttpRequestException>(() => client.ListAsync<Pod>());
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task InsecureSkipTlsVerifyAcceptsAnyServerCertificate()
    {
        var certs = TestCertificates.Create();
        await using var server = await FakeApiServer.StartAsync(certs.Server);
        var config = KubernetesClientConfiguration.BuildConfigFromConfigText(Kubeconfig(
            server.Address.ToString(), "    insecure-skip-tls-verify: true", "    token: t"));
        Assert.True(config.SkipTlsVerify);
        using var client = new Kubernetes(config);
        await client.ListAsync<Pod>();
        Assert.Single(server.Requests);

        var strict = KubernetesClientConfiguration.BuildConfigFromConfigText(Kubeconfig(server.Address.ToString(), "", "    token: t"));
        using var strictClient = new Kubernetes(strict);
        await Assert.ThrowsAsync<HttpRequestException>(() => strictClient.ListAsync<Pod>());
    }

    [Fact]
    public void RsaPkcs1KeysAndFilePathsRelativeToTheKubeconfigAreRead()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var req = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=rsa-user", rsa, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        using var cert = req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var ca = TestCertificates.Create().Ca;
        var dir = Directory.CreateTempSubdirectory("kubeconfig-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(dir, "pki"));
            File.WriteAllText(Path.Combine(dir, "pki", "user.crt"), cert.ExportCertificatePem());
            File.WriteAllText(Path.Combine(dir, "pki", "user.key"), rsa.ExportRSAPrivateKeyPem()); // "BEGIN RSA PRIVATE KEY", as kubeadm writes
            File.WriteAllText(Path.Combine(dir, "pki", "ca.crt"), ca.ExportCertificatePem());
            var path = Path.Combine(dir, "config");
            File.WriteAllText(path, Kubeconfig("https://127.0.0.1:6443", "    certificate-authority: pki/ca.crt",
                "    client-certificate: pki/user.crt\n    client-key: pki/user.key"));
            var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(path);
            Assert.Equal("CN=rsa-user", config.ClientCertificate!.Subject);
            Assert.True(config.ClientCertificate.HasPrivateKey);
            Assert.Equal(ca.Thumbprint, config.CaCertificates![0].Thumbprint);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void ACertificateWithoutAKeyIsAnError()
    {
        var certs = TestCertificates.Create();
        var yaml = Kubeconfig("https://127.0.0.1:6443", "", $"    client-certificate-data: {TestCertificates.Base64Pem(certs.Client)}");
        Assert.Throws<KubeConfigException>(() => KubernetesClientConfiguration.BuildConfigFromConfigText(yaml));
    }

    [Fact]
    public void ExecCredentialPluginsAreRejectedClearly()
    {
        var yaml = Kubeconfig("https://127.0.0.1:1", "", "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: aws");
        var e = Assert.Throws<NotSupportedException>(() => KubernetesClientConfiguration.BuildConfigFromConfigText(yaml));
        Assert.Contains("exec credential plugin", e.Message);
    }

    [Fact]
    public void MissingPiecesAreReported()
    {
        Assert.Throws<KubeConfigException>(() => KubernetesClientConfiguration.BuildConfigFromConfigText("apiVersion: v1\nkind: Config\n"));
        Assert.Throws<KubeConfigException>(() => KubernetesClientConfiguration.BuildConfigFromConfigText(Kubeconfig("https://x", "", "    token: t"), context: "nope"));
        Assert.Throws<KubeConfigException>(() => KubernetesClientConfiguration.BuildConfigFromConfigFile("/nonexistent/kubeconfig"));
    }
}
