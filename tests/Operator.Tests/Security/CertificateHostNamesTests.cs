using System.Security.Cryptography.X509Certificates;
using PgReplica.Operator.Security;

namespace PgReplica.Operator.Tests.Security;

public sealed class CertificateHostNamesTests
{
    [Theory]
    [InlineData("orders-rw", "orders-rw", true)]
    [InlineData("Orders-RW.Shop", "orders-rw.shop", true)]
    [InlineData("orders-rw", "orders-ro", false)]
    [InlineData("*.shop.svc", "orders-rw.shop.svc", true)]
    [InlineData("*.shop.svc", "ORDERS-1.SHOP.SVC", true)]
    [InlineData("*.shop.svc", "shop.svc", false)]
    [InlineData("*.shop.svc", ".shop.svc", false)]
    [InlineData("*.shop.svc", "a.b.shop.svc", false)]
    [InlineData("*.shop.svc", "orders-rw", false)]
    [InlineData("orders-*.shop", "orders-rw.shop", false)]
    public void Names_match_as_libpq_matches_them(string pattern, string host, bool matches)
    {
        Assert.Equal(matches, CertificateHostNames.Matches(pattern, host));
    }

    [Fact]
    public void The_common_name_counts_only_without_dns_names()
    {
        using var authority = TestCertificates.Authority("user CA");
        var (cnOnly, _) = TestCertificates.Leaf(authority, "orders-rw", []);
        var (withSans, _) = TestCertificates.Leaf(authority, "orders-rw", ["orders-ro"]);
        using var a = X509Certificate2.CreateFromPem(cnOnly);
        using var b = X509Certificate2.CreateFromPem(withSans);

        Assert.Equal(["orders-rw"], CertificateHostNames.Of(a));
        Assert.Equal(["orders-ro"], CertificateHostNames.Of(b));
        Assert.Equal(["orders-rw"], CertificateHostNames.Uncovered(b, ["orders-rw", "orders-ro"]));
    }

    [Fact]
    public void Long_name_lists_are_cut_for_messages()
    {
        Assert.Equal("a, b", CertificateHostNames.Describe(["a", "b"]));
        Assert.Equal("a, b and 3 more", CertificateHostNames.Describe(["a", "b", "c", "d", "e"], shown: 2));
    }
}
