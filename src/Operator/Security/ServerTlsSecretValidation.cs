using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PgReplica.Operator.Security;

/// <summary>What is wrong with a user's server TLS Secret, in sentences for a status condition and an Event.</summary>
/// <param name="Problems">Empty when PostgreSQL can serve the certificate and clients can verify it.</param>
/// <param name="NotAfter">When the certificate expires, when it could be read (for status; cert-manager renews it, not us).</param>
public sealed record ServerTlsSecretValidation(IReadOnlyList<string> Problems, DateTimeOffset? NotAfter)
{
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";

    /// <summary>True when there are no problems.</summary>
    public bool IsValid => Problems.Count == 0;

    /// <summary>
    /// Checks a cert-manager shaped Secret's <c>data</c> as PostgreSQL and libpq with <c>sslmode=verify-full</c>
    /// will: <c>tls.key</c> is the unencrypted key of the first certificate in <c>tls.crt</c>; that certificate
    /// chains (through any intermediates after it in <c>tls.crt</c>) to <c>ca.crt</c>; it is valid at
    /// <paramref name="now"/>; its extended key usage, if any, allows serverAuth; and its names (DNS SANs, or the CN
    /// when there are none; wildcards as libpq matches them) cover every one of <paramref name="wantedNames"/>.
    /// </summary>
    public static ServerTlsSecretValidation Check(IReadOnlyDictionary<string, byte[]>? data, IReadOnlyCollection<string> wantedNames, DateTimeOffset now)
    {
        var problems = new List<string>();
        var certificatePem = TlsSecretData.Read(data, TlsSecretData.Certificate);
        using var leaf = PemCertificates.ReadFirst(certificatePem, TlsSecretData.Certificate, problems);
        var authorities = PemCertificates.ReadAll(TlsSecretData.Read(data, TlsSecretData.Authority));
        try
        {
            if (authorities.Count == 0)
            {
                problems.Add($"{TlsSecretData.Authority} is missing or holds no PEM certificate; standbys need it to verify the primary (sslmode=verify-full)");
            }

            if (leaf is null)
            {
                return new(problems, null);
            }

            PemCertificates.WithPrivateKey(leaf, TlsSecretData.Read(data, TlsSecretData.PrivateKey), TlsSecretData.PrivateKey, TlsSecretData.Certificate, problems)?.Dispose();

            if (CertificateDates.Problem(leaf, now, TlsSecretData.Certificate) is { } dates)
            {
                problems.Add(dates);
            }

            if (authorities.Count > 0)
            {
                var intermediates = PemCertificates.ReadAll(certificatePem);
                try
                {
                    if (CertificateChains.Problem(leaf, authorities, intermediates) is { } chain)
                    {
                        problems.Add($"the certificate in {TlsSecretData.Certificate} does not verify against {TlsSecretData.Authority}: {chain}");
                    }
                }
                finally
                {
                    Dispose(intermediates);
                }
            }

            var usage = leaf.Extensions.OfType<X509EnhancedKeyUsageExtension>().FirstOrDefault();
            if (usage is not null && !usage.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == ServerAuthOid))
            {
                problems.Add($"the certificate in {TlsSecretData.Certificate} is not for servers (its extended key usage lacks serverAuth)");
            }

            var uncovered = CertificateHostNames.Uncovered(leaf, wantedNames);
            if (uncovered.Count > 0)
            {
                problems.Add($"the certificate in {TlsSecretData.Certificate} does not name {uncovered.Count} of the {wantedNames.Count} host names clients use: {CertificateHostNames.Describe(uncovered)}");
            }

            return new(problems, CertificateDates.NotAfter(leaf));
        }
        finally
        {
            Dispose(authorities);
        }
    }

    private static void Dispose(X509Certificate2Collection certificates)
    {
        foreach (var certificate in certificates)
        {
            certificate.Dispose();
        }
    }
}
