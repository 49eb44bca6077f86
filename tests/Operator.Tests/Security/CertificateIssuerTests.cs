using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PgReplica.Operator.Security;

namespace PgReplica.Operator.Tests.Security;

public sealed class CertificateIssuerTests : IDisposable
{
    private static readonly DateTimeOffset Now = TestCertificates.Now;
    private readonly ClusterCertificateAuthority authority = ClusterCertificateAuthority.Create("orders", "shop", Now);

    public void Dispose() => authority.Dispose();

    [Fact]
    public void A_server_certificate_names_exactly_the_wanted_names_for_serverAuth_and_chains_to_the_CA()
    {
        var names = TestCertificates.OrdersNames();
        var issued = CertificateIssuer.IssueServer(authority, names, Now);
        using var certificate = X509Certificate2.CreateFromPem(issued.CertificatePem, issued.PrivateKeyPem);

        Assert.Equal(names, CertificateHostNames.Of(certificate));
        Assert.Equal("orders-rw", certificate.GetNameInfo(X509NameType.SimpleName, false));
        var usage = Assert.Single(certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>());
        Assert.Equal(["1.3.6.1.5.5.7.3.1"], usage.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value));
        Assert.False(Assert.Single(certificate.Extensions.OfType<X509BasicConstraintsExtension>()).CertificateAuthority);
        using var root = authority.PublicCertificate();
        Assert.True(CertificateChains.IsIssuedBy(certificate, root));
        Assert.Equal(authority.CertificatePem, issued.AuthorityPem);
        Assert.Equal(Now - CertificateValidity.ClockSkewAllowance, issued.NotBefore);
        Assert.Equal(Now + CertificateValidity.Leaf, issued.NotAfter);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", issued.PrivateKeyPem, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_issue_has_its_own_key_and_serial()
    {
        var first = CertificateIssuer.IssueServer(authority, ["orders-rw"], Now);
        var second = CertificateIssuer.IssueServer(authority, ["orders-rw"], Now);
        using var a = X509Certificate2.CreateFromPem(first.CertificatePem);
        using var b = X509Certificate2.CreateFromPem(second.CertificatePem);

        Assert.NotEqual(first.PrivateKeyPem, second.PrivateKeyPem);
        Assert.NotEqual(a.SerialNumber, b.SerialNumber);
        Assert.Equal(32, a.SerialNumber.Length); // 16 bytes, hex
    }

    [Fact]
    public void A_certificate_never_outlives_its_CA()
    {
        using var shortLived = ClusterCertificateAuthority.Create("orders", "shop", Now, TimeSpan.FromDays(10));

        var issued = CertificateIssuer.IssueServer(shortLived, ["orders-rw"], Now);

        Assert.Equal(shortLived.NotAfter, issued.NotAfter);
    }

    [Fact]
    public void A_client_certificate_carries_the_role_as_its_only_identity_for_clientAuth()
    {
        var issued = CertificateIssuer.IssueClient(authority, "replicator", Now, TimeSpan.FromDays(7));
        using var certificate = X509Certificate2.CreateFromPem(issued.CertificatePem);

        Assert.Equal("CN=replicator", certificate.Subject);
        Assert.Empty(certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>());
        var usage = Assert.Single(certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>());
        Assert.Equal(["1.3.6.1.5.5.7.3.2"], usage.EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value));
        Assert.Equal(Now.AddDays(7), issued.NotAfter);
    }

    [Theory]
    [InlineData("")]
    [InlineData("orders_rw")]
    [InlineData("orders-rw.")]
    [InlineData("-orders")]
    [InlineData("*.shop.svc")]
    public void Server_names_must_be_dns_names(string name)
    {
        Assert.Throws<ArgumentException>(() => CertificateIssuer.IssueServer(authority, ["orders-rw", name], Now));
    }

    [Fact]
    public void A_server_certificate_needs_a_name_and_a_client_certificate_a_role()
    {
        Assert.Throws<ArgumentException>(() => CertificateIssuer.IssueServer(authority, [], Now));
        Assert.Throws<ArgumentException>(() => CertificateIssuer.IssueClient(authority, "", Now));
    }

    [Fact]
    public void The_issued_record_does_not_print_its_key()
    {
        var issued = CertificateIssuer.IssueClient(authority, "replicator", Now);

        Assert.DoesNotContain("PRIVATE KEY", issued.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(issued.PrivateKeyPem.Split('\n')[1], issued.ToString(), StringComparison.Ordinal);
    }
}
