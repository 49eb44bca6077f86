using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using PgReplica.Operator.Security;

namespace PgReplica.Operator.Tests.Security;

public sealed class ClusterCertificateAuthorityTests
{
    private static readonly DateTimeOffset Now = TestCertificates.Now;

    [Fact]
    public void A_new_CA_is_a_self_signed_P256_CA_that_may_only_sign_leaf_certificates()
    {
        using var authority = ClusterCertificateAuthority.Create("orders", "shop", Now);
        using var certificate = authority.PublicCertificate();

        Assert.Equal(certificate.SubjectName.Name, certificate.IssuerName.Name);
        Assert.Contains("CN=orders CA", certificate.Subject, StringComparison.Ordinal);
        Assert.Contains("OU=shop", certificate.Subject, StringComparison.Ordinal);
        var basic = Assert.Single(certificate.Extensions.OfType<X509BasicConstraintsExtension>());
        Assert.True(basic.CertificateAuthority);
        Assert.True(basic.HasPathLengthConstraint);
        Assert.Equal(0, basic.PathLengthConstraint);
        Assert.True(Assert.Single(certificate.Extensions.OfType<X509KeyUsageExtension>()).KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign));
        using var key = certificate.GetECDsaPublicKey();
        Assert.Equal(256, key!.KeySize);
        Assert.Equal(Now - CertificateValidity.ClockSkewAllowance, CertificateDates.NotBefore(certificate));
        Assert.Equal(Now.AddDays(3650), authority.NotAfter);
        Assert.Null(CertificateChains.Problem(certificate, [certificate]));
    }

    [Fact]
    public void Its_Secret_has_the_cert_manager_shape_and_loads_back_into_a_CA_that_issues_verifiable_certificates()
    {
        using var original = ClusterCertificateAuthority.Create("orders", "shop", Now);
        var data = original.ToSecretData();

        Assert.Equal(["ca.crt", "tls.crt", "tls.key"], data.Keys.Order());
        Assert.Equal(original.CertificatePem, Encoding.UTF8.GetString(data["tls.crt"]));
        Assert.Equal(original.CertificatePem, Encoding.UTF8.GetString(data["ca.crt"]));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", Encoding.UTF8.GetString(data["tls.key"]), StringComparison.Ordinal);

        using var loaded = ClusterCertificateAuthority.TryLoad(data, Now.AddDays(1), out var problems);
        Assert.Empty(problems);
        Assert.NotNull(loaded);
        Assert.Equal(original.CertificatePem, loaded.CertificatePem);
        var issued = CertificateIssuer.IssueServer(loaded, ["orders-rw"], Now.AddDays(1));
        using var leaf = X509Certificate2.CreateFromPem(issued.CertificatePem);
        using var root = original.PublicCertificate();
        Assert.True(CertificateChains.IsIssuedBy(leaf, root));
    }

    [Fact]
    public void A_users_RSA_CA_without_a_key_identifier_issues_certificates_that_chain_to_it()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=corporate CA", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        // No subject key identifier, as some hand-made CAs have none.
        using var userCa = request.CreateSelfSigned(Now.AddDays(-1), Now.AddYears(1));
        // cert-manager writes RSA keys as PKCS#1 ("RSA PRIVATE KEY") unless told otherwise.
        var data = TlsSecretData.Build(userCa.ExportCertificatePem(), key.ExportRSAPrivateKeyPem(), userCa.ExportCertificatePem());

        using var loaded = ClusterCertificateAuthority.TryLoad(data, Now, out var problems);

        Assert.Empty(problems);
        var issued = CertificateIssuer.IssueServer(loaded!, ["orders-rw"], Now);
        using var leaf = X509Certificate2.CreateFromPem(issued.CertificatePem);
        Assert.True(CertificateChains.IsIssuedBy(leaf, userCa));
        Assert.Equal(issued.NotAfter, CertificateDates.NotAfter(leaf));
    }

    [Fact]
    public void Loading_reports_a_missing_certificate_and_key()
    {
        Assert.Null(ClusterCertificateAuthority.TryLoad(new Dictionary<string, byte[]>(), Now, out var problems));
        Assert.Equal(["tls.crt is missing or empty"], problems);

        using var authority = ClusterCertificateAuthority.Create("orders", "shop", Now);
        var data = authority.ToSecretData();
        data.Remove("tls.key");
        Assert.Null(ClusterCertificateAuthority.TryLoad(data, Now, out problems));
        Assert.Equal(["tls.key is missing or empty"], problems);
    }

    [Fact]
    public void Loading_refuses_the_key_of_another_CA()
    {
        using var ours = ClusterCertificateAuthority.Create("orders", "shop", Now);
        using var theirs = ClusterCertificateAuthority.Create("orders", "shop", Now);
        var data = ours.ToSecretData();
        data["tls.key"] = theirs.ToSecretData()["tls.key"];

        Assert.Null(ClusterCertificateAuthority.TryLoad(data, Now, out var problems));
        Assert.Equal(["tls.key is not the private key of the certificate in tls.crt"], problems);
    }

    [Fact]
    public void Loading_refuses_a_server_certificate_as_a_CA()
    {
        using var authority = ClusterCertificateAuthority.Create("orders", "shop", Now);
        var server = CertificateIssuer.IssueServer(authority, ["orders-rw"], Now);

        Assert.Null(ClusterCertificateAuthority.TryLoad(server.ToSecretData(), Now, out var problems));
        Assert.Equal(["the certificate in tls.crt is not a CA (basicConstraints CA:TRUE is missing)", "the certificate in tls.crt may not sign certificates (keyUsage lacks keyCertSign)"], problems);
    }

    [Fact]
    public void Loading_refuses_an_expired_CA_and_an_encrypted_key()
    {
        using var authority = ClusterCertificateAuthority.Create("orders", "shop", Now, TimeSpan.FromDays(1));
        var data = authority.ToSecretData();
        data["tls.key"] = Encoding.UTF8.GetBytes("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");

        Assert.Null(ClusterCertificateAuthority.TryLoad(data, Now.AddDays(2), out var problems));
        Assert.Equal(
        [
            $"the certificate in tls.crt expired at {CertificateDates.Format(Now.AddDays(1))}",
            "tls.key is encrypted; PostgreSQL needs an unencrypted private key",
        ], problems);
    }
}
