using System.Text;
using PgReplica.Operator.Security;

namespace PgReplica.Operator.Tests.Security;

public sealed class ServerTlsSecretValidationTests : IDisposable
{
    private static readonly DateTimeOffset Now = TestCertificates.Now;
    private readonly ClusterCertificateAuthority authority = ClusterCertificateAuthority.Create("orders", "shop", Now);

    public void Dispose() => authority.Dispose();

    private static IReadOnlyList<string> Wanted => TestCertificates.OrdersNames(1, 2);

    [Fact]
    public void A_certificate_issued_for_the_wanted_names_is_valid()
    {
        var issued = CertificateIssuer.IssueServer(authority, Wanted, Now);

        var result = ServerTlsSecretValidation.Check(issued.ToSecretData(), Wanted, Now);

        Assert.Empty(result.Problems);
        Assert.True(result.IsValid);
        Assert.Equal(issued.NotAfter, result.NotAfter);
    }

    [Fact]
    public void An_empty_Secret_names_every_missing_key()
    {
        var result = ServerTlsSecretValidation.Check(new Dictionary<string, byte[]>(), Wanted, Now);

        Assert.Equal(
        [
            "tls.crt is missing or empty",
            "ca.crt is missing or holds no PEM certificate; standbys need it to verify the primary (sslmode=verify-full)",
        ], result.Problems);
        Assert.Null(result.NotAfter);
    }

    [Fact]
    public void A_key_that_is_not_the_certificates_is_reported()
    {
        var issued = CertificateIssuer.IssueServer(authority, Wanted, Now);
        var other = CertificateIssuer.IssueServer(authority, Wanted, Now);
        var data = issued.ToSecretData();
        data["tls.key"] = Encoding.UTF8.GetBytes(other.PrivateKeyPem);

        Assert.Equal(["tls.key is not the private key of the certificate in tls.crt"], ServerTlsSecretValidation.Check(data, Wanted, Now).Problems);
    }

    [Fact]
    public void A_certificate_that_does_not_verify_against_ca_crt_is_reported()
    {
        using var other = ClusterCertificateAuthority.Create("orders", "shop", Now);
        var issued = CertificateIssuer.IssueServer(other, Wanted, Now);
        var data = TlsSecretData.Build(issued.CertificatePem, issued.PrivateKeyPem, authority.CertificatePem);

        var problem = Assert.Single(ServerTlsSecretValidation.Check(data, Wanted, Now).Problems);
        Assert.StartsWith("the certificate in tls.crt does not verify against ca.crt: ", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Expired_and_not_yet_valid_certificates_are_reported()
    {
        var issued = CertificateIssuer.IssueServer(authority, Wanted, Now, TimeSpan.FromDays(1));

        Assert.Equal([$"the certificate in tls.crt expired at {CertificateDates.Format(issued.NotAfter)}"],
            ServerTlsSecretValidation.Check(issued.ToSecretData(), Wanted, Now.AddDays(2)).Problems);
        Assert.Equal([$"the certificate in tls.crt is not valid before {CertificateDates.Format(issued.NotBefore)}"],
            ServerTlsSecretValidation.Check(issued.ToSecretData(), Wanted, Now.AddHours(-1)).Problems);
    }

    [Fact]
    public void Names_the_certificate_lacks_are_listed()
    {
        var issued = CertificateIssuer.IssueServer(authority, TestCertificates.OrdersNames(1), Now);

        Assert.Equal(
            ["the certificate in tls.crt does not name 4 of the 16 host names clients use: orders-2, orders-2.shop, orders-2.shop.svc, orders-2.shop.svc.cluster.local"],
            ServerTlsSecretValidation.Check(issued.ToSecretData(), Wanted, Now).Problems);
    }

    [Fact]
    public void A_wildcard_covers_one_label_so_bare_service_names_stay_uncovered()
    {
        using var userCa = TestCertificates.Authority("user CA");
        var (certificate, key) = TestCertificates.Leaf(userCa, "shop", ["*.shop", "*.shop.svc", "*.shop.svc.cluster.local"]);
        var data = TlsSecretData.Build(certificate, key, userCa.ExportCertificatePem());

        var problem = Assert.Single(ServerTlsSecretValidation.Check(data, Wanted, Now).Problems);
        Assert.Equal("the certificate in tls.crt does not name 4 of the 16 host names clients use: orders-rw, orders-ro, orders-1, orders-2", problem);
        Assert.True(ServerTlsSecretValidation.Check(data, Wanted.Where(n => n.Contains('.')).ToList(), Now).IsValid);
    }

    [Fact]
    public void A_client_only_certificate_is_reported()
    {
        using var userCa = TestCertificates.Authority("user CA");
        var (certificate, key) = TestCertificates.Leaf(userCa, "orders-rw", Wanted, ekuOid: "1.3.6.1.5.5.7.3.2");
        var data = TlsSecretData.Build(certificate, key, userCa.ExportCertificatePem());

        Assert.Equal(["the certificate in tls.crt is not for servers (its extended key usage lacks serverAuth)"],
            ServerTlsSecretValidation.Check(data, Wanted, Now).Problems);
    }

    [Fact]
    public void Intermediates_after_the_leaf_in_tls_crt_complete_the_chain_to_the_root_in_ca_crt()
    {
        using var root = TestCertificates.Authority("user root");
        using var intermediate = TestCertificates.Authority("user intermediate", root);
        var (certificate, key) = TestCertificates.Leaf(intermediate, "orders-rw", Wanted);
        var rootPem = root.ExportCertificatePem();

        var withChain = TlsSecretData.Build(certificate + "\n" + intermediate.ExportCertificatePem(), key, rootPem);
        var leafOnly = TlsSecretData.Build(certificate, key, rootPem);

        Assert.Empty(ServerTlsSecretValidation.Check(withChain, Wanted, Now).Problems);
        var problem = Assert.Single(ServerTlsSecretValidation.Check(leafOnly, Wanted, Now).Problems);
        Assert.StartsWith("the certificate in tls.crt does not verify against ca.crt", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Garbage_is_reported_as_unreadable()
    {
        var data = new Dictionary<string, byte[]>
        {
            ["tls.crt"] = Encoding.UTF8.GetBytes("-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n"),
            ["tls.key"] = Encoding.UTF8.GetBytes("nothing"),
            ["ca.crt"] = Encoding.UTF8.GetBytes(authority.CertificatePem),
        };

        var problem = Assert.Single(ServerTlsSecretValidation.Check(data, Wanted, Now).Problems);
        Assert.StartsWith("tls.crt holds no readable PEM certificate", problem, StringComparison.Ordinal);
    }
}
