using PgReplica.Operator.Security;

namespace PgReplica.Operator.Tests.Security;

public sealed class ServerCertificateNamesTests
{
    [Fact]
    public void Lists_rw_ro_and_every_instance_in_each_dns_form()
    {
        var names = ServerCertificateNames.For("orders", "shop", [2, 1]);

        Assert.Equal(
        [
            "orders-rw", "orders-rw.shop", "orders-rw.shop.svc", "orders-rw.shop.svc.cluster.local",
            "orders-ro", "orders-ro.shop", "orders-ro.shop.svc", "orders-ro.shop.svc.cluster.local",
            "orders-1", "orders-1.shop", "orders-1.shop.svc", "orders-1.shop.svc.cluster.local",
            "orders-2", "orders-2.shop", "orders-2.shop.svc", "orders-2.shop.svc.cluster.local",
        ], names);
    }

    [Fact]
    public void Repeated_ordinals_count_once_and_the_cluster_domain_is_honoured()
    {
        var names = ServerCertificateNames.For("orders", "shop", [3, 3], "corp.example");

        Assert.Equal(12, names.Count);
        Assert.Contains("orders-3.shop.svc.corp.example", names);
        Assert.DoesNotContain(names, n => n.EndsWith("cluster.local", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Orders", "shop")]
    [InlineData("orders", "")]
    [InlineData("orders", "Shop")]
    [InlineData("orders", "shop.prod")]
    [InlineData("orders", "-shop")]
    public void Invalid_cluster_or_namespace_names_are_refused(string cluster, string @namespace)
    {
        Assert.Throws<ArgumentException>(() => ServerCertificateNames.For(cluster, @namespace, [1]));
    }

    [Fact]
    public void Ordinals_start_at_one()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ServerCertificateNames.For("orders", "shop", [0]));
    }
}
