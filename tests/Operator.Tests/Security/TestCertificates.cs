using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PgReplica.Operator.Security;

namespace PgReplica.Operator.Tests.Security;

/// <summary>Certificates of shapes the operator never issues (a user's intermediate CA, a CN-only server) for the checks that must handle them.</summary>
internal static class TestCertificates
{
    public static readonly DateTimeOffset Now = new(2030, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public static IReadOnlyList<string> OrdersNames(params int[] ordinals) =>
        ServerCertificateNames.For("orders", "shop", ordinals.Length == 0 ? [1, 2] : ordinals);

    /// <summary>A CA certificate (with key) signed by <paramref name="issuer"/>, or self-signed when null.</summary>
    public static X509Certificate2 Authority(string commonName, X509Certificate2? issuer = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        if (issuer is null)
        {
            return request.CreateSelfSigned(Now.AddDays(-1), Now.AddYears(5));
        }

        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        using var signed = request.Create(issuer, Now.AddDays(-1), Now.AddYears(4), RandomNumberGenerator.GetBytes(12));
        return signed.CopyWithPrivateKey(key);
    }

    /// <summary>A server certificate signed by <paramref name="issuer"/> with the given DNS SANs (none: CN only) and EKU.</summary>
    public static (string CertificatePem, string KeyPem) Leaf(X509Certificate2 issuer, string commonName, IEnumerable<string> dnsNames, string ekuOid = "1.3.6.1.5.5.7.3.1", DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ekuOid)], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        var sans = new SubjectAlternativeNameBuilder();
        var any = false;
        foreach (var name in dnsNames)
        {
            sans.AddDnsName(name);
            any = true;
        }

        if (any)
        {
            request.CertificateExtensions.Add(sans.Build());
        }

        using var certificate = request.Create(issuer, notBefore ?? Now.AddDays(-1), notAfter ?? Now.AddDays(60), RandomNumberGenerator.GetBytes(12));
        return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }
}
