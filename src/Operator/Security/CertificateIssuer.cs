using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PgReplica.Operator.Security;

/// <summary>Issues the cluster's server certificate and client certificates from its CA, each with a fresh key.</summary>
public static class CertificateIssuer
{
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";
    private const int MaxCommonNameLength = 64; // X.520 ub-common-name

    /// <summary>
    /// A server certificate (serverAuth) naming <paramref name="dnsNames"/> as DNS subject alternative names, the
    /// names <see cref="ServerCertificateNames.For"/> lists; valid from <paramref name="now"/> for
    /// <paramref name="validity"/> (default <see cref="CertificateValidity.Leaf"/>), never beyond the CA.
    /// </summary>
    public static IssuedCertificate IssueServer(ClusterCertificateAuthority authority, IReadOnlyList<string> dnsNames, DateTimeOffset now, TimeSpan? validity = null)
    {
        if (dnsNames.Count == 0)
        {
            throw new ArgumentException("a server certificate needs at least one DNS name", nameof(dnsNames));
        }

        var sans = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (!IsDnsName(name))
            {
                throw new ArgumentException($"\"{name}\" is not a DNS name", nameof(dnsNames));
            }

            sans.AddDnsName(name);
        }

        // libpq and browsers ignore the CN when DNS SANs are present; it only makes the certificate readable.
        var subject = new X500DistinguishedNameBuilder();
        if (dnsNames[0].Length <= MaxCommonNameLength)
        {
            subject.AddCommonName(dnsNames[0]);
        }

        return Issue(authority, subject.Build(), ServerAuthOid, sans.Build(critical: false), now, validity);
    }

    /// <summary>
    /// A client certificate (clientAuth) for the database role <paramref name="role"/>: PostgreSQL's <c>cert</c>
    /// authentication takes the role from the CN, so the CN is the role name and nothing else.
    /// </summary>
    public static IssuedCertificate IssueClient(ClusterCertificateAuthority authority, string role, DateTimeOffset now, TimeSpan? validity = null)
    {
        if (string.IsNullOrEmpty(role) || role.Length > MaxCommonNameLength || role.Any(char.IsControl))
        {
            throw new ArgumentException($"\"{role}\" cannot be a certificate's common name", nameof(role));
        }

        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(role);
        return Issue(authority, subject.Build(), ClientAuthOid, extension: null, now, validity);
    }

    private static IssuedCertificate Issue(ClusterCertificateAuthority authority, X500DistinguishedName subject, string usageOid, X509Extension? extension, DateTimeOffset now, TimeSpan? validity)
    {
        using var key = CertificateKeys.Create();
        var request = new CertificateRequest(subject, key, CertificateKeys.SignatureHash);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usageOid)], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        if (extension is not null)
        {
            request.CertificateExtensions.Add(extension);
        }

        using var certificate = authority.Sign(request, now - CertificateValidity.ClockSkewAllowance, now + (validity ?? CertificateValidity.Leaf));
        return new IssuedCertificate(
            PemCertificates.Export(certificate),
            PemCertificates.Export(key),
            authority.CertificatePem,
            CertificateDates.NotBefore(certificate),
            CertificateDates.NotAfter(certificate));
    }

    private static bool IsDnsName(string name) =>
        name.Length is > 0 and <= 253
        && name.Split('.').All(label =>
            label.Length is > 0 and <= 63
            && char.IsAsciiLetterOrDigit(label[0])
            && char.IsAsciiLetterOrDigit(label[^1])
            && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'));
}
