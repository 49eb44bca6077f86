using System.Security.Cryptography.X509Certificates;

namespace PgReplica.Operator.Security;

/// <summary>Whether a certificate chains up to a given CA, checked with the platform's chain builder and nothing else trusted.</summary>
public static class CertificateChains
{
    /// <summary>
    /// Null when <paramref name="certificate"/> verifies to one of <paramref name="authorities"/> (through
    /// <paramref name="intermediates"/> if needed), else why not. Signatures and CA constraints are checked;
    /// validity dates are not (callers report expiry in their own words); nothing is fetched from the network.
    /// </summary>
    public static string? Problem(X509Certificate2 certificate, X509Certificate2Collection authorities, X509Certificate2Collection? intermediates = null)
    {
        if (authorities.Count == 0)
        {
            return "no CA certificate to verify against";
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        if (intermediates is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(intermediates);
        }

        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid;
        try
        {
            if (chain.Build(certificate))
            {
                return null;
            }

            var statuses = chain.ChainStatus
                .Where(s => s.Status != X509ChainStatusFlags.NoError)
                .Select(s => s.StatusInformation.Trim())
                .Where(s => s.Length > 0)
                .Distinct()
                .ToList();
            return statuses.Count == 0 ? "the certificate chain does not verify" : string.Join("; ", statuses);
        }
        finally
        {
            foreach (var element in chain.ChainElements)
            {
                element.Certificate.Dispose();
            }
        }
    }

    /// <summary>True when <paramref name="certificate"/> was signed by <paramref name="authority"/> (directly or through intermediates).</summary>
    public static bool IsIssuedBy(X509Certificate2 certificate, X509Certificate2 authority, X509Certificate2Collection? intermediates = null) =>
        Problem(certificate, [authority], intermediates) is null;
}
