using System.Security.Cryptography.X509Certificates;
using PgReplica.Operator.Security;

namespace PgReplica.Operator.Tests.Security;

public sealed class CertificateRenewalTests : IDisposable
{
    private static readonly DateTimeOffset Now = TestCertificates.Now;
    private readonly ClusterCertificateAuthority authority = ClusterCertificateAuthority.Create("orders", "shop", Now);
    private readonly X509Certificate2 root;
    private readonly IssuedCertificate server;

    public CertificateRenewalTests()
    {
        root = authority.PublicCertificate();
        server = CertificateIssuer.IssueServer(authority, TestCertificates.OrdersNames(1, 2), Now);
    }

    public void Dispose()
    {
        root.Dispose();
        authority.Dispose();
    }

    private RenewalDecision Server(DateTimeOffset at, IReadOnlyCollection<string>? wanted = null, IssuedCertificate? current = null) =>
        CertificateRenewal.ForServer((current ?? server).CertificatePem, (current ?? server).PrivateKeyPem, root, wanted ?? TestCertificates.OrdersNames(1, 2), at);

    [Fact]
    public void A_fresh_certificate_is_current_until_a_third_of_its_lifetime_is_left()
    {
        // Lifetime is 90 days plus the 5 minutes of backdating; renewal falls due with a third of that left.
        var lifetime = server.NotAfter - server.NotBefore;
        var due = server.NotAfter - (lifetime / 3);

        Assert.Equal(RenewalReason.Current, Server(Now).Reason);
        Assert.False(Server(due.AddSeconds(-1)).Renew);
        Assert.Equal(RenewalReason.Expiring, Server(due).Reason);
        Assert.Equal(RenewalReason.Expiring, Server(server.NotAfter.AddDays(1)).Reason);
        Assert.Equal(due, CertificateRenewal.DueAt(server.CertificatePem));
        Assert.True(due > Now.AddDays(59) && due < Now.AddDays(61));
    }

    [Fact]
    public void A_short_lived_certificate_is_renewed_by_the_same_rule()
    {
        var shortLived = CertificateIssuer.IssueServer(authority, TestCertificates.OrdersNames(1, 2), Now, TimeSpan.FromMinutes(10));

        // 15 minutes from NotBefore (backdated 5) to NotAfter: due with 5 minutes left.
        Assert.False(Server(Now.AddMinutes(4), current: shortLived).Renew);
        Assert.Equal(RenewalReason.Expiring, Server(Now.AddMinutes(5), current: shortLived).Reason);
    }

    [Fact]
    public void A_scale_up_needs_new_names_and_a_scale_down_does_not()
    {
        var decision = Server(Now, TestCertificates.OrdersNames(1, 2, 3));

        Assert.Equal(RenewalReason.IdentityChanged, decision.Reason);
        Assert.Equal("the certificate does not name orders-3, orders-3.shop, orders-3.shop.svc, orders-3.shop.svc.cluster.local", decision.Message);
        Assert.False(Server(Now, TestCertificates.OrdersNames(1)).Renew);
    }

    [Fact]
    public void A_certificate_from_another_CA_with_the_same_name_is_renewed()
    {
        // A deleted and recreated <name>-ca has the same subject; only the signature tells them apart.
        using var other = ClusterCertificateAuthority.Create("orders", "shop", Now);
        var foreign = CertificateIssuer.IssueServer(other, TestCertificates.OrdersNames(1, 2), Now);

        Assert.Equal(RenewalReason.IssuedByAnotherAuthority, Server(Now, current: foreign).Reason);
    }

    [Fact]
    public void Missing_unreadable_or_mismatched_material_is_renewed()
    {
        var other = CertificateIssuer.IssueServer(authority, TestCertificates.OrdersNames(1, 2), Now);

        Assert.Equal(RenewalReason.Missing, CertificateRenewal.ForServer(null, null, root, ["orders-rw"], Now).Reason);
        Assert.Equal(RenewalReason.Unreadable, CertificateRenewal.ForServer("not a certificate", server.PrivateKeyPem, root, ["orders-rw"], Now).Reason);
        Assert.Equal(RenewalReason.Unreadable, CertificateRenewal.ForServer(server.CertificatePem, null, root, ["orders-rw"], Now).Reason);
        var mismatch = CertificateRenewal.ForServer(server.CertificatePem, other.PrivateKeyPem, root, ["orders-rw"], Now);
        Assert.Equal(RenewalReason.Unreadable, mismatch.Reason);
        Assert.Equal("tls.key is not the private key of the certificate in tls.crt", mismatch.Message);
        Assert.Null(CertificateRenewal.DueAt(null));
    }

    [Fact]
    public void A_certificate_from_the_future_is_renewed()
    {
        Assert.Equal(RenewalReason.NotYetValid, Server(Now.AddHours(-1)).Reason);
    }

    [Fact]
    public void A_client_certificate_is_renewed_when_its_role_changes()
    {
        var client = CertificateIssuer.IssueClient(authority, "replicator", Now);

        Assert.False(CertificateRenewal.ForClient(client.CertificatePem, client.PrivateKeyPem, root, "replicator", Now).Renew);
        var decision = CertificateRenewal.ForClient(client.CertificatePem, client.PrivateKeyPem, root, "streaming_replica", Now);
        Assert.Equal(RenewalReason.IdentityChanged, decision.Reason);
        Assert.Equal(RenewalReason.Expiring, CertificateRenewal.ForClient(client.CertificatePem, client.PrivateKeyPem, root, "replicator", Now.AddDays(61)).Reason);
    }
}
